"""Queries of a fixed shape, built and compiled to SQL once per process.

On an entry page the ORM spent about 1 ms of Python building and compiling
each query (cloning querysets, resolving joins, ordering and annotations into
SQL) that PostgreSQL then answered in 0.15 ms. An entry page's queries differ
from one request to the next only in their values: the entry's slug or key.
A `Compiled` query builds its queryset once per process and database, with
markers where the values go, compiles it, and from then on runs that SQL with
each call's values, making the rows into model instances as Django's own
`ModelIterable` does (select_related objects and annotations included).

What stays the ORM's: the queryset that defines the shape, written as any
other; the SQL, which Django compiles; the rows' conversion (`results_iter`)
and the instances (`Model.from_db`, the related populators). Prefetching is
not carried over: each related set is a `Compiled` query of its own.
"""

import datetime
import threading
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# The values compiled in where a call's values go: of each parameter's type,
# and values no query of the site compares with.
_MARKER_BASE = -1_987_654_000


# Dates in the first year of the era: no date the site stores or compares with.
_DATE_MARKER_BASE = datetime.date(1, 1, 1)


def _marker(kind, index):
    if kind is int:
        return _MARKER_BASE - index
    if kind is str:
        return f"\x00compiled parameter {index}\x00"
    if kind is datetime.date:
        return _DATE_MARKER_BASE + datetime.timedelta(days=index)
    raise TypeError(f"A compiled query's parameters are int, str or date, not {kind!r}.")


def _bound(connection, kind, value):
    """`value` as the ORM puts a parameter of `kind` in the SQL's parameters."""
    if kind is datetime.date:
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class _Shape:
    """A query compiled for one database: its SQL, where each call's values go in the
    parameters, and how its rows become objects."""

    compiler: object
    sql: str
    params: tuple
    slots: tuple  # (position in params, parameter name)
    used: frozenset  # the parameters this shape has a place for
    rows_are_models: bool
    init_list: tuple = ()
    model_fields: slice | None = None
    populators: tuple = ()
    annotations: tuple = ()


class Compiled:
    """A query whose shape is fixed and whose values are not.

    `build(*constants, **markers)` returns the queryset, written as usual, with
    each named parameter where the call's value goes; `parameters` gives each
    name's type (int, str or date). `all(*constants, **values)` runs it and
    returns a list; `first(...)` the first object or None. Constants (an entry
    type's name, a LIMIT, whether a filter applies) choose among shapes, each
    compiled once; a call gives the values of exactly the parameters its shape
    uses (a shape without a filter takes no value for it). Only model querysets
    and the tuples of `values_list()` are supported; a queryset with
    `prefetch_related` is refused.
    """

    def __init__(self, build, **parameters):
        self.build = build
        self.parameters = parameters
        self._shapes = {}
        self._lock = threading.Lock()

    def all(self, *constants, using=DEFAULT_DB_ALIAS, **values):
        unknown = set(values) - set(self.parameters)
        if unknown:
            raise TypeError(
                f"A compiled query takes {sorted(self.parameters)}, not {sorted(unknown)}."
            )
        shape = self._shape(using, constants)
        if set(values) != shape.used:
            raise TypeError(
                f"This compiled query takes {sorted(shape.used)} with these constants, "
                f"not {sorted(values)}: its SQL has no place for "
                f"{sorted(set(values) - shape.used) or 'nothing more'}, and needs "
                f"{sorted(shape.used - set(values)) or 'nothing more'}."
            )
        connection = connections[using]
        params = list(shape.params)
        for position, name in shape.slots:
            params[position] = _bound(connection, self.parameters[name], values[name])
        with connection.cursor() as cursor:
            cursor.execute(shape.sql, params)
            rows = cursor.fetchall()
        if shape.compiler.has_extra_select:
            rows = [row[: shape.compiler.col_count] for row in rows]
        results = shape.compiler.results_iter([rows])
        if not shape.rows_are_models:
            return [tuple(row) for row in results]
        return self._objects(shape, results, using)

    def first(self, *constants, using=DEFAULT_DB_ALIAS, **values):
        found = self.all(*constants, using=using, **values)
        return found[0] if found else None

    @staticmethod
    def _objects(shape, rows, using):
        # As django.db.models.query.ModelIterable.__iter__ does, without the
        # known related objects, which only a related manager's queryset has.
        model = shape.compiler.klass_info["model"]
        objects = []
        for row in rows:
            obj = model.from_db(using, shape.init_list, row[shape.model_fields])
            for populator in shape.populators:
                populator.populate(row, obj)
            for name, position in shape.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _shape(self, using, constants):
        key = (using, constants)
        shape = self._shapes.get(key)
        if shape is None:
            with self._lock:
                shape = self._shapes.get(key) or self._compile(using, constants)
                self._shapes[key] = shape
        return shape

    def _compile(self, using, constants):
        markers = {
            name: _marker(kind, index)
            for index, (name, kind) in enumerate(self.parameters.items())
        }
        queryset = self.build(*constants, **markers)
        if queryset._prefetch_related_lookups:
            raise ValueError("A compiled query does not prefetch: compile each related set.")
        iterable = queryset._iterable_class
        if iterable not in (ModelIterable, ValuesListIterable):
            raise ValueError(f"A compiled query makes models or tuples, not {iterable.__name__}.")
        if iterable is ValuesListIterable and queryset.query.annotation_select:
            # values_list() may reorder annotated columns after the fact.
            raise ValueError("A compiled values_list() names fields, not annotations.")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        connection = connections[using]
        marker_names = {
            _bound(connection, self.parameters[name], marker): name
            for name, marker in markers.items()
        }
        slots = tuple(
            (position, marker_names[param])
            for position, param in enumerate(params)
            if isinstance(param, int | str | datetime.date) and param in marker_names
        )
        shape = {
            "compiler": compiler,
            "sql": sql,
            "params": tuple(params),
            "slots": slots,
            "used": frozenset(name for _, name in slots),
        }
        if iterable is ValuesListIterable:
            return _Shape(**shape, rows_are_models=False)
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Shape(
            **shape,
            rows_are_models=True,
            init_list=tuple(column[0].target.attname for column in compiler.select[start:end]),
            model_fields=slice(start, end),
            populators=tuple(get_related_populators(klass_info, compiler.select, using)),
            annotations=tuple(compiler.annotation_col_map.items()),
        )
