"""A list page's query: its rows and their capped count, in one statement, compiled
once per process for each shape of the filters (partnerships/compiled.py).

Building a filtered list's query and compiling it took more Python than
PostgreSQL took to answer it: on the fixtures, 1.5 ms of an agreements list's
12.6 ms in process, and a quarter of its Python function calls (compiled,
14,894 calls became 11,398; the equipment list's 16,444 became 12,115). Two requests with the same filters set, the same sort and the
same page differ only in the values filtered by, so each such shape is built
and compiled once. Each filter says how it takes its value (`Parameters` in
filters.py): a partner as its key, a choice as text, a year, each word of a
text; a sort, or a "yes" that is an EXISTS where "no" is a NOT EXISTS, chooses
the shape itself. The rows are what the ORM makes of the same SQL; a filter
set that cannot be compiled (a text of many words) is read by the ORM.
"""

from django.db.models import Func, IntegerField, Subquery

from ..compiled import CompiledShapes
from .filters import NOT_COMPILED

# The annotation each row of a page carries its list's capped count in.
COUNTED = "listed_count"

# Every list's shapes: each list's filters combined, each sort, each page. A shape
# keeps its compiled query, about 75 KB (measured with tracemalloc over 20
# shapes): at most 100 are kept, 7.5 MB a worker, the oldest dropped first, so
# that a crawler's combinations cost a compile each and no more memory.
SHAPES = CompiledShapes(maximum=100)


def capped_count(queryset, at_most):
    """The number of rows of `queryset`, counted up to `at_most`, as a subquery.

    `SELECT COUNT(*) FROM (SELECT … LIMIT n)` stops reading matches at the
    limit, where COUNT(*) OVER () would have every match read and kept. Not
    correlated with the query it is put in: PostgreSQL runs it once (an
    InitPlan), whatever the number of rows.
    """
    limited = queryset.order_by().values("pk")[:at_most]
    return Func(
        Subquery(limited),
        template="(SELECT COUNT(*) FROM %(expressions)s AS capped)",
        output_field=IntegerField(),
    )


def counted_rows(queryset, bottom, top, count_at_most):
    """Rows `bottom` to `top` of `queryset`, each carrying COUNTED: its rows counted
    up to `count_at_most` plus one (one more says that more match)."""
    counted = capped_count(queryset, count_at_most + 1)
    return queryset.annotate(**{COUNTED: counted})[bottom:top]


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def page_rows(kind, filterset, bottom, top, count_at_most):
    """The rows `bottom` to `top` of `kind`'s list filtered by the valid `filterset`, as
    `counted_rows` reads them, their partners linked; None where the filters cannot
    be compiled."""
    query = page_query(kind, filterset, bottom, top, count_at_most)
    if query is None:
        return None
    rows = SHAPES.all(*query, using=kind.queryset.db)
    if add_links := getattr(kind.queryset, "add_links", None):
        add_links(rows)
    return rows


def page_query(kind, filterset, bottom, top, count_at_most):
    """What SHAPES runs for that page: (shape, parameters, values, build), or None."""
    cleaned = filterset.form.cleaned_data
    shape = [kind.name, bottom, top, count_at_most]
    parameters, values, marked = {}, {}, {}
    for name, value in cleaned.items():
        taken = filterset.filters[name].compiled_parameters(value)
        if taken is NOT_COMPILED:
            return None
        if taken is None:
            shape.append((name, _hashable(value)))
            continue
        names = tuple(f"{name}_{n}" for n in range(len(taken.kinds)))
        parameters.update(zip(names, taken.kinds, strict=True))
        values.update(zip(names, taken.values, strict=True))
        marked[name] = (names, taken.mark)

    def build(markers):
        filtered_by = dict(cleaned)
        for name, (names, mark) in marked.items():
            filtered_by[name] = mark(tuple(markers[each] for each in names))
        queryset = filterset.filtered(kind.queryset.all(), filtered_by)
        return counted_rows(queryset, bottom, top, count_at_most)

    return tuple(shape), parameters, values, build
