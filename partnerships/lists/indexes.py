"""Indexes in the order a list shows its rows, so that a page (ORDER BY … LIMIT 25
OFFSET n) is read from the index instead of sorting every row first."""

from django.db import models
from django.db.models import OrderBy


class SortIndex(models.Index):
    """An index in a sort order that puts empty values last in descending order:
    `SortIndex(F("date").desc(nulls_last=True), F("title"), F("id"), name=…)`.

    PostgreSQL indexes `DESC NULLS LAST` as written. SQLite cannot index a
    NULLS clause, and needs none: its NULL sorts lowest, so last in descending
    order. It gets the same index without the clause.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self
        if schema_editor.connection.vendor != "postgresql":
            index = self.clone()
            index.expressions = tuple(_without_nulls_clause(e) for e in self.expressions)
        return super(SortIndex, index).create_sql(model, schema_editor, using=using, **kwargs)


def _without_nulls_clause(expression):
    if isinstance(expression, OrderBy):
        return OrderBy(expression.expression, descending=expression.descending)
    return expression
