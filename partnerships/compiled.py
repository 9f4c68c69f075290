"""Queries of a fixed shape, built and compiled to SQL once per process.

On an entry page the ORM spent about 1 ms of Python building and compiling
each query (cloning querysets, resolving joins, ordering and annotations into
SQL) that PostgreSQL then answered in 0.15 ms. An entry page's queries differ
from one request to the next only in their values: the entry's slug or key.
A `Compiled` query builds its queryset once per process and database, with
markers where the values go, compiles it, and from then on runs that SQL with
each call's values, making the rows into model instances as Django's own
`ModelIterable` does (select_related objects and annotations included).
`CompiledShapes` does the same for queries whose shape each call chooses, such
as a filtered list's page (partnerships/lists/page_query.py).

What stays the ORM's: the queryset that defines the shape, written as any
other; the SQL, which Django compiles; the rows' conversion (`results_iter`)
and the instances (`Model.from_db`, the related populators). Prefetching is
not carried over: each related set is a `Compiled` query of its own.

A value goes where its marker went: as the whole of a parameter; inside a LIKE
pattern, as `icontains` and `startswith` put it (escaped as they escape it);
or, for a YEAR, as the first or last day of the year that `__year__gte` and
`__year__lte` compare a date with.
"""

import contextlib
import datetime
import threading
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# A parameter that is a year, which Django's year lookups compare a date with as
# the first or the last day of that year.
YEAR = "year"

# The values compiled in where a call's values go: of each parameter's type,
# and values no query of the site compares with.
_MARKER_BASE = -1_987_654_000

# Dates in the first year of the era, years in the second century: no date or
# year the site stores or compares with.
_DATE_MARKER_BASE = datetime.date(1, 1, 1)
_YEAR_MARKER_BASE = 100


def _marker(kind, index):
    if kind is int:
        return _MARKER_BASE - index
    if kind is str:
        # No whitespace (a text filter splits words), and a "%", which a LIKE
        # pattern escapes: where a pattern holds the marker, it is found escaped.
        return f"\x00compiled%parameter%{index}\x00"
    if kind is datetime.date:
        return _DATE_MARKER_BASE + datetime.timedelta(days=index)
    if kind == YEAR:
        return _YEAR_MARKER_BASE + index
    raise TypeError(f"A compiled query's parameters are int, str, date or YEAR, not {kind!r}.")


@contextlib.contextmanager
def planned_for_each_call(using=DEFAULT_DB_ALIAS):
    """Within it, PostgreSQL plans each query for the values it is sent.

    The site's connections prepare a query sent twice (settings.py), and after
    five runs PostgreSQL may keep one generic plan for all values: a plan made
    for an average partner (411 agreements on the generated data). For a query
    whose best plan turns on how many rows one partner has, such as a partner's
    timeline read from a date on, the generic plan read and sorted all 10,075 of
    the busiest partner's agreements (22 ms) where planned for that partner it
    read 51 along the date's index (1.8 ms). Such a query is sent unprepared,
    and planned each time (about 0.3 ms). Nothing changes on SQLite.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    psycopg_connection = connection.connection
    kept = psycopg_connection.prepare_threshold
    psycopg_connection.prepare_threshold = None
    try:
        yield
    finally:
        psycopg_connection.prepare_threshold = kept


# How a call's value goes into its parameter's place (a slot's `how`).
_WHOLE, _FIRST_DAY, _LAST_DAY = "whole", "first day", "last day"


def _bound(connection, kind, how, value):
    """`value` as the ORM puts a parameter of `kind` in the SQL's parameters."""
    ops = connection.ops
    if how == _FIRST_DAY:
        return ops.adapt_datefield_value(datetime.date(value, 1, 1))
    if how == _LAST_DAY:
        return ops.adapt_datefield_value(datetime.date(value, 12, 31))
    if how != _WHOLE:  # (escaped, before, after): a part of a pattern
        escaped, before, after = how
        return f"{before}{ops.prep_for_like_query(value) if escaped else value}{after}"
    if kind is datetime.date:
        return ops.adapt_datefield_value(value)
    return value


def _slots(connection, parameters, markers, params):
    """Where each marker landed in `params`: (position, parameter name, how)."""
    whole = {}
    patterns = []
    for name, marker in markers.items():
        kind = parameters[name]
        if kind == YEAR:
            whole[_bound(connection, kind, _FIRST_DAY, marker)] = (name, _FIRST_DAY)
            whole[_bound(connection, kind, _LAST_DAY, marker)] = (name, _LAST_DAY)
            continue
        whole[_bound(connection, kind, _WHOLE, marker)] = (name, _WHOLE)
        if kind is str:
            patterns.append((name, True, connection.ops.prep_for_like_query(marker)))
            patterns.append((name, False, marker))
    slots = []
    for position, param in enumerate(params):
        if not isinstance(param, int | str | datetime.date):
            continue
        if param in whole:
            slots.append((position, *whole[param]))
            continue
        if not isinstance(param, str):
            continue
        for name, escaped, text in patterns:
            if text in param:
                before, _, after = param.partition(text)
                if any(other in before + after for *_, other in patterns):
                    raise ValueError("A compiled query's pattern holds one parameter only.")
                slots.append((position, name, (escaped, before, after)))
                break
    return tuple(slots)


