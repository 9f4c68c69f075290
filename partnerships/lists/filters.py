"""What every public list's filters are made of: each one a query parameter, so a
filtered view is a URL, and each invalid value answered with a message beside
its field (see pages.list_page), never sent to the database."""

import copy
from typing import NamedTuple

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_filters.constants import EMPTY_VALUES

from ..compiled import YEAR

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
    """A number box that keeps what a visitor typed, even when it is not a number:
    then it is drawn as a text box (with the field's message beside it), since
    HTML forbids a value such as "x" on a number input."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        shown = context["widget"]["value"]
        if shown not in (None, "") and not _is_number(shown):
            context["widget"]["type"] = "text"
            context["widget"]["attrs"].setdefault("inputmode", "numeric")
        return context


def _is_number(text):
    try:
        float(str(text))
    except ValueError:
        return False
    return str(text).strip().lower() not in {"nan", "inf", "-inf", "+inf", "infinity"}


INVALID_CHOICE = gettext_lazy("Choose one of the options listed.")


class Parameters(NamedTuple):
    """How a list page's compiled query (page_query.py) takes a filter's value: as
    parameters of these kinds (partnerships/compiled.py) with these values, the
    filter being given `mark(markers)` where it was given the value."""

    kinds: tuple
    values: tuple
    mark: object


# A filter value that no compiled query takes (see TextFilter): the page is read
# by the ORM.
NOT_COMPILED = object()


def _first(markers):
    return markers[0]


class CopiedShallow:
    """A filter that each request's filter set copies shallowly.

    django-filter deep-copies every filter for each request (0.1 ms a list), its
    choices, widgets and messages with it, though all that a copy is given is
    its filter set and model. A filter with `method=` is given a FilterMethod
    of its own, as the deep copy gave it one.
    """

    def __deepcopy__(self, memo):
        twin = copy.copy(self)
        if self.method is not None:
            twin.method = self.method  # binds a FilterMethod to the twin
        return twin

    def compiled_parameters(self, value):
        """How a compiled page query takes `value`: Parameters, or None where the value
        chooses the query's shape (a sort, a "yes" that is an EXISTS and a "no" that
        is a NOT EXISTS), or NOT_COMPILED. None unless a filter knows better."""
        return None


class ChoiceFilter(CopiedShallow, django_filters.ChoiceFilter):
    """A choice whose error does not repeat the value sent (it may hold anything)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": INVALID_CHOICE})
        super().__init__(*args, **kwargs)

    def compiled_parameters(self, value):
        # A parameter where the choice is compared with a column as it is; a method
        # or a filter of its own may make anything of it, so it chooses the shape.
        plain = self.method is None and type(self).filter is django_filters.ChoiceFilter.filter
        if not plain or value in EMPTY_VALUES or value == self.null_value:
            return None
        return Parameters((str,), (value,), _first)


