"""A list's rows with rows of another table each shows (an agreement's parties, a
person's positions, an indicator's values), read in one more query as plain values.

What prefetch_related() did for a page, without a model instance for each related
row, nor its matching of rows to instances: at the generated sizes a page of 25
agreements with their 40 parties was read in 2.5 ms with the prefetch, 1.8 ms so;
25 exercises with 118 participants, 4.2 and 2.0 ms. A list's page is read by a
compiled query (page_query.py), which cannot prefetch anyway, and a row that read
its related rows itself would cost a query a row.
"""

from collections import defaultdict

from django.db import models
from django.db.models.query import ModelIterable

from ..compiled import CompiledShapes

# Up to this many rows, the related rows' query is compiled once for each list and
# number of rows (a list's page has 25); beyond it, it is built by the ORM.
COMPILED_ROWS = 50
_SHAPES = CompiledShapes(maximum=6 * COMPILED_ROWS)


class AttachesRows(models.QuerySet):
    """A queryset that, when read, gives each of its rows `attribute`: the rows of
    `model` whose `key` points at it, each as `make(*columns)` (a tuple by default), in
    `order` (the model's own when empty), read in one query (`attaching`). Rows read
    by iterator() get none (the exports prefetch)."""

    _attach = None  # (model, key, columns, order, attribute, make)

    def attaching(self, model, key, columns, order, attribute, make=None):
        clone = self._chain()
        clone._attach = (model, key, tuple(columns), tuple(order), attribute, make)
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._attach = self._attach
        return clone

    def _fetch_all(self):
        read = self._result_cache is None
        super()._fetch_all()
        if read and self._iterable_class is ModelIterable:
            self.add_links(self._result_cache)

    def add_links(self, entries):
        """Gives each of `entries` its attached rows (the name page_query.page_rows calls)."""
        if not self._attach or not entries:
            return
        model, key, columns, order, attribute, make = self._attach

        def query(ids):
            found = model.objects.using(self.db).filter(**{f"{key}__in": ids})
            if order:
                found = found.order_by(*order)
            return found.values_list(key, *columns)

        if len(entries) > COMPILED_ROWS:
            rows = query([entry.pk for entry in entries])
        else:
            names = {f"entry_{n}": int for n in range(len(entries))}
            values = {name: entry.pk for name, entry in zip(names, entries, strict=True)}
            shape = (model._meta.label, key, columns, order)
            rows = _SHAPES.all(shape, names, values, lambda m: query(list(m.values())), self.db)
        make = make or (lambda *row: row)
        attached = defaultdict(list)
        for entry_id, *row in rows:
            attached[entry_id].append(make(*row))
        for entry in entries:
            setattr(entry, attribute, attached[entry.pk])