@dataclass(frozen=True)
class _Shape:
    """A query compiled for one database: its SQL, where each call's values go in the
    parameters, and how its rows become objects."""

    compiler: object
    sql: str
    params: tuple
    slots: tuple  # (position in params, parameter name, how the value goes in)
    used: frozenset  # the parameters this shape has a place for
    rows_are_models: bool
    init_list: tuple = ()
    model_fields: slice | None = None
    populators: tuple = ()
    annotations: tuple = ()

    def bound(self, connection, parameters, values):
        """(sql, params) with `values` in their places."""
        params = list(self.params)
        for position, name, how in self.slots:
            params[position] = _bound(connection, parameters[name], how, values[name])
        return self.sql, params


def _markers(parameters):
    return {name: _marker(kind, index) for index, (name, kind) in enumerate(parameters.items())}


def _compile(using, queryset, parameters, markers):
    """`queryset`, built with `markers` where `parameters` go, as a _Shape."""
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
    slots = _slots(connections[using], parameters, markers, params)
    shape = {
        "compiler": compiler,
        "sql": sql,
        "params": tuple(params),
        "slots": slots,
        "used": frozenset(name for _, name, _ in slots),
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


def _run(shape, using, parameters, values):
    if set(values) != shape.used:
        raise TypeError(
            f"This compiled query takes {sorted(shape.used)} with these constants, "
            f"not {sorted(values)}: its SQL has no place for "
            f"{sorted(set(values) - shape.used) or 'nothing more'}, and needs "
            f"{sorted(shape.used - set(values)) or 'nothing more'}."
        )
    connection = connections[using]
    sql, params = shape.bound(connection, parameters, values)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if shape.compiler.has_extra_select:
        rows = [row[: shape.compiler.col_count] for row in rows]
    results = shape.compiler.results_iter([rows])
    if not shape.rows_are_models:
        return [tuple(row) for row in results]
    return _objects(shape, results, using)


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


class Compiled:
    """A query whose shape is fixed and whose values are not.

    `build(*constants, **markers)` returns the queryset, written as usual, with
    each named parameter where the call's value goes; `parameters` gives each
    name's type (int, str, date or YEAR). `all(*constants, **values)` runs it
    and returns a list; `first(...)` the first object or None. Constants (an
    entry type's name, a LIMIT, whether a filter applies) choose among shapes,
    each compiled once; a call gives the values of exactly the parameters its
    shape uses (a shape without a filter takes no value for it). Only model
    querysets and the tuples of `values_list()` are supported; a queryset with
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
        return _run(self._shape(using, constants), using, self.parameters, values)

    def first(self, *constants, using=DEFAULT_DB_ALIAS, **values):
        found = self.all(*constants, using=using, **values)
        return found[0] if found else None

    def _shape(self, using, constants):
        key = (using, constants)
        shape = self._shapes.get(key)
        if shape is None:
            with self._lock:
                shape = self._shapes.get(key) or self._compile(using, constants)
                self._shapes[key] = shape
        return shape

    def _compile(self, using, constants):
        markers = _markers(self.parameters)
        return _compile(using, self.build(*constants, **markers), self.parameters, markers)


class CompiledShapes:
    """Queries whose shape each call chooses, each shape compiled once per process.

    `all(key, parameters, values, build)` runs the shape `key` names (a hashable
    description of everything that changes its SQL but its parameters) with
    `values`; the first call with that key calls `build(markers)`, which returns
    the queryset with each of `parameters`' markers where its value goes, as
    `Compiled`'s build does. At most `maximum` shapes are kept, the oldest
    dropped first: a visitor can make as many shapes as there are filters to
    combine, and a shape keeps its compiled query (75 KB for a list's page).
    """

    def __init__(self, maximum):
        self.maximum = maximum
        self._shapes = {}
        self._lock = threading.Lock()

    def all(self, key, parameters, values, build, using=DEFAULT_DB_ALIAS):
        return _run(self._shape(using, key, parameters, build), using, parameters, values)

    def sql(self, key, parameters, values, build, using=DEFAULT_DB_ALIAS):
        """(sql, params) as `all` would send them: for tests to compare with the ORM's."""
        shape = self._shape(using, key, parameters, build)
        return shape.bound(connections[using], parameters, values)

    def _shape(self, using, key, parameters, build):
        key = (using, key, tuple(parameters.items()))
        shape = self._shapes.get(key)
        if shape is None:
            markers = _markers(parameters)
            shape = _compile(using, build(markers), parameters, markers)
            with self._lock:
                while len(self._shapes) >= self.maximum:
                    del self._shapes[next(iter(self._shapes))]
                self._shapes[key] = shape
        return shape