class YearFilter(CopiedShallow, django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        kwargs.setdefault(
            "error_messages", {"invalid": gettext_lazy("Enter a year, such as 2022.")}
        )
        kwargs.setdefault("widget", NumberInput(attrs={"placeholder": gettext_lazy("e.g. 2021")}))
        super().__init__(*args, **kwargs)

    def compiled_parameters(self, value):
        if value in EMPTY_VALUES or self.method is not None:
            return None
        return Parameters((YEAR,), (value,), _first)


class TextFilter(CopiedShallow, django_filters.CharFilter):
    """Free text: every word must occur in one of `fields`.

    On PostgreSQL a trigram index on each field's UPPER(…), the expression
    icontains compares, finds the rows without reading them all (partnerships
    0010, sources 0007): a field added here needs its index too.
    """

    def __init__(self, *args, fields=(), **kwargs):
        self.search_fields = fields
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        kwargs.setdefault("label", pgettext_lazy("filter", "Text"))
        kwargs.setdefault("widget", TextInput(attrs={"type": "search"}))
        super().__init__(*args, **kwargs)
        self.extra["validators"] = [ProhibitNullCharactersValidator()]

    # Texts of more words are searched by the ORM rather than compiled: each count
    # of words is a shape of its own.
    COMPILED_WORDS = 6

    def compiled_parameters(self, value):
        words = tuple(value.split()) if value else ()
        if not words or self.method is not None:
            return None
        if len(words) > self.COMPILED_WORDS:
            return NOT_COMPILED
        return Parameters((str,) * len(words), words, " ".join)

    def filter(self, qs, value):
        for word in value.split():
            matches = Q()
            for name in self.search_fields:
                matches |= Q(**{f"{name}__icontains": word})
            qs = qs.filter(matches)
        return qs


def _descending(label):
    return _("%(column)s (descending)") % {"column": label}


# A sort option's label, "Date (descending)", said in the language of the page it is on.
descending = lazy(_descending, str)


class SortFilter(CopiedShallow, django_filters.OrderingFilter):
    """?sort=date or ?sort=-date; the columns a list can be sorted by, given as
    `fields`: (column, ?sort= value, label) of each, each label offered both ways.

    Every order, the list's default one too, ends with the primary key, so that
    pages never repeat or skip a row. A sorted column's key follows its
    direction (`date, id` or `date DESC, id DESC`), so that one index serves a
    column both ways; a column that can be empty puts its empty rows last both
    ways (PostgreSQL would put them first in descending order, SQLite in
    ascending). The models' Meta.indexes hold indexes in exactly these orders,
    so that a page is read from an index rather than by sorting every row.
    """

    def __init__(self, *args, fields=(), **kwargs):
        kwargs.setdefault("label", pgettext_lazy("filter", "Sort by"))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": gettext_lazy("Choose a column to sort by.")}
        )
        kwargs.setdefault("empty_label", gettext_lazy("Default order"))
        kwargs["fields"] = [(column, param) for column, param, _label in fields]
        kwargs["choices"] = [
            choice
            for _column, param, label in fields
            for choice in ((param, label), (f"-{param}", descending(label)))
        ]
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or () if param]
        if not ordering:  # ?sort= and ?sort=, mean the default order
            return with_tie_breaker(qs)
        columns = [sort_column(qs.model, name) for name in ordering]
        return qs.order_by(*columns, "-pk" if ordering[-1].startswith("-") else "pk")


def sort_column(model, name):
    """`name` ("date" or "-date") as an ORDER BY term that puts empty values last."""
    descending = name.startswith("-")
    column = F(name.removeprefix("-"))
    if not can_be_empty(model, name.removeprefix("-")):
        return column.desc() if descending else column.asc()
    return column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)


def can_be_empty(model, path):
    """Whether the column at `path` ("supplier__name") may hold NULL in a list's query."""
    for name in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # an annotation, such as a count: never NULL
        if field.null:
            return True
        model = field.related_model
    return False


def with_tie_breaker(qs):
    """`qs` in its default order, the primary key last."""
    ordering = list(qs.query.order_by or qs.model._meta.ordering)
    if ordering and ordering[-1] in ("pk", "-pk"):
        return qs
    return qs.order_by(*ordering, "pk")


class ListFilterSet(django_filters.FilterSet):
    """Links each invalid field to its message, for screen readers."""

    def get_form_class(self):
        """The form class, made once for each filter set: django-filter makes a new one
        for every request (0.4 ms), although no list's fields depend on the request
        or the data. Each form still copies the fields it is made with."""
        filterset = type(self)
        if "_form_class" not in filterset.__dict__:
            filterset._form_class = super().get_form_class()
        return filterset._form_class

    @property
    def form(self):
        form = super().form
        if form.is_bound and not getattr(form, "_described", False):
            form._described = True
            describe_errors(form)
        return form

    def filter_queryset(self, queryset):
        return self.filtered(queryset, self.form.cleaned_data)

    def filtered(self, queryset, values):
        """`queryset` filtered by `values`, as the form's cleaned data gives them: what
        django-filter does with the form's, and a compiled page query with markers."""
        for name, value in values.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

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
