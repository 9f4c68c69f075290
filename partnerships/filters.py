"""The public lists' filters for partners, agreements, exercises, equipment, people,
engagements and indicators, and the timeline's; built from the shared pieces in partnerships.lists.filters."""

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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

PARTNER_UNKNOWN = _("There is no partner with this name in the wiki.")


class PartnerInput(NulSafe, forms.TextInput):
    """A box for a partner's name or slug. With JavaScript on, it suggests partners as
    the reader types (static/js/partner-suggestions.js); without, it takes what is typed."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": _("Name, e.g. Israel"),
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
        "ambiguous": _(
            "Several partners go by this name: type the one you mean by its "
            "address name (slug), as the suggestions show it."
        ),
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


KNOWN_CHOICES = [
    ("known", pgettext_lazy("a value", "Known")),
    ("unknown", pgettext_lazy("a value", "Unknown")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
EITHER = pgettext_lazy("yes or no", "Either")


class ValueFilter(ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", KNOWN_CHOICES)
        kwargs.setdefault("label", pgettext_lazy("filter", "Value"))
        kwargs.setdefault("empty_label", pgettext_lazy("a value", "Known or not"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("known", "unknown"):
            return qs.filter(value_amount__isnull=value == "unknown")
        return qs


# Labels of filters that several lists have.
PARTNER = pgettext_lazy("filter", "Partner")
KIND = pgettext_lazy("filter", "Kind")
ANY_KIND = _("Any kind")
STATUS = pgettext_lazy("filter", "Status")
ANY_STATUS = _("Any status")


def _exists(model, *conditions, **lookups):
    return Exists(model.objects.filter(*conditions, **lookups))


class PartnerListFilter(ListFilterSet):
    q = TextFilter(fields=("name", "short_name", "aliases"), label=_("Name or alias"))
    kind = ChoiceFilter(choices=Partner.Kind.choices, label=KIND, empty_label=ANY_KIND)
    has_agreements = ChoiceFilter(
        choices=YES_NO, method="filter_has", label=_("Has agreements"), empty_label=EITHER
    )
    has_exercises = ChoiceFilter(
        choices=YES_NO, method="filter_has", label=_("Has exercises"), empty_label=EITHER
    )
    has_equipment = ChoiceFilter(
        choices=YES_NO, method="filter_has", label=_("Has equipment deals"), empty_label=EITHER
    )
    sort = SortFilter(
        fields=(
            ("name", "name", pgettext_lazy("sort by", "Name")),
            ("kind", "kind", pgettext_lazy("sort by", "Kind")),
            ("agreement_count", "agreements", pgettext_lazy("sort by", "Agreements")),
            ("exercise_count", "exercises", pgettext_lazy("sort by", "Exercises")),
            ("equipment_count", "equipment", pgettext_lazy("sort by", "Equipment")),
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
    partner = PartnerFilter(field_name="parties", label=PARTNER)
    kind = ChoiceFilter(choices=Agreement.Kind.choices, label=KIND, empty_label=ANY_KIND)
    status = ChoiceFilter(choices=Agreement.Status.choices, label=STATUS, empty_label=ANY_STATUS)
    year_from = YearFilter(field_name="date", lookup_expr="year__gte", label=_("Concluded from"))
    year_to = YearFilter(field_name="date", lookup_expr="year__lte", label=_("Concluded until"))
    value = ValueFilter()
    sort = SortFilter(
        fields=(
            ("title", "title", pgettext_lazy("sort by", "Title")),
            ("kind", "kind", pgettext_lazy("sort by", "Kind")),
            ("date", "date", pgettext_lazy("sort by", "Date")),
            ("status", "status", pgettext_lazy("sort by", "Status")),
            ("value_amount", "value", pgettext_lazy("sort by", "Value")),
        )
    )

    class Meta:
        model = Agreement
        fields = []


class ExerciseListFilter(ListFilterSet):
    q = TextFilter(fields=("name", "series", "location", "summary"))
    partner = PartnerFilter(field_name="participants", label=PARTNER)
    domain = ChoiceFilter(
        choices=Exercise.Domain.choices,
        method="filter_domain",
        label=pgettext_lazy("filter", "Domain"),
        empty_label=_("Any domain"),
    )
    year_from = YearFilter(field_name="start_date", lookup_expr="year__gte", label=_("Held from"))
    year_to = YearFilter(field_name="start_date", lookup_expr="year__lte", label=_("Held until"))
    sort = SortFilter(
        fields=(
            ("name", "name", pgettext_lazy("sort by", "Name")),
            ("start_date", "start", pgettext_lazy("sort by", "Start")),
            ("location", "location", pgettext_lazy("sort by", "Location")),
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
    partner = PartnerFilter(method="filter_partner", label=_("Supplier or maker"))
    category = ChoiceFilter(
        choices=Procurement.Category.choices,
        label=pgettext_lazy("filter", "Category"),
        empty_label=_("Any category"),
    )
    status = ChoiceFilter(choices=Procurement.Status.choices, label=STATUS, empty_label=ANY_STATUS)
    year_from = YearFilter(
        field_name="order_date", lookup_expr="year__gte", label=_("Ordered from")
    )
    year_to = YearFilter(
        field_name="order_date", lookup_expr="year__lte", label=_("Ordered until")
    )
    value = ValueFilter()
    sort = SortFilter(
        fields=(
            ("system", "system", pgettext_lazy("sort by", "System")),
            ("category", "category", pgettext_lazy("sort by", "Category")),
            ("supplier__name", "supplier", pgettext_lazy("sort by", "Supplier")),
            ("quantity", "quantity", pgettext_lazy("sort by", "Quantity")),
            ("order_date", "ordered", pgettext_lazy("sort by", "Ordered")),
            ("status", "status", pgettext_lazy("sort by", "Status")),
            ("value_amount", "value", pgettext_lazy("sort by", "Value")),
        )
    )

    class Meta:
        model = Procurement
        fields = []

    def filter_partner(self, qs, name, value):
        return qs.filter(Q(supplier=value) | Q(manufacturer=value))


PERSON_UNKNOWN = _("There is no person with this name in the wiki.")


class PersonField(forms.CharField):
    """A person named by slug or by name, in any case; the URL spells it by slug. One
    query."""

    widget = TextInput
    default_error_messages = {
        "unknown": PERSON_UNKNOWN,
        "ambiguous": _(
            "Several people go by this name: type the one you mean by its address "
            "name (slug), as in the address of their page."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", _("Name, e.g. Jens Stoltenberg"))

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        # PostgreSQL refuses NUL in a query; no person's name is that long.
        if "\x00" in text or len(text) > TYPED_MAX_LENGTH:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        found = list(
            Person.objects.filter(Q(slug=text) | Q(name__iexact=text)).only(
                "name",
                "slug",
                "name_fr",
                "name_ar",  # named in the page's language
            )[:3]
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
    ("hedged", _("Hedged by the source (e.g. “reportedly”)")),
    ("asserted", _("Asserted by the source")),
]


class EngagementListFilter(ListFilterSet):
    q = TextFilter(fields=("title", "place", "summary"))
    partner = PartnerFilter(field_name="partners", label=PARTNER)
    person = PersonFilter(method="filter_person", label=_("Person taking part"))
    kind = ChoiceFilter(choices=Engagement.Kind.choices, label=KIND, empty_label=ANY_KIND)
    hedged = ChoiceFilter(
        choices=HEDGED_CHOICES,
        method="filter_hedged",
        label=_("How the source states it"),
        empty_label=_("Either way"),
    )
    year_from = YearFilter(field_name="date", lookup_expr="year__gte", label=_("From the year"))
    year_to = YearFilter(field_name="date", lookup_expr="year__lte", label=_("Until the year"))
    sort = SortFilter(
        fields=(
            ("title", "title", pgettext_lazy("sort by", "Title")),
            ("kind", "kind", pgettext_lazy("sort by", "Kind")),
            ("date", "date", pgettext_lazy("sort by", "Date")),
        )
    )

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
    q = TextFilter(fields=("name", "summary"), label=_("Name or text"))
    partner = PartnerFilter(method="filter_partner", label=_("Position in partner"))
    sort = SortFilter(fields=(("name", "name", pgettext_lazy("sort by", "Name")),))

    class Meta:
        model = Person
        fields = []

    def filter_partner(self, qs, name, value):
        # EXISTS: a person with two positions in the partner is one row.
        return qs.filter(Exists(Position.objects.filter(person=OuterRef("pk"), partner=value)))


class IndicatorListFilter(ListFilterSet):
    q = TextFilter(fields=("name", "subject", "summary"), label=_("Name, subject or text"))
    partner = PartnerFilter(field_name="partner", label=_("Partner concerned"))
    measure = ChoiceFilter(
        choices=Indicator.Measure.choices,
        label=pgettext_lazy("filter", "Measure"),
        empty_label=_("Any measure"),
    )
    basis = ChoiceFilter(
        choices=IndicatorValue.Basis.choices,
        method="filter_basis",
        label=_("Has values that are"),
        empty_label=_("Any basis"),
    )
    sort = SortFilter(fields=(("name", "name", pgettext_lazy("sort by", "Name")),))

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
        ("agreement", pgettext_lazy("timeline type", "Agreements")),
        ("exercise", pgettext_lazy("timeline type", "Exercises")),
        ("equipment", pgettext_lazy("timeline type", "Equipment")),
        ("engagement", pgettext_lazy("timeline type", "Engagements")),
    ]

    partner = PartnerField(label=PARTNER)
    type = forms.ChoiceField(
        label=pgettext_lazy("filter", "Type"),
        choices=[("", _("Every type")), *TYPES],
        required=False,
        error_messages={
            "invalid_choice": _("Choose agreements, exercises, equipment or engagements.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            describe_errors(self)
