"""How many rows a table holds, as cheaply as the size of the table allows.

A count(*) reads every row (or every index entry): a few milliseconds at a
hundred thousand rows, more beyond. The home page says "about 100,000
agreements" instead, from PostgreSQL's own estimate (pg_class.reltuples, kept
by ANALYZE and autovacuum), once a table is past EXACT_UP_TO rows; below that,
and on SQLite, it counts. Two queries for any number of tables.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import pgettext

from .numbers import format_number

EXACT_UP_TO = 10_000


@dataclass(frozen=True)
class Count:
    value: int
    estimated: bool = False

    def __str__(self):
        """The count as the page's language writes it: "1,234", "about 100,000"."""
        if not self.estimated:
            return format_number(self.value)
        return pgettext("an estimated count", "about %(count)s") % {
            "count": format_number(_two_figures(self.value))
        }


def _two_figures(value):
    """100,234 -> 100,000; 12,345 -> 12,000: an estimate shown no finer than it is."""
    digits = len(str(value))
    step = 10 ** max(digits - 2, 0)
    return round(value / step) * step


def _estimates(tables):
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
            "AND relname = ANY(%s)",
            [list(tables)],
        )
        # -1: never analysed, so no estimate.
        return {name: int(rows) for name, rows in cursor.fetchall() if rows >= 0}


def table_counts(*models):
    """{model: Count} for each model, exact where the table is small."""
    tables = {model: model._meta.db_table for model in models}
    estimates = _estimates(tables.values())
    counts = {}
    exact = []
    for model, table in tables.items():
        estimate = estimates.get(table)
        if estimate is not None and estimate > EXACT_UP_TO:
            counts[model] = Count(estimate, estimated=True)
        else:
            exact.append(model)
    if exact:
        quote = connection.ops.quote_name
        selects = ", ".join(f"(SELECT COUNT(*) FROM {quote(tables[model])})" for model in exact)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {selects}")
            for model, value in zip(exact, cursor.fetchone(), strict=True):
                counts[model] = Count(value)
    return counts
