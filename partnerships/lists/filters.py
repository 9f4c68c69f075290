"""What every public list's filters are made of: each one a query parameter, so a
filtered view is a URL, and each invalid value answered with a message beside
its field (see pages.list_page), never sent to the database."""

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q

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
