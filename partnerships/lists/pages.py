"""What every public list shares: filtering, sortable columns, pagination, export.

A list answers 400, with each message beside its field, when a filter value,
page number or export format is invalid; it never guesses what was meant and
never shows a silently unfiltered list.

Pages are reached by number up to MAX_PAGES deep, as recent changes are:
OFFSET reads every row it skips, and no reader pages that far when a filter or
the reversed sort gets there at once (the exports hold every row). The matches
are counted COUNT_AHEAD pages past the page shown and no further: a first
page says "more than 275 results" rather than count to the cap. At 100,000
agreements, counting the busiest partner's matches up to 10,000 took 9 ms, up
to 1,000 3.6 ms, up to 275 2.6 ms (most of it hashing the partner's 10,000
links; since, an index of the filtered columns lets the count merge them
instead: 0.5 ms, see agreement_filter_idx); the deepest page took 21 ms to serve
at offset 9,975, 11 ms at offset 975.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..numbers import format_number
from .exports import EXPORT_CHUNK, FORMATS, export_response
from .page_query import COUNTED, counted_rows, page_rows

PER_PAGE = 25
MAX_PAGES = 40  # 1,000 rows at 25 a page
# Pages counted beyond the one asked for (see CappedPaginator).
COUNT_AHEAD = 10


@dataclass(frozen=True)
class Column:
    label: str
    sort: str = ""  # the ?sort= value for this column; empty when it cannot sort


@dataclass(frozen=True)
class SortLink:
    label: str
    url: str = ""
    direction: str = ""  # "ascending" / "descending" when the list is sorted by it


@dataclass(frozen=True)
class ListKind:
    """One public list: its entry type, filters, querysets, columns and export."""

    entry_type: object  # the registry's EntryType
    filterset: type
    queryset: object
    export_queryset: object
    export_row: object
    columns: tuple
    template: str
    # The CSV header of each key of `export_row`'s rows, in the page's language; a key
    # without one is its own header. (JSON keys are an API: English.)
    export_headers: dict = None
    # Rows exported at a time, prefetches included: fewer where each row brings many
    # related rows (a source brings every citation of it).
    export_chunk: int = EXPORT_CHUNK

    @property
    def name(self):
        """Plural, as in the list's address and the export's file name: "agreements"."""
        return self.entry_type.path

    @property
    def title(self):
        return self.entry_type.title


class CappedPaginator(Paginator):
    """A paginator that counts no further than `count_at_most` rows (see `capped`):
    one `COUNT(*)` over at most that many rows plus one, however many match.

    No page deeper than `limit` rows can be opened (a list's is MAX_PAGES pages'
    worth; recent changes set their own), and the rows are counted only
    COUNT_AHEAD pages past the page `asked` for: enough for the pagination to
    go on, without counting a thousand rows to show the first 25.

    A page's rows and that count are read in one query, each row carrying the
    count (`page`); only a page with no rows, past the last, is counted apart.
    """

    # Said when a page past the cap is asked for, after "…and page 50 is further:";
    # empty: the plain "no such page".
    too_deep_advice = gettext_lazy(
        "narrow the filters, or reverse the sort to see the last rows first"
    )

    def __init__(self, *args, asked=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked = asked

    @property
    def limit(self):
        """The deepest row that can be paged to."""
        return self.per_page * MAX_PAGES

    @property
    def count_at_most(self):
        return min(self.limit, self.per_page * (max(self.asked, 1) + COUNT_AHEAD))

    @cached_property
    def _counted(self):
        # Unordered: which rows are counted does not matter, only how many, up to the cap.
        return self.object_list.order_by()[: self.count_at_most + 1].count()

    def page(self, number):
        """The page `number`, read with the count in one query where it has rows.

        Paginator makes two statements of it (the count, then the rows), each
        sent, planned and read apart; the count is now a subquery of the rows'
        statement, which PostgreSQL runs once. Pages past the deepest that can
        be opened, and a page found empty, are counted as Paginator counts
        them, for the message that says why there is no such page.
        """
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        bottom = (number - 1) * self.per_page
        if number < 1 or bottom >= self.limit:
            return super().page(number)
        top = min(bottom + self.per_page, self.count_at_most)  # no row past those counted
        rows = self.rows(bottom, top)
        if not rows and number > 1:
            return super().page(number)
        self.__dict__["_counted"] = getattr(rows[0], COUNTED) if rows else 0
        return self._get_page(rows, self.validate_number(number), self)

    def rows(self, bottom, top):
        """Rows `bottom` to `top`, each carrying the capped count (COUNTED)."""
        return list(counted_rows(self.object_list, bottom, top, self.count_at_most))

    @cached_property
    def count(self):
        return min(self._counted, self.count_at_most)

    @property
    def capped(self):
        """Whether more rows match than were counted."""
        return self._counted > self.count_at_most

    @property
    def at_limit(self):
        """Whether more rows match than can be paged through."""
        return self.capped and self.count_at_most == self.limit

    @property
    def count_text(self):
        """How many were counted, as the page's language writes it: "1,000", "1 000"."""
        return format_number(self.count)

    def too_deep(self, number):
        """Why page `number`, past the cap, cannot be opened; "" when nothing more is to be said."""
        if not (self.at_limit and self.too_deep_advice and int(number) > self.num_pages):
            return ""
        return _(
            "Only the first %(pages)s pages of a list can be opened, and page %(number)s is "
            "further: %(advice)s."
        ) % {"pages": self.num_pages, "number": number[:20], "advice": self.too_deep_advice}


