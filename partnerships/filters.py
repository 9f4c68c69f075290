"""The public lists' filters for partners, agreements, exercises, equipment, people,
engagements and indicators, and the timeline's; built from the shared pieces in partnerships.lists.filters."""

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse_lazy

from .lists.filters import (
    ChoiceFilter,
    CopiedShallow,
    ListFilterSet,
    NulSafe,
    Parameters,
    SortFilter,
    TextFilter,
    TextInput,
    YearFilter,
    describe_errors,
)
from .models import (
    Agreement,
    AgreementParty,
    Engagement,
    EngagementPerson,
    Exercise,
    ExerciseParticipant,
    Indicator,
    IndicatorValue,
    Partner,
    Person,
    Position,
    Procurement,
)
from .suggestions import TYPED_MAX_LENGTH, partners_named

PARTNER_UNKNOWN = "There is no partner with this name in the wiki."


class PartnerInput(NulSafe, forms.TextInput):
    """A box for a partner's name or slug. With JavaScript on, it suggests partners as
    the reader types (static/js/partner-suggestions.js); without, it takes what is typed."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": "Name, e.g. Israel",
                "data-suggest": reverse_lazy("partnerships:partner-suggestions"),
                **(attrs or {}),
            }
        )

    class Media:
        js = [forms.Script("js/partner-suggestions.js", defer=True)]


class PartnerField(forms.CharField):
    """A partner named by slug, name, short name or alias, in any case, so that a
    reader can type "Israel"; the URL spells it by slug (see `url_value`).

    No list of partners is rendered: one query for a slug, two for anything else.
    """

    widget = PartnerInput
    default_error_messages = {
        "unknown": PARTNER_UNKNOWN,
        "ambiguous": "Several partners go by this name: type the one you mean by its "
        "address name (slug), as the suggestions show it.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        # PostgreSQL refuses NUL in a query; no partner's name is that long.
        if "\x00" in text or len(text) > TYPED_MAX_LENGTH:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        found = partners_named(text)
        if not found:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        if len(found) > 1:
            raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous")
        return found[0]

    def url_value(self, partner):
        """How the URL names `partner`: by its slug (see lists.pages.canonical_url)."""
        return partner.slug if partner is not None else ""


def _partner_marked(markers):
    return Partner(pk=markers[0])


class PartnerFilter(CopiedShallow, django_filters.Filter):
    field_class = PartnerField

    def compiled_parameters(self, value):
        if value is None:
            return None
        return Parameters((int,), (value.pk,), _partner_marked)


KNOWN_CHOICES = [("known", "Known"), ("unknown", "Unknown")]
YES_NO = [("yes", "Yes"), ("no", "No")]


class ValueFilter(ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", KNOWN_CHOICES)
        kwargs.setdefault("label", "Value")
        kwargs.setdefault("empty_label", "Known or not")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("known", "unknown"):
            return qs.filter(value_amount__isnull=value == "unknown")
        return qs


def _exists(model, *conditions, **lookups):
    return Exists(model.objects.filter(*conditions, **lookups))


class PartnerListFilter(ListFilterSet):
    q = TextFilter(fields=("name", "short_name", "aliases"), label="Name or alias")
    kind = ChoiceFilter(choices=Partner.Kind.choices, empty_label="Any kind")
    has_agreements = ChoiceFilter(
        choices=YES_NO, method="filter_has", label="Has agreements", empty_label="Either"
    )
    has_exercises = ChoiceFilter(
        choices=YES_NO, method="filter_has", label="Has exercises", empty_label="Either"
    )
    has_equipment = ChoiceFilter(
        choices=YES_NO, method="filter_has", label="Has equipment deals", empty_label="Either"
    )
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("kind", "kind"),
            ("agreement_count", "agreements"),
            ("exercise_count", "exercises"),
            ("equipment_count", "equipment"),
        )
    )

    class Meta:
        model = Partner
        fields = []

    def filter_has(self, qs, name, value):
        """Partners with (or without) links of a kind: on PostgreSQL, those whose
        tally of them (Partner.objects.with_counts(), which every partners list
        annotates) is above (or at) nought. Testing each country for an agreement
        (EXISTS) took 4.7 ms on the generated data, the busiest partners' tallies
        0.5 ms; SQLite has no tally, and asks whether one link exists."""
        if connection.vendor == "postgresql":
            count = {
                "has_agreements": "agreement_count",
                "has_exercises": "exercise_count",
                "has_equipment": "equipment_count",
            }[name]
            return qs.filter(**{f"{count}__gt" if value == "yes" else count: 0})
        related = {
            "has_agreements": _exists(AgreementParty, partner=OuterRef("pk")),
            "has_exercises": _exists(ExerciseParticipant, partner=OuterRef("pk")),
            "has_equipment": _exists(
                Procurement, Q(supplier=OuterRef("pk")) | Q(manufacturer=OuterRef("pk"))
            ),
        }[name]
        return qs.filter(related if value == "yes" else ~related)


class AgreementListFilter(ListFilterSet):
    q = TextFilter(fields=("title", "summary"))
    partner = PartnerFilter(field_name="parties", label="Partner")
    kind = ChoiceFilter(choices=Agreement.Kind.choices, empty_label="Any kind")
    status = ChoiceFilter(choices=Agreement.Status.choices, empty_label="Any status")
    year_from = YearFilter(field_name="date", lookup_expr="year__gte", label="Concluded from")
    year_to = YearFilter(field_name="date", lookup_expr="year__lte", label="Concluded until")
    value = ValueFilter()
    sort = SortFilter(
        fields=(
            ("title", "title"),
            ("kind", "kind"),
            ("date", "date"),
            ("status", "status"),
            ("value_amount", "value"),
        )
    )

    class Meta:
        model = Agreement
        fields = []


class ExerciseListFilter(ListFilterSet):
    q = TextFilter(fields=("name", "series", "location", "summary"))
    partner = PartnerFilter(field_name="participants", label="Partner")
    domain = ChoiceFilter(
        choices=Exercise.Domain.choices,
        method="filter_domain",
        label="Domain",
        empty_label="Any domain",
    )
    year_from = YearFilter(field_name="start_date", lookup_expr="year__gte", label="Held from")
    year_to = YearFilter(field_name="start_date", lookup_expr="year__lte", label="Held until")
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("start_date", "start"),
            ("location", "location"),
        )
    )

    class Meta:
        model = Exercise
        fields = []

    def filter_domain(self, qs, name, value):
        # Domains are stored comma-separated ("land,sea"); match whole items only.
        return qs.filter(
            Q(domains=value)
            | Q(domains__startswith=f"{value},")
            | Q(domains__endswith=f",{value}")
            | Q(domains__contains=f",{value},")
        )


class ProcurementListFilter(ListFilterSet):
    q = TextFilter(fields=("system", "summary"))
    partner = PartnerFilter(method="filter_partner", label="Supplier or maker")
    category = ChoiceFilter(choices=Procurement.Category.choices, empty_label="Any category")
    status = ChoiceFilter(choices=Procurement.Status.choices, empty_label="Any status")
    year_from = YearFilter(field_name="order_date", lookup_expr="year__gte", label="Ordered from")
    year_to = YearFilter(field_name="order_date", lookup_expr="year__lte", label="Ordered until")
    value = ValueFilter()
    sort = SortFilter(
        fields=(
            ("system", "system"),
            ("category", "category"),
            ("supplier__name", "supplier"),
            ("quantity", "quantity"),
            ("order_date", "ordered"),
            ("status", "status"),
            ("value_amount", "value"),
        )
    )

    class Meta:
        model = Procurement
        fields = []

    def filter_partner(self, qs, name, value):
        return qs.filter(Q(supplier=value) | Q(manufacturer=value))


PERSON_UNKNOWN = "There is no person with this name in the wiki."


class PersonField(forms.CharField):
    """A person named by slug or by name, in any case; the URL spells it by slug. One
    query."""

    widget = TextInput
    default_error_messages = {
        "unknown": PERSON_UNKNOWN,
        "ambiguous": "Several people go by this name: type the one you mean by its address "
        "name (slug), as in the address of their page.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "Name, e.g. Jens Stoltenberg")

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        # PostgreSQL refuses NUL in a query; no person's name is that long.
        if "\x00" in text or len(text) > TYPED_MAX_LENGTH:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        found = list(
            Person.objects.filter(Q(slug=text) | Q(name__iexact=text)).only("name", "slug")[:3]
        )
        exact = [person for person in found if person.slug == text]
        if exact:
            return exact[0]
        if not found:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        if len(found) > 1:
            raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous")
        return found[0]

    def url_value(self, person):
        return person.slug if person is not None else ""


def _person_marked(markers):
    return Person(pk=markers[0])


class PersonFilter(CopiedShallow, django_filters.Filter):
    field_class = PersonField

    def compiled_parameters(self, value):
        if value is None:
            return None
        return Parameters((int,), (value.pk,), _person_marked)


HEDGED_CHOICES = [
    ("hedged", "Hedged by the source (e.g. “reportedly”)"),
    ("asserted", "Asserted by the source"),
]


class EngagementListFilter(ListFilterSet):
    q = TextFilter(fields=("title", "place", "summary"))
    partner = PartnerFilter(field_name="partners", label="Partner")
    person = PersonFilter(method="filter_person", label="Person taking part")
    kind = ChoiceFilter(choices=Engagement.Kind.choices, empty_label="Any kind")
    hedged = ChoiceFilter(
        choices=HEDGED_CHOICES,
        method="filter_hedged",
        label="How the source states it",
        empty_label="Either way",
    )
    year_from = YearFilter(field_name="date", lookup_expr="year__gte", label="From the year")
    year_to = YearFilter(field_name="date", lookup_expr="year__lte", label="Until the year")
    sort = SortFilter(fields=(("title", "title"), ("kind", "kind"), ("date", "date")))

    class Meta:
        model = Engagement
        fields = []

    def filter_person(self, qs, name, value):
        # EXISTS rather than a join: it reads the person's links from their index.
        return qs.filter(
            Exists(EngagementPerson.objects.filter(engagement=OuterRef("pk"), person=value))
        )

    def filter_hedged(self, qs, name, value):
        if value == "hedged":
            return qs.exclude(hedge="")
        return qs.filter(hedge="")


class PersonListFilter(ListFilterSet):
    q = TextFilter(fields=("name", "summary"), label="Name or text")
    partner = PartnerFilter(method="filter_partner", label="Position in partner")
    sort = SortFilter(fields=(("name", "name"),))

    class Meta:
        model = Person
        fields = []

    def filter_partner(self, qs, name, value):
        # EXISTS: a person with two positions in the partner is one row.
        return qs.filter(Exists(Position.objects.filter(person=OuterRef("pk"), partner=value)))


class IndicatorListFilter(ListFilterSet):
    q = TextFilter(fields=("name", "subject", "summary"), label="Name, subject or text")
    partner = PartnerFilter(field_name="partner", label="Partner concerned")
    measure = ChoiceFilter(choices=Indicator.Measure.choices, empty_label="Any measure")
    basis = ChoiceFilter(
        choices=IndicatorValue.Basis.choices,
        method="filter_basis",
        label="Has values that are",
        empty_label="Any basis",
    )
    sort = SortFilter(fields=(("name", "name"),))

    class Meta:
        model = Indicator
        fields = []

    def filter_basis(self, qs, name, value):
        return qs.filter(
            Exists(IndicatorValue.objects.filter(indicator=OuterRef("pk"), basis=value))
        )


class TimelineForm(forms.Form):
    """The timeline's filters. Not a FilterSet: the timeline merges four models."""

    TYPES = [
        ("agreement", "Agreements"),
        ("exercise", "Exercises"),
        ("equipment", "Equipment"),
        ("engagement", "Engagements"),
    ]

    partner = PartnerField(label="Partner")
    type = forms.ChoiceField(
        choices=[("", "Every type"), *TYPES],
        required=False,
        error_messages={
            "invalid_choice": "Choose agreements, exercises, equipment or engagements."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            describe_errors(self)
