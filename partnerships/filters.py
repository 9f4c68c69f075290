"""The public lists' filters: every one a query parameter, so a filtered view is a URL.

Invalid values never reach the database: each field validates first and the
list shows its message beside the field (see views._list_page).
"""

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef, Q

from sources.models import Source

from .models import (
    Agreement,
    AgreementParty,
    Exercise,
    ExerciseParticipant,
    Partner,
    Procurement,
)

FIRST_YEAR, LAST_YEAR = 1900, 2100
TEXT_MAX_LENGTH = 200


class NulSafe:
    """A text box that shows a NUL it was sent as U+FFFD: HTML may not contain NUL."""

    def format_value(self, value):
        value = super().format_value(value)
        return value.replace("\x00", "\ufffd") if value else value


class TextInput(NulSafe, forms.TextInput):
    pass


class NumberInput(NulSafe, forms.NumberInput):
    pass


INVALID_CHOICE = "Choose one of the options listed."


class ChoiceFilter(django_filters.ChoiceFilter):
    """A choice whose error does not repeat the value sent (it may hold anything)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": INVALID_CHOICE})
        super().__init__(*args, **kwargs)


class PartnerSlugField(forms.ModelChoiceField):
    """A partner chosen by slug, so the URL reads ?partner=israel."""

    def to_python(self, value):
        # PostgreSQL refuses NUL in a query; say it is not a partner instead.
        if value and "\x00" in str(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class PartnerFilter(django_filters.ModelChoiceFilter):
    field_class = PartnerSlugField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Partner.objects.only("name", "slug"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("empty_label", "Any partner")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "There is no partner with this name in the wiki."},
        )
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        kwargs.setdefault("error_messages", {"invalid": "Enter a year, such as 2022."})
        kwargs.setdefault("widget", NumberInput(attrs={"placeholder": "e.g. 2021"}))
        super().__init__(*args, **kwargs)


class TextFilter(django_filters.CharFilter):
    """Free text: every word must occur in one of `fields`."""

    def __init__(self, *args, fields=(), **kwargs):
        self.search_fields = fields
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        kwargs.setdefault("label", "Text")
        kwargs.setdefault("widget", TextInput(attrs={"type": "search"}))
        super().__init__(*args, **kwargs)
        self.extra["validators"] = [ProhibitNullCharactersValidator()]

    def filter(self, qs, value):
        for word in value.split():
            matches = Q()
            for name in self.search_fields:
                matches |= Q(**{f"{name}__icontains": word})
            qs = qs.filter(matches)
        return qs


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


class SortFilter(django_filters.OrderingFilter):
    """?sort=date or ?sort=-date; the columns a list can be sorted by."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Sort by")
        kwargs.setdefault("error_messages", {"invalid_choice": "Choose a column to sort by."})
        kwargs.setdefault("empty_label", "Default order")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        # The primary key breaks ties, so pages never repeat or skip a row.
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


class ListFilterSet(django_filters.FilterSet):
    """Links each invalid field to its message, for screen readers."""

    @property
    def form(self):
        form = super().form
        if form.is_bound and not getattr(form, "_described", False):
            form._described = True
            describe_errors(form)
        return form

    def sort_options(self):
        """The sortable columns: {"date": "date"} for the header links."""
        return self.filters["sort"].param_map if "sort" in self.filters else {}


def describe_errors(form):
    """Point each invalid field at its message (rendered as id_<name>_error)."""
    for name in form.errors:
        if name in form.fields:
            attrs = form.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"id_{name}_error"


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
        choices=Exercise.Domain.choices, method="filter_domain", empty_label="Any domain"
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


def _publisher_choices():
    publishers = Source.objects.exclude(publisher="").values_list("publisher", flat=True)
    return [(name, name) for name in sorted(set(publishers))]


class SourceListFilter(ListFilterSet):
    q = TextFilter(fields=("title", "publisher", "author"), label="Title, publisher or author")
    kind = ChoiceFilter(choices=Source.Kind.choices, empty_label="Any kind")
    publisher = ChoiceFilter(choices=_publisher_choices, empty_label="Any publisher")
    language = ChoiceFilter(choices=Source.Language.choices, empty_label="Any language")
    year_from = YearFilter(
        field_name="publication_date", lookup_expr="year__gte", label="Published from"
    )
    year_to = YearFilter(
        field_name="publication_date", lookup_expr="year__lte", label="Published until"
    )
    sort = SortFilter(
        fields=(
            ("title", "title"),
            ("kind", "kind"),
            ("publisher", "publisher"),
            ("publication_date", "published"),
        )
    )

    class Meta:
        model = Source
        fields = []


class TimelineForm(forms.Form):
    """The timeline's filters. Not a FilterSet: the timeline merges three models."""

    TYPES = [("agreement", "Agreements"), ("exercise", "Exercises"), ("equipment", "Equipment")]

    partner = PartnerSlugField(
        queryset=Partner.objects.only("name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label="Any partner",
        error_messages={"invalid_choice": "There is no partner with this name in the wiki."},
    )
    type = forms.ChoiceField(
        choices=[("", "Every type"), *TYPES],
        required=False,
        error_messages={"invalid_choice": "Choose agreements, exercises or equipment."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            describe_errors(self)
