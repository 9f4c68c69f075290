"""What every public list shares: filtering, sortable columns, pagination, export.

A list answers 400, with each message beside its field, when a filter value,
page number or export format is invalid; it never guesses what was meant and
never shows a silently unfiltered list.
"""

from dataclasses import dataclass

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render

from .exports import FORMATS, export_response

PER_PAGE = 25


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

    @property
    def name(self):
        """Plural, as in the list's address and the export's file name: "agreements"."""
        return self.entry_type.path

    @property
    def title(self):
        return self.entry_type.title


def paginate(request, items, per_page, paginator_class=Paginator):
    """(page, problems): the page of `items` that ?page= asks for, or why there is none."""
    paginator = paginator_class(items, per_page)
    number = request.GET.get("page") or "1"
    try:
        return paginator.page(number), []
    except PageNotAnInteger:
        return None, ["The page number must be a whole number, such as 2."]
    except EmptyPage:
        pages = paginator.num_pages
        return None, [
            f"There is no page {number[:20]} here: this list has {pages} "
            f"page{'s' if pages != 1 else ''}."
        ]


def url_with(request, **changes):
    query = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    encoded = query.urlencode()
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
        problems.append("Exports come as CSV or JSON: use format=csv or format=json.")
    queryset = kind.export_queryset if fmt in FORMATS else kind.queryset
    filterset = kind.filterset(request.GET, queryset=queryset.all())
    valid = filterset.is_valid()
    if valid and not problems and fmt:
        rows = [kind.export_row(item) for item in filterset.qs]
        return export_response(request, fmt, kind.name, rows, filterset.form.cleaned_data)

    page = None
    if valid:
        page, page_problems = paginate(request, filterset.qs, PER_PAGE)
        problems += page_problems
    current_sort = request.GET.get("sort", "") if valid else ""
    ctx = {
        "kind": kind,
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "rows": page.object_list if page else [],
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


def page_urls(request, page):
    if page is None:
        return {}
    return {
        "previous": url_with(request, page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next": url_with(request, page=page.next_page_number()) if page.has_next() else "",
    }