class ListPaginator(CappedPaginator):
    """A public list's pages, read by its query compiled for the filters' shape
    (page_query.py). The filtered queryset is built only where a page is counted
    apart, or where the filters cannot be compiled."""

    def __init__(self, filterset, *args, kind, **kwargs):
        super().__init__(SimpleLazyObject(lambda: filterset.qs), *args, **kwargs)
        self.kind = kind
        self.filterset = filterset

    def _check_object_list_is_ordered(self):
        """Every list's order ends with its key (lists.filters.SortFilter)."""

    def rows(self, bottom, top):
        rows = page_rows(self.kind, self.filterset, bottom, top, self.count_at_most)
        return super().rows(bottom, top) if rows is None else rows


def paginate(request, items, per_page, paginator_class=Paginator, **options):
    """(page, problems): the page of `items` that ?page= asks for, or why there is none.
    `options` go to the paginator."""
    number = request.GET.get("page") or "1"
    if issubclass(paginator_class, CappedPaginator):
        asked = int(number) if number.isascii() and number.isdigit() and len(number) < 6 else 1
        paginator = paginator_class(items, per_page, asked=asked, **options)
    else:
        paginator = paginator_class(items, per_page, **options)
    try:
        return paginator.page(number), []
    except PageNotAnInteger:
        return None, [_("The page number must be a whole number, such as 2.")]
    except EmptyPage:
        pages = paginator.num_pages
        if isinstance(paginator, CappedPaginator) and (why := paginator.too_deep(number)):
            return None, [why]
        return None, [
            ngettext(
                "There is no page %(number)s here: this list has %(pages)s page.",
                "There is no page %(number)s here: this list has %(pages)s pages.",
                pages,
            )
            % {"number": number[:20], "pages": pages}
        ]


def url_with(request, **changes):
    """This page's address with `changes` made to its query: each key given is moved
    to the end with its new value, or removed where the value is empty.

    What QueryDict.copy() and .urlencode() made, without the deep copy of the
    query each call made (a list page asks for a dozen of these addresses)."""
    pairs = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in changes
        for value in values
    ]
    pairs += [(key, value) for key, value in changes.items() if value]
    encoded = urlencode(pairs)
    return f"{request.path}?{encoded}" if encoded else request.path


def _sort_links(request, columns, current):
    links = []
    for column in columns:
        if not column.sort:
            links.append(SortLink(column.label))
            continue
        direction = {column.sort: "ascending", f"-{column.sort}": "descending"}.get(current, "")
        following = f"-{column.sort}" if direction == "ascending" else column.sort
        links.append(
            SortLink(column.label, url_with(request, sort=following, page=None), direction)
        )
    return links


def list_page(request, kind):
    fmt = request.GET.get("format", "")
    problems = []
    if fmt and fmt not in FORMATS:
        problems.append(_("Exports come as CSV or JSON: use format=csv or format=json."))
    queryset = kind.export_queryset if fmt in FORMATS else kind.queryset
    filterset = kind.filterset(request.GET, queryset=queryset.all())
    valid = filterset.is_valid()
    if valid and (canonical := canonical_url(request, filterset.form)):
        return redirect(canonical)
    if valid and not problems and fmt:
        return export_response(
            request,
            fmt,
            kind.name,
            filterset.qs,
            kind.export_row,
            filterset.form.cleaned_data,
            chunk_size=kind.export_chunk,
            headers=kind.export_headers,
        )

    page = None
    if valid:
        page, page_problems = paginate(request, filterset, PER_PAGE, ListPaginator, kind=kind)
        problems += page_problems
    current_sort = request.GET.get("sort", "") if valid else ""
    ctx = {
        "kind": kind,
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "rows": page.object_list if page else [],
        "limit": format_number(PER_PAGE * MAX_PAGES),
        "columns": _sort_links(request, kind.columns, current_sort),
        "problems": problems,
        "filtered": any(
            value for key, value in request.GET.items() if key not in ("page", "format", "sort")
        ),
        "first_page_url": url_with(request, page=None, format=None),
        "page_urls": page_urls(request, page),
        "export_urls": {fmt: url_with(request, format=fmt, page=None) for fmt in FORMATS},
        "reset_url": request.path,
    }
    status = 200 if valid and not problems else 400
    return render(request, kind.template, ctx, status=status)


def canonical_url(request, form):
    """The address of the same view with each value as the URL spells it (a partner's
    slug for the name typed), or "" when it is that address already.

    `form` is valid; its fields that have a spelling give it as `url_value(cleaned)`.
    """
    changes = {}
    for name, field in form.fields.items():
        if hasattr(field, "url_value"):
            value = field.url_value(form.cleaned_data.get(name))
            if form.data.get(name, "") != value:
                changes[name] = value
    return url_with(request, **changes) if changes else ""


def page_urls(request, page):
    if page is None:
        return {}
    return {
        "previous": url_with(request, page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next": url_with(request, page=page.next_page_number()) if page.has_next() else "",
    }
