"""The data-quality report (/quality/): what readers should not yet take on trust.

Seven sections, each an anchor entry pages link to ("[citation needed]" links to
#uncited):

- uncited: facts with a value that no supporting citation names, as the entry
  pages mark them "citation needed" (partnerships.footnotes.FactNotes), each
  link row a fact of its own (a party, a position, a person taking part, a
  value: partnerships.facts.LINKS);
- disputed: each fact a disputing citation names, with its quote;
- dates: approximate dates and months whose year the source does not state, the
  entries' own and their link rows' (a position's start, a value's period);
- unknown: the empty facts readers look for (an agreement's date, its value, an
  indicator's values and their periods…);
- broken-quotes: citations whose quote no longer occurs in their source's text;
- single-source: entries whose supporting citations all come from one source;
- unreviewed: saves no reviewer has marked seven days on.

The facts and their keys are partnerships.facts' declarations; each is turned
into SQL here, so that the database finds the problems and counts them (a
citation names a fact when its line of keys, padded with spaces, holds the key
between spaces: "date" is not found in "start_date"). A page reads a fixed
number of queries however many entries there are: one counts everything
(tally), then one for each section reads its first ROWS_PER_KIND rows of each
kind, none where the counts found nothing; Python sees only the rows shown (but
for the names of the links disputes name: a query for each kind of link named,
see Disputed.expand). Each kind of entry, and each of its kinds of link, adds
branches to those queries, never queries. The CSV export streams every row of
every section, a chunk at a time.

Broken quotes are the exception: quotes are compared with their source's text
normalized (sources.text), which SQL cannot do. The database passes over every
quote that occurs verbatim in its source's text, which a normalized one does too,
and only the others are compared here, each source's text normalized once.

The page speaks its language (English, French or Arabic), its entries named in it
(Rows.name_in_language); the CSV says its opening and its header in it, its rows in
English, as the lists' exports do. The counts and rows kept are the same in every
language.
"""

import contextlib
import csv
import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from config.page_cache import site_version
from sources.models import ENTRY_FIELDS, ENTRY_LABELS, Citation, Source
from sources.text import locator

from . import facts as fact_rules
from .dates import DatePrecision, PreciseDate
from .footnotes import FactNotes
from .history.models import Change, ReviewMark
from .history.registry import entry_types
from .links import pinned, slug_url
from .lists.exports import _batched, _cell, _Echo
from .models import IndicatorValue, Partner, choice_label, position_text, value_text
from .numbers import format_number
from .templatetags.precise_dates import moment_text
from .translations import DEFAULT, page_language

# Rows a section shows of each kind of entry (seven kinds: at most 175 a section);
# of broken quotes and unreviewed saves, ROWS_SHOWN in all. The CSV has every row.
ROWS_PER_KIND = 25
ROWS_SHOWN = 100
# A save is waiting for review once it is this old.
REVIEW_WITHIN = datetime.timedelta(days=7)
# Rows a CSV export reads at a time.
CSV_CHUNK = 1000

# How the report names each kind of entry (its "Kind" column).
NOUNS = {
    "partner": pgettext_lazy("kind of entry", "Partner"),
    "agreement": pgettext_lazy("kind of entry", "Agreement"),
    "exercise": pgettext_lazy("kind of entry", "Exercise"),
    "procurement": pgettext_lazy("kind of entry", "Equipment deal"),
    "person": pgettext_lazy("kind of entry", "Person"),
    "engagement": pgettext_lazy("kind of entry", "Engagement"),
    "indicator": pgettext_lazy("kind of entry", "Indicator"),
}
# The empty facts readers look for: an unknown here is a gap worth filling.
UNKNOWN = {
    "agreement": ("date", "value"),
    "exercise": ("start_date", "location"),
    "procurement": ("quantity", "order_date", "delivery_date", "value", "manufacturer"),
    "engagement": ("date", "place"),
}
# Links an entry is incomplete without ({entry type: {link prefix: how the report names
# their absence}}: an indicator with no value), and the dates of link rows readers look
# for ({link prefix: dates}: a value's period).
UNKNOWN_WITHOUT = {"indicator": {"value": gettext_lazy("values (none recorded)")}}
UNKNOWN_LINK_DATES = {"value": ("period",)}
# How readers see the dates of link rows named, a sentence each for the translators
# (the entries' own are facts.FACTS'): "start of position Secretary General, NATO".
LINK_DATE_LABELS = {
    # Translators: %(fact)s names a kind of link ("position"), %(name)s the row itself.
    "start_date": gettext_lazy("start of %(fact)s %(name)s"),
    "end_date": gettext_lazy("end of %(fact)s %(name)s"),
    "period": gettext_lazy("period of %(fact)s %(name)s"),
}
SUPPORTS, DISPUTES = Citation.Stance.SUPPORTS.value, Citation.Stance.DISPUTES.value
# What may be written into SQL as a literal: the declared keys and values.
_LITERAL = re.compile(r"[A-Za-z0-9_:]*")


# -- the kinds of entry, and their facts as SQL ----------------------------------------


def _q(name):
    return connection.ops.quote_name(name)


def _text(value):
    """A declared key or value as an SQL string literal."""
    if not _LITERAL.fullmatch(value):
        raise ValueError(f"{value!r} is not a declared key.")
    return f"'{value}'"


def _like_escaped(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(text, pattern):
    """`text` LIKE `pattern`, where a backslash escapes a wildcard (as PostgreSQL has it
    without saying so: an ESCAPE clause there converts the pattern at each row)."""
    escape = "" if connection.vendor == "postgresql" else " ESCAPE '\\'"
    return f"{text} LIKE {pattern}{escape}"


def names(alias, key, number=None):
    """(SQL, params): whether the citation `alias` names `key` among its facts; with
    `number`, an SQL column, the link fact `key`:<number>.

    Its line of keys, padded with a space each side, holds the key between spaces:
    "date" is not in "start_date value". The same without the padding, a test that
    costs no new string, passes over first the lines that cannot name it: in the
    generated data, reading the padded lines of 100,000 citations took 35 ms.
    """
    facts = f"{alias}.{_q('facts')}"
    padded = f"(' ' || {facts} || ' ')"
    word = _like_escaped(key)
    if number is None:
        sql = f"{_like(facts, '%s')} AND {_like(padded, '%s')}"
        return sql, [f"%{word}%", f"% {word} %"]
    pattern = f"(%s || CAST({number} AS VARCHAR(20)) || %s)"
    sql = f"{_like(facts, '%s')} AND {_like(padded, pattern)}"
    return sql, [f"%{word}:%", f"% {word}:", " %"]


def _probed(probe):
    """What keeps PostgreSQL from turning an EXISTS into a join, which reads every
    citation once: OFFSET 0, so that it tests each row (see _probing). SQLite always
    tests each row, along the citations' key."""
    return " OFFSET 0" if probe and connection.vendor == "postgresql" else ""


def _precise(model, prefix, alias):
    """The four columns of the precise date `prefix` of `model`'s rows at `alias`."""
    meta = model._meta
    return [
        f"{alias}.{_q(meta.get_field(name).column)}"
        for name in (prefix, f"{prefix}_precision", f"{prefix}_approximate", f"{prefix}_month")
    ]


def _uncertain(model, prefix, alias):
    """SQL true where the date `prefix` of `model`'s row `alias` is approximate or has no
    year."""
    precision, approximate = _precise(model, prefix, alias)[1:3]
    no_year = _text(DatePrecision.MONTH_NO_YEAR.value)
    return f"({approximate} = TRUE OR {precision} = {no_year})"


def _date_unknown(model, prefix, alias):
    """SQL true where the date `prefix` of `model`'s row `alias` is not given at all (nor
    a month without a year): as a Fact of its columns has no value."""
    value, month = _precise(model, prefix, alias)[::3]
    return f"({value} IS NULL AND {month} IS NULL)"


def _date_prefixes(model):
    """The precise dates of `model`'s rows, by their first column ("start_date")."""
    names = {f.name for f in model._meta.concrete_fields}
    return [f.name for f in model._meta.concrete_fields if f"{f.name}_precision" in names]


def _as_date(value):
    if isinstance(value, str):  # SQLite's raw rows
        return datetime.date.fromisoformat(value)
    return value


def _precise_date(value, precision, approximate, month):
    """A PreciseDate of a raw row's four columns."""
    return PreciseDate(
        _as_date(value),
        precision or "",
        bool(approximate),
        month if precision == DatePrecision.MONTH_NO_YEAR else None,
    )


# The dates a link row's name may show (a position's start and end): the columns each
# section's rows have for them.
MOST_LINK_DATES = 2
_DATE_PARTS = ("value", "precision", "approximate", "month")


def _no_date_columns(n):
    """The columns of a link row's `n`th date, empty (typed alike on every branch)."""
    return [
        f"CAST(NULL AS DATE) AS d{n}_value",
        f"CAST(NULL AS VARCHAR(20)) AS d{n}_precision",
        f"CAST(NULL AS BOOLEAN) AS d{n}_approximate",
        f"CAST(NULL AS INTEGER) AS d{n}_month",
    ]


def _no_link_columns():
    """The columns of a link row's name, empty: what a branch of an entry's own facts
    gives in their place (see Link.columns)."""
    columns = [
        "CAST(NULL AS INTEGER) AS linked_id",
        "CAST(NULL AS VARCHAR(250)) AS sort_name",
        "CAST(NULL AS VARCHAR(250)) AS name_a",
        "CAST(NULL AS VARCHAR(250)) AS name_b",
    ]
    for n in range(MOST_LINK_DATES):
        columns += _no_date_columns(n)
    return ", ".join(columns)


# A link row's name as a tuple: (linked_id, sort_name, name_a, name_b, then four
# columns of each of MOST_LINK_DATES dates).
LINK_COLUMNS = 4 + 4 * MOST_LINK_DATES


class Link:
    """One kind of link of a kind of entry (partnerships.facts.LinkFact): its rows, each
    a fact of the entry's ("party:12", "position:7"), as SQL reads them."""

    def __init__(self, kind, number, fact):
        self.kind = kind
        self.number = number
        self.fact = fact
        self.prefix = fact.prefix
        relation = kind.model._meta.get_field(fact.rows)
        self.model = relation.related_model
        self.entry_name = relation.field.name  # the link rows' key to the entry
        # What the key's number names: a partner or person, or the row itself.
        self.target = (
            self.model._meta.get_field(fact.target).related_model if fact.target else None
        )
        # Its place among the entry's facts, after the entry's own.
        self.place = len(kind.facts) + number
        self.dates = _date_prefixes(self.model)[:MOST_LINK_DATES]
        self.unknown_dates = [
            d for d in self.dates if d in UNKNOWN_LINK_DATES.get(self.prefix, ())
        ]
        # What the report says of an entry without one, where readers look for one.
        self.none_recorded = UNKNOWN_WITHOUT.get(kind.field, {}).get(self.prefix)
        self.required = self.none_recorded is not None

    def __repr__(self):
        return f"Link({self.kind.field!r}, {self.prefix!r})"

    @cached_property
    def table(self):
        return _q(self.model._meta.db_table)

    @cached_property
    def entry_column(self):
        return _q(self.model._meta.get_field(self.entry_name).column)

    @cached_property
    def number_column(self):
        """The column holding the number a key names ("partner_id", "id")."""
        meta = self.model._meta
        field = meta.get_field(self.fact.target) if self.fact.target else meta.pk
        return _q(field.column)

    def citing(self, stance, alias="l", probe=False):
        """(SQL, params): whether a citation with `stance` names the link row `alias`."""
        citations = _q(Citation._meta.db_table)
        kind = self.kind
        named, params = names("qc", self.prefix, number=f"{alias}.{self.number_column}")
        sql = (
            f"EXISTS (SELECT 1 FROM {citations} qc "
            f"WHERE qc.{kind.fk} = {alias}.{self.entry_column} "
            f"AND qc.{_q('stance')} = {_text(stance)} AND {named}{_probed(probe)})"
        )
        return sql, params

    def absent(self, alias="e"):
        """SQL true where the entry `alias` has no row of this link."""
        return (
            f"NOT EXISTS (SELECT 1 FROM {self.table} l "
            f"WHERE l.{self.entry_column} = {alias}.{self.kind.pk})"
        )

    def date_columns(self, prefix):
        """The date `prefix` of the row l, as a section's date_* columns."""
        return ", ".join(
            f"{column} AS date_{part}"
            for column, part in zip(_precise(self.model, prefix, "l"), _DATE_PARTS, strict=True)
        )

    # -- its rows' names ---------------------------------------------------------------

    def columns(self):
        """The link row l's name, as the columns _no_link_columns() spells empty: its
        number, what orders it, two parts of its name and up to MOST_LINK_DATES dates
        (a position's title, its body, its start and end; a value's figure, its basis,
        its period)."""
        meta = self.model._meta
        if self.target is not None:
            name = f"t.{_q(self.target._meta.get_field(ENTRY_LABELS[self.fact.named]).column)}"
            sort, name_a, name_b = name, name, "CAST(NULL AS VARCHAR(250))"
        elif self.fact.named == "position":
            title = f"l.{_q(meta.get_field('title').column)}"
            body = f"l.{_q(meta.get_field('body').column)}"
            sort, name_a, name_b = title, title, f"COALESCE(t.{_q('name')}, {body})"
        else:  # a value of a series: its figure and its basis, ordered by its period
            period = f"l.{_q(meta.get_field('period').column)}"
            sort = f"COALESCE(CAST({period} AS VARCHAR(10)), '')"
            name_a = f"CAST(l.{_q(meta.get_field('value').column)} AS VARCHAR(40))"
            name_b = f"l.{_q(meta.get_field('basis').column)}"
        parts = [
            f"l.{self.number_column} AS linked_id",
            f"{sort} AS sort_name",
            f"{name_a} AS name_a",
            f"{name_b} AS name_b",
        ]
        for n in range(MOST_LINK_DATES):
            if n < len(self.dates):
                columns = _precise(self.model, self.dates[n], "l")
                parts += [
                    f"{column} AS d{n}_{part}"
                    for column, part in zip(columns, _DATE_PARTS, strict=True)
                ]
            else:
                parts += _no_date_columns(n)
        return ", ".join(parts)

    def from_rows(self):
        """FROM the link rows l, their entries e and what names them t."""
        sql = (
            f"FROM {self.table} l JOIN {self.kind.table} e "
            f"ON e.{self.kind.pk} = l.{self.entry_column}"
        )
        if self.target is not None:
            target = self.target._meta
            sql += (
                f" JOIN {_q(target.db_table)} t "
                f"ON t.{_q(target.pk.column)} = l.{self.number_column}"
            )
        elif self.fact.named == "position":
            partner = self.model._meta.get_field("partner")
            sql += (
                f" LEFT JOIN {_q(Partner._meta.db_table)} t "
                f"ON t.{_q(Partner._meta.pk.column)} = l.{_q(partner.column)}"
            )
        return sql

    def name(self, columns, full=True):
        """A link row's name from its columns (LINK_COLUMNS of them, from columns()):
        in full as history and the entry's page name it ("Secretary General, NATO (from
        2014)", "2028: 5.2 (projection)"); else without its dates ("Secretary General,
        NATO", "5.2 (projection)"), to go with one of them."""
        name_a, name_b, *dates = columns[2:]
        if self.target is not None:
            return name_a
        row = SimpleNamespace()
        for n, prefix in enumerate(self.dates):
            for part, value in zip(_DATE_PARTS, dates[4 * n : 4 * n + 4], strict=True):
                column = prefix if part == "value" else f"{prefix}_{part}"
                if part == "value":
                    value = _as_date(value)
                elif part == "precision":
                    value = value or ""
                elif part == "approximate":
                    value = bool(value)
                setattr(row, column, value)
        if self.fact.named == "position":
            row.title, row.body, row.partner_id = name_a, name_b or "", None
            if full:
                return position_text(row, "")
            return f"{row.title}, {row.body}" if row.body else row.title
        number = Decimal(name_a) if name_a is not None else None
        if full:
            row.value, row.basis = number, name_b
            return value_text(row)
        figure = format_number(number) if number is not None else _("unknown")
        basis = str(choice_label(IndicatorValue.Basis, name_b)).lower()
        return f"{figure} ({basis})"

    def date_label(self, prefix, columns):
        """ "start of position Secretary General, NATO": a link row's date, named."""
        values = {"fact": self.fact.label, "name": self.name(columns, full=False)}
        label = LINK_DATE_LABELS.get(prefix)
        if label is None:  # a date declared since, named by its column
            # Translators: "start of position Secretary General, NATO", for a date
            # %(date)s that has no sentence of its own.
            return _("%(date)s of %(fact)s %(name)s") % {
                **values,
                "date": prefix.replace("_", " "),
            }
        return label % values

    def rows_of(self, **filters):
        """The link rows, with what names them read with them (for the few named in
        Python: a disputed one, an entry's on its admin form)."""
        rows = self.model._default_manager.filter(**filters)
        if self.target is not None:
            return rows.select_related(self.fact.target).order_by(f"{self.fact.target}__name")
        return rows.named() if hasattr(rows, "named") else rows

    def number_of(self, row):
        return getattr(row, f"{self.fact.target}_id") if self.target is not None else row.pk

    def columns_of(self, row):
        """A link row read by rows_of() as the columns columns() gives of it in SQL."""
        if self.target is not None:
            # The partner or person, named in the page's language.
            named = getattr(row, self.fact.target)
            name_a, name_b = named.localized[ENTRY_LABELS[self.fact.named]], None
        elif self.fact.named == "position":
            name_a = row.title
            name_b = row.partner.name if row.partner_id else row.body
        else:
            name_a = None if row.value is None else str(row.value)
            name_b = row.basis
        dates = []
        for n in range(MOST_LINK_DATES):
            if n < len(self.dates):
                prefix = self.dates[n]
                dates += [
                    getattr(row, prefix),
                    getattr(row, f"{prefix}_precision"),
                    getattr(row, f"{prefix}_approximate"),
                    getattr(row, f"{prefix}_month"),
                ]
            else:
                dates += [None] * 4
        return (self.number_of(row), None, name_a, name_b, *dates)


class Kind:
    """One kind of entry (one of ENTRY_FIELDS) and its facts, as SQL reads them."""

    def __init__(self, place, field):
        self.place = place
        self.field = field
        self.noun = NOUNS[field]
        self.model = Citation._meta.get_field(field).related_model
        self.facts = fact_rules.FACTS[field]
        named = fact_rules.facts_of(field)
        self.unknown = [named[key] for key in UNKNOWN.get(field, ())]
        fields = {f.name for f in self.model._meta.concrete_fields}
        self.dates = [f for f in self.facts if f.fields and f"{f.fields[0]}_precision" in fields]
        # Its links whose rows are facts of their own (partnerships.facts.LINKS).
        self.links = [
            Link(self, number, fact) for number, fact in enumerate(fact_rules.links_of(field))
        ]
        self.link_of = {link.prefix: link for link in self.links}

    def __repr__(self):
        return f"Kind({self.field!r})"

    def link_at(self, place):
        """The link whose rows a section's row of `place` (its fact_place) is of, or None
        for the entry's own facts."""
        number = place - len(self.facts)
        return self.links[number] if number >= 0 else None

    @cached_property
    def url_name(self):
        # Read when first needed: the registry is filled when the apps are ready.
        return entry_types.for_model(self.model).url_name

    # The SQL is spelled on first use, when the connection's quoting is known.
    @cached_property
    def table(self):
        return _q(self.model._meta.db_table)

    @cached_property
    def pk(self):
        return _q(self.model._meta.pk.column)

    @cached_property
    def label(self):
        return _q(self.model._meta.get_field(ENTRY_LABELS[self.field]).column)

    @cached_property
    def fk(self):
        """The citations' key to this kind of entry."""
        return _q(Citation._meta.get_field(self.field).column)

    def column(self, name, alias="e"):
        return f"{alias}.{_q(self.model._meta.get_field(name).column)}"

    def entry_columns(self):
        """The columns every row of a section starts with."""
        return (
            f"{self.place} AS kind_place, e.{self.pk} AS entry_id, e.{self.label} AS label, "
            f"e.{_q('slug')} AS slug"
        )

    def valued(self, fact, alias="e"):
        """SQL true where the entry has a value for `fact` (Fact.value_of)."""
        parts = []
        for name in fact.fields:
            field = self.model._meta.get_field(name)
            column = f"{alias}.{_q(field.column)}"
            if field.empty_strings_allowed:
                parts.append(f"({column} IS NOT NULL AND {column} <> '')")
            else:
                parts.append(f"{column} IS NOT NULL")
        sql = " OR ".join(parts) or "1 = 1"
        if len(fact.fields) == 1 and fact.unclaimed:
            claimed = ", ".join(_text(value) for value in fact.unclaimed)
            sql = f"{sql} AND {column} NOT IN ({claimed})"
        return f"({sql})"

    def uncertain(self, fact, alias="e"):
        """SQL true where the date `fact` is approximate or has no year."""
        return _uncertain(self.model, fact.fields[0], alias)

    def citing(self, stance, key, alias="e", probe=False):
        """(SQL, params): whether a citation of the entry with `stance` names `key`.

        With `probe`, tested for each entry along the citations' key (see
        _probing); else the keys of every entry so cited are read once, into a
        hashed set each entry is looked up in. Not a join: PostgreSQL cannot
        estimate how many lines of keys a LIKE matches, took them for one, and
        joined 30,000 agreements to 12,000 citations in a nested loop (37 s).
        """
        citations = _q(Citation._meta.db_table)
        named, params = names("qc", key)
        stance = f"qc.{_q('stance')} = {_text(stance)}"
        if probe:
            sql = (
                f"EXISTS (SELECT 1 FROM {citations} qc WHERE qc.{self.fk} = {alias}.{self.pk} "
                f"AND {stance} AND {named}{_probed(probe)})"
            )
        else:
            sql = (
                f"{alias}.{self.pk} IN (SELECT qc.{self.fk} FROM {citations} qc "
                f"WHERE qc.{self.fk} IS NOT NULL AND {stance} AND {named})"
            )
        return f"({sql})", params


KINDS = [Kind(place, field) for place, field in enumerate(ENTRY_FIELDS)]
KIND_OF = {kind.field: kind for kind in KINDS}


def entry_field_of(model):
    """The Citation field naming entries of `model` ("agreement"), or None."""
    return next((kind.field for kind in KINDS if kind.model is model), None)


# -- what is kept until the wiki changes --------------------------------------------


class Kept:
    """What the page reads of the whole wiki, kept in the shared cache until the wiki
    next changes: get(name, make) is make(), or what it gave before.

    The counts, the quotes not found and the sections' first rows read every
    entry and every quote (on the generated data, 2 s in all), and change only
    when the wiki does: they are kept under the page cache's version of the site,
    which every save replaces (config.page_cache), so that signed-in editors,
    whose pages are never cached, and the first reader after a change pay for
    them once. Kept only where pages are (PAGE_CACHE on, PAGE_CACHE_SECONDS above
    0); a cache that does not answer is passed by, as the page cache passes it by.
    """

    def __init__(self):
        self.prefix = None
        if settings.PAGE_CACHE and settings.PAGE_CACHE_SECONDS:
            with contextlib.suppress(Exception):  # the cache client's errors, timeouts
                version = site_version()["token"]
                self.prefix = f"quality:{settings.RELEASE}:{version}"

    def get(self, name, make):
        if self.prefix is None:
            return make()
        store, key = caches[settings.PAGE_CACHE_ALIAS], f"{self.prefix}:{name}"
        try:
            found = store.get(key)
        except Exception:
            return make()
        if found is None:
            found = make()
            with contextlib.suppress(Exception):
                store.set(key, found, timeout=settings.PAGE_CACHE_SECONDS)
        return found


# Where nothing is kept: the export, which reads everything anyway.
NOTHING_KEPT = SimpleNamespace(get=lambda name, make: make())


# -- counting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FactCount:
    """How many entries of a kind have a value for a fact, how many of those a supporting
    citation states, how many a citation disputes, how many have it uncertain (a date)."""

    valued: int = 0
    cited: int = 0
    disputed: int = 0
    uncertain: int = 0

    @property
    def uncited(self):
        return self.valued - self.cited


@dataclass(frozen=True)
class LinkCount:
    """How many link rows of a kind (each a fact of its entry's) there are, how many a
    supporting citation names, how many a citation disputes; of each of their dates, how
    many rows have it uncertain and how many unknown where readers look for it; how many
    entries have none where they should."""

    valued: int = 0
    cited: int = 0
    disputed: int = 0
    uncertain: tuple = ()
    unknown: tuple = ()
    missing: int = 0

    @property
    def uncited(self):
        return self.valued - self.cited


@dataclass(frozen=True)
class KindCount:
    kind: Kind
    entries: int
    facts: dict  # {fact key: FactCount}
    links: dict  # {link prefix: LinkCount}: its parties, positions, values…
    single: int  # entries all of whose supporting citations are from one source
    dispute_rows: int  # (disputing citation, fact it names) pairs

    def _sum(self, name):
        return sum(getattr(count, name) for count in self.facts.values()) + sum(
            getattr(count, name) for count in self.links.values()
        )

    @property
    def cited(self):
        return self._sum("cited")

    @property
    def uncited(self):
        return self._sum("uncited")

    @property
    def disputed(self):
        return self._sum("disputed")

    @property
    def unknown(self):
        own = sum(self.entries - self.facts[fact.key].valued for fact in self.kind.unknown)
        return own + sum(sum(c.unknown) + c.missing for c in self.links.values())

    @property
    def dates(self):
        own = sum(count.uncertain for count in self.facts.values())
        return own + sum(sum(count.uncertain) for count in self.links.values())


# A disputing citation in an entry's sum for a fact (_tally_query): more than it has
# citations.
DISPUTING = 1_000_000
# Each kind's counts are a row of the same columns: four for each of this many facts,
# and LINK_COUNTS for each of this many links.
MOST_FACTS = max(len(kind.facts) for kind in KINDS)
MOST_LINKS = max(len(kind.links) for kind in KINDS)
LINK_COUNTS = 4 + 2 * MOST_LINK_DATES


def _link_counts(kind):
    """(columns, params): LINK_COUNTS columns for each of MOST_LINKS links of `kind`: its
    rows, those cited, those disputed, the entries without one (where readers look for
    one), then of each date its rows with it uncertain and with it unknown (where readers
    look for it). Each a scalar subquery over the link rows, a scan of them each."""
    columns, params = [], []
    for number in range(MOST_LINKS):
        names = [f"l{number}_{name}" for name in ("rows", "cited", "disputed", "missing")]
        names += [f"l{number}_u{n}" for n in range(MOST_LINK_DATES)]
        names += [f"l{number}_k{n}" for n in range(MOST_LINK_DATES)]
        if number >= len(kind.links):
            columns += [f"0 AS {name}" for name in names]
            continue
        link = kind.links[number]
        supported, supported_params = link.citing(SUPPORTS)
        contested, contested_params = link.citing(DISPUTES)
        rows = f"FROM {link.table} l"
        counts = [
            f"(SELECT COUNT(*) {rows})",
            f"(SELECT COUNT(*) {rows} WHERE {supported})",
            f"(SELECT COUNT(*) {rows} WHERE {contested})",
            f"SUM(CASE WHEN {link.absent()} THEN 1 ELSE 0 END)" if link.required else "0",
        ]
        params += [*supported_params, *contested_params]
        for n in range(MOST_LINK_DATES):
            date = link.dates[n] if n < len(link.dates) else None
            counts.append(
                f"(SELECT COUNT(*) {rows} WHERE {_uncertain(link.model, date, 'l')})"
                if date
                else "0"
            )
        for n in range(MOST_LINK_DATES):
            date = link.dates[n] if n < len(link.dates) else None
            counts.append(
                f"(SELECT COUNT(*) {rows} WHERE {_date_unknown(link.model, date, 'l')})"
                if date in link.unknown_dates
                else "0"
            )
        columns += [f"{count} AS {name}" for count, name in zip(counts, names, strict=True)]
    return columns, params


def _tally_query(kind):
    """(SQL, params): one row of counts for `kind`, each entry and citation read once.

    Each entry's citations are grouped into a sum for each fact, telling whether a
    supporting and whether a disputing citation names it, and the first and last
    source that supports it; then each entry is tested for each fact. A figure for
    every fact of every entry costs what it costs: on the generated data, 100,000
    agreements and their 99,000 citations take 0.3 s (0.2 s grouping the
    citations). Readers are served the page from the shared page cache until the
    next change. Each link of an entry is a fact of its own (party:12, position:7),
    counted from the link rows.
    """
    citations = _q(Citation._meta.db_table)
    flags, flag_params = [], []
    stance = f"c.{_q('stance')}"
    for number, fact in enumerate(kind.facts):
        named, params = names("c", fact.key)
        # One sum for both stances: its supporting citations count one each, its
        # disputing ones DISPUTING each. Half the tests and sums of a flag for each.
        flags.append(
            f"SUM(CASE WHEN {named} THEN CASE WHEN {stance} = {_text(SUPPORTS)} THEN 1 "
            f"ELSE {DISPUTING} END ELSE 0 END) AS n{number}"
        )
        flag_params += params
    # Supported by one source: the first and the last are one.
    source = _q(Citation._meta.get_field("source").column)
    supporting = f"CASE WHEN c.{_q('stance')} = {_text(SUPPORTS)} THEN c.{source} END"
    flags.append(f"MIN({supporting}) AS first_source, MAX({supporting}) AS last_source")
    # How many facts its disputing citations name: a key more than the spaces between.
    facts = f"c.{_q('facts')}"
    keys = f"LENGTH({facts}) - LENGTH(REPLACE({facts}, ' ', '')) + 1"
    flags.append(
        f"SUM(CASE WHEN c.{_q('stance')} = {_text(DISPUTES)} THEN {keys} ELSE 0 END) "
        "AS dispute_rows"
    )

    columns = []
    for number in range(MOST_FACTS):
        if number >= len(kind.facts):
            columns += [f"0 AS {name}{number}" for name in "vcdu"]
            continue
        fact = kind.facts[number]
        # Supported: what is left of the sum once its disputing citations are taken off.
        supported = f"f.n{number} - f.n{number} / {DISPUTING} * {DISPUTING} > 0"
        contested = f"f.n{number} >= {DISPUTING}"
        # An entry's existence is shown, and then needs a citation, only when a
        # citation speaks to it.
        if fact.key == fact_rules.EXISTENCE:
            has_value = f"({supported} OR {contested})"
        else:
            has_value = kind.valued(fact)
        uncertain = "0"
        if fact in kind.dates:
            uncertain = f"SUM(CASE WHEN {kind.uncertain(fact)} THEN 1 ELSE 0 END)"
        columns += [
            f"SUM(CASE WHEN {has_value} THEN 1 ELSE 0 END) AS v{number}",
            f"SUM(CASE WHEN {has_value} AND {supported} THEN 1 ELSE 0 END) AS c{number}",
            f"SUM(CASE WHEN {contested} THEN 1 ELSE 0 END) AS d{number}",
            f"{uncertain} AS u{number}",
        ]
    columns.append("SUM(CASE WHEN f.first_source = f.last_source THEN 1 ELSE 0 END) AS single")
    columns.append("SUM(f.dispute_rows) AS dispute_rows")
    link_columns, link_params = _link_counts(kind)
    columns += link_columns
    sql = (
        f"SELECT {kind.place} AS kind_place, COUNT(*) AS entries, {', '.join(columns)} "
        f"FROM {kind.table} e LEFT JOIN (SELECT c.{kind.fk} AS entry_id, {', '.join(flags)} "
        f"FROM {citations} c WHERE c.{kind.fk} IS NOT NULL GROUP BY c.{kind.fk}) f "
        f"ON f.entry_id = e.{kind.pk}"
    )
    # The parameters in the order they are written: the links' counts', the flags'.
    return sql, [*link_params, *flag_params]


def _tally_rows():
    parts, params = [], []
    for kind in KINDS:
        sql, kind_params = _tally_query(kind)
        parts.append(f"SELECT * FROM ({sql}) AS t{kind.place}")
        params += kind_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [tuple(int(value or 0) for value in row) for row in cursor.fetchall()]


def tally(kept=NOTHING_KEPT):
    """A KindCount for each kind of entry, in KINDS' order: one query, or none where
    `kept` (a Kept) has them."""
    counts = {}
    dated = MOST_LINK_DATES
    for place, entries, *values in kept.get("tally", _tally_rows):
        kind = KINDS[place]
        per_fact, (single, dispute_rows), per_link = (
            values[: 4 * MOST_FACTS],
            values[4 * MOST_FACTS : 4 * MOST_FACTS + 2],
            values[4 * MOST_FACTS + 2 :],
        )
        facts = {
            fact.key: FactCount(*per_fact[4 * number : 4 * number + 4])
            for number, fact in enumerate(kind.facts)
        }
        links = {}
        for number, link in enumerate(kind.links):
            rows, cited, disputed, missing, *dates = per_link[
                LINK_COUNTS * number : LINK_COUNTS * (number + 1)
            ]
            links[link.prefix] = LinkCount(
                rows, cited, disputed, tuple(dates[:dated]), tuple(dates[dated:]), missing
            )
        counts[kind.field] = KindCount(kind, entries, facts, links, single, dispute_rows)
    return [counts[kind.field] for kind in KINDS]


# Rows a query may read, testing each for a citation through its entry's key, to find
# the first ROWS_PER_KIND of a section. Beyond it, a section's rows are found by
# reading the citations once (a hash join): 20 ms for the generated data's 140,000,
# where testing each entry took 2.4 µs (all 100,000 agreements: 240 ms).
PROBES_AT_MOST = 2000


def _probing(candidates, found):
    """Whether to find the first rows among `candidates` entries (or links), of which
    `found` qualify, by testing each in the page's order rather than by a join."""
    if not found:
        return False
    expected = candidates if found <= ROWS_PER_KIND else ROWS_PER_KIND * candidates / found
    return expected <= PROBES_AT_MOST


# -- the rows of each section -------------------------------------------------------------


@dataclass
class Row:
    """One problem: an entry (or a save), the fact it concerns, and what is wrong."""

    section: str
    kind: str  # how readers see its kind named: "Agreement"
    entry: str  # its name
    url: str = ""  # its page
    admin_url: str = ""
    fact: str = ""
    detail: str = ""
    quote: str = ""
    source: str = ""
    source_url: str = ""
    link: str = ""  # another page the row points to (a save's changes)
    link_text: str = ""
    deleted: bool = False  # a save's entry, deleted since


@dataclass(frozen=True)
class Branch:
    """A SELECT of some of one section's rows of one kind, without its ORDER BY."""

    kind: Kind
    sql: str
    params: list
    key_order: str = "entry_id"  # the export's order: along the entries' keys


def _admin_urls():
    """{model: a function giving an entry's admin change page from its key}."""
    marker = "0-quality-marker"
    urls = {}
    for entry_type in entry_types:
        meta = entry_type.model._meta
        try:
            pattern = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[marker])
        except NoReverseMatch:
            continue
        urls[entry_type.model] = lambda pk, pattern=pattern: pattern.replace(marker, str(pk))
    return urls


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _page(url_name, slug):
    """slug_url(url_name, slug), or "" where there is no such page."""
    try:
        return slug_url(url_name, slug)
    except NoReverseMatch:
        return ""


SLUG_MARKER = "0-quality-slug"


class Rows:
    """Turns the database's rows into Rows, with admin links for staff.

    An export makes a Row for each of a million problems on the generated data:
    each entry's address is its kind's pattern with the slug put in, as slug_url()
    makes it, without its look-ups for each (14 µs a row).

    With `localize` (a page in French or Arabic), the entries the rows name, and the
    partners and people their facts name, are named in the page's language once
    every section's rows are made (name_in_language): the database's rows, which
    the page keeps until the wiki changes, hold only their English names.
    """

    def __init__(self, staff, localize=False):
        self.admin = _admin_urls() if staff else {}
        self.patterns = {}
        self.localize = localize
        # (model, key, what to do with the entry's name), for name_in_language().
        self.waiting = []

    def name_later(self, model, key, fill):
        """With `localize`, fill(name) once name_in_language() has read the name of
        `model`'s entry `key` in the page's language."""
        if self.localize:
            self.waiting.append((model, key, fill))

    def name_in_language(self, kept=NOTHING_KEPT):
        """Gives the rows made so far their names in the page's language: a query for
        each kind of entry they name, none where `kept` has them. An entry deleted
        since keeps its English name."""
        keys = defaultdict(set)
        for model, key, _fill in self.waiting:
            keys[model].add(key)

        def read():
            names = {}
            for model, wanted in keys.items():
                label = ENTRY_LABELS[entry_field_of(model)]
                for entry in model._default_manager.filter(pk__in=wanted):
                    names[(model._meta.label, entry.pk)] = entry.localized[label]
            return names

        names = kept.get(f"names:{page_language()}", read) if keys else {}
        for model, key, fill in self.waiting:
            if (model._meta.label, key) in names:
                fill(names[(model._meta.label, key)])
        self.waiting = []

    def url(self, kind, slug):
        """The entry's page; "" while its kind has no pages (its rows are then listed
        without a link)."""
        if not SLUG.fullmatch(slug):
            return _page(kind.url_name, slug)
        if kind not in self.patterns:
            found = _page(kind.url_name, SLUG_MARKER)
            self.patterns[kind] = found.partition(SLUG_MARKER)[::2] if found else None
        if self.patterns[kind] is None:
            return ""
        before, after = self.patterns[kind]
        return f"{before}{slug}{after}"

    def entry(self, section, kind, row, **values):
        entry_id, label, slug = row[1:4]
        admin = self.admin.get(kind.model)
        made = Row(
            section,
            kind.noun,
            label,
            url=self.url(kind, slug),
            admin_url=admin(entry_id) if admin else "",
            **values,
        )
        if self.localize:
            self.name_later(kind.model, entry_id, functools.partial(setattr, made, "entry"))
        return made


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    about: str
    fact_heading: str = ""
    detail_heading: str = ""
    # The page's order of a kind's rows: the columns every branch of the section has.
    order: str = "label, entry_id"
    # Whether the page shows the first rows of each kind (else the first of all).
    per_kind: bool = True

    def branches(self, counts=None):
        """The section's SELECTs; none where it is not read by SQL alone.

        With `counts` ({kind field: KindCount}), none where they say there is
        nothing to find, and each to read as few rows as finding the first ones
        takes (see _probing); without, every one, each to read all its rows.
        """
        return []

    def make(self, rows, kind, row):
        raise NotImplementedError


class Uncited(Section):
    def branches(self, counts=None):
        for kind in KINDS:
            counted = counts[kind.field] if counts else None
            for number, fact in enumerate(kind.facts):
                existence = fact.key == fact_rules.EXISTENCE
                probe = False
                if counted:
                    found = counted.facts[fact.key]
                    if not found.uncited:
                        continue
                    # An entry's existence is a fact to cite only where it is disputed:
                    # every entry is a candidate.
                    candidates = counted.entries if existence else found.valued
                    probe = _probing(candidates, found.uncited)
                supported, params = kind.citing(SUPPORTS, fact.key, probe=probe)
                if existence:
                    # Shown on its page, with "citation needed", only when disputed.
                    disputed, disputed_params = kind.citing(DISPUTES, fact.key, probe=probe)
                    where, params = f"{disputed} AND NOT {supported}", disputed_params + params
                else:
                    where = f"{kind.valued(fact)} AND NOT {supported}"
                yield Branch(
                    kind,
                    f"SELECT {kind.entry_columns()}, {number} AS fact_place, "
                    f"{_text(fact.key)} AS fact, {_no_link_columns()} "
                    f"FROM {kind.table} e WHERE {where}",
                    params,
                )
            for link in kind.links:
                if counted and not counted.links[link.prefix].uncited:
                    continue
                # Each link tested: which row a citation names is known only by
                # matching its line of keys to the row's number.
                supported, params = link.citing(SUPPORTS, probe=True)
                yield Branch(
                    kind,
                    f"SELECT {kind.entry_columns()}, {link.place} AS fact_place, "
                    f"{_text(link.prefix)} AS fact, {link.columns()} {link.from_rows()} "
                    f"WHERE NOT {supported}",
                    params,
                    key_order="entry_id, linked_id",
                )

    def make(self, rows, kind, row):
        key, link_columns = row[5], row[6 : 6 + LINK_COLUMNS]
        link = kind.link_at(row[4])
        if link is None:
            label = fact_rules.facts_of(kind.field)[key].label
        else:
            linked_id = link_columns[0]

            def label_of(name):
                named = {(link.fact.named, linked_id): name}
                return fact_rules.label(kind.field, link.fact.key(linked_id), named)

            label = label_of(link.name(link_columns))
        made = rows.entry(self.id, kind, row, fact=label, detail=_("no supporting citation"))
        if link is not None and link.target is not None:
            # "party: Spain", the partner named in the page's language.
            rows.name_later(
                link.target, linked_id, lambda name: setattr(made, "fact", label_of(name))
            )
        return made


class Dates(Section):
    """A kind's uncertain dates: its entries' own, then its link rows' (a position's
    start and end, a value's period), each named as the entry's: "start of position
    Secretary General, NATO"."""

    def branches(self, counts=None):
        for kind in KINDS:
            counted = counts and counts[kind.field]
            for number, fact in enumerate(kind.facts):
                if fact not in kind.dates:
                    continue
                if counted and not counted.facts[fact.key].uncertain:
                    continue
                prefix = fact.fields[0]
                columns = ", ".join(
                    f"{column} AS date_{part}"
                    for column, part in zip(
                        _precise(kind.model, prefix, "e"), _DATE_PARTS, strict=True
                    )
                )
                yield Branch(
                    kind,
                    f"SELECT {kind.entry_columns()}, {number} AS fact_place, "
                    f"{_text(fact.key)} AS fact, 0 AS sub, {_no_link_columns()}, {columns} "
                    f"FROM {kind.table} e WHERE {kind.uncertain(fact)}",
                    [],
                )
            for link in kind.links:
                for sub, prefix in enumerate(link.dates):
                    if counted and not counted.links[link.prefix].uncertain[sub]:
                        continue
                    yield Branch(
                        kind,
                        f"SELECT {kind.entry_columns()}, {link.place} AS fact_place, "
                        f"{_text(link.prefix)} AS fact, {sub} AS sub, {link.columns()}, "
                        f"{link.date_columns(prefix)} {link.from_rows()} "
                        f"WHERE {_uncertain(link.model, prefix, 'l')}",
                        [],
                        key_order="entry_id, linked_id, sub",
                    )

    def make(self, rows, kind, row):
        key, sub = row[5], row[6]
        link_columns = row[7 : 7 + LINK_COLUMNS]
        when = _precise_date(*row[7 + LINK_COLUMNS :])
        link = kind.link_at(row[4])
        if link is None:
            label = fact_rules.facts_of(kind.field)[key].label
        else:
            label = link.date_label(link.dates[sub], link_columns)
        return rows.entry(self.id, kind, row, fact=label, detail=str(when))


class Unknown(Section):
    """A kind's facts readers look for that no source has given: its entries' own, the
    links it should have and has none of (an indicator's values), the dates of its link
    rows readers look for (a value's period)."""

    def branches(self, counts=None):
        for kind in KINDS:
            counted = counts and counts[kind.field]
            for number, fact in enumerate(kind.facts):
                if fact not in kind.unknown:
                    continue
                if counted and counted.facts[fact.key].valued == counted.entries:
                    continue
                yield Branch(
                    kind,
                    f"SELECT {kind.entry_columns()}, {number} AS fact_place, "
                    f"{_text(fact.key)} AS fact, 0 AS sub, {_no_link_columns()} "
                    f"FROM {kind.table} e WHERE NOT {kind.valued(fact)}",
                    [],
                )
            for link in kind.links:
                found = counted.links[link.prefix] if counted else None
                if link.required and not (found and not found.missing):
                    # "sub" -1: the entry has no such row at all.
                    yield Branch(
                        kind,
                        f"SELECT {kind.entry_columns()}, {link.place} AS fact_place, "
                        f"{_text(link.prefix)} AS fact, -1 AS sub, {_no_link_columns()} "
                        f"FROM {kind.table} e WHERE {link.absent()}",
                        [],
                    )
                for sub, prefix in enumerate(link.dates):
                    if prefix not in link.unknown_dates or (found and not found.unknown[sub]):
                        continue
                    yield Branch(
                        kind,
                        f"SELECT {kind.entry_columns()}, {link.place} AS fact_place, "
                        f"{_text(link.prefix)} AS fact, {sub} AS sub, {link.columns()} "
                        f"{link.from_rows()} WHERE {_date_unknown(link.model, prefix, 'l')}",
                        [],
                        key_order="entry_id, linked_id, sub",
                    )

    def make(self, rows, kind, row):
        key, sub, link_columns = row[5], row[6], row[7 : 7 + LINK_COLUMNS]
        link = kind.link_at(row[4])
        if link is None:
            label = fact_rules.facts_of(kind.field)[key].label
        elif link_columns[0] is None:
            label = link.none_recorded
        else:
            label = link.date_label(link.dates[sub], link_columns)
        return rows.entry(self.id, kind, row, fact=label, detail=_("unknown"))


def _citation_columns():
    citation, source = _q(Citation._meta.db_table), _q(Source._meta.db_table)
    source_key = _q(Citation._meta.get_field("source").column)
    columns = (
        f"c.{_q('id')} AS citation_id, c.{_q('quote')} AS quote, c.{_q('facts')} AS facts, "
        f"s.{_q('title')} AS source_title, s.{_q('slug')} AS source_slug"
    )
    joined = (
        f"FROM {citation} c JOIN {{table}} e ON e.{{pk}} = c.{{fk}} "
        f"JOIN {source} s ON s.{_q('id')} = c.{source_key}"
    )
    return columns, joined


class Disputed(Section):
    def branches(self, counts=None):
        columns, joined = _citation_columns()
        for kind in KINDS:
            if counts and not counts[kind.field].dispute_rows:
                continue
            yield Branch(
                kind,
                f"SELECT {kind.entry_columns()}, {columns} "
                f"{joined.format(table=kind.table, pk=kind.pk, fk=kind.fk)} "
                f"WHERE c.{_q('stance')} = {_text(DISPUTES)}",
                [],
                key_order="entry_id, citation_id",
            )

    def expand(self, rows, kind, found):
        """Each citation of `found` makes a row for each fact it disputes. The partners,
        people, positions and values its link facts name are named as its entry's page
        names them, from its links (a query for each kind of link named): one no longer
        linked is not named."""
        numbers = defaultdict(set)
        for row in found:
            for key in fact_rules.split(row[6]):
                if (named := fact_rules.link_of(kind.field, key)) is not None:
                    numbers[named[0].prefix].add(named[1])
        linked = defaultdict(dict)
        entries = {row[1] for row in found}
        for prefix, wanted in numbers.items():
            link = kind.link_of[prefix]
            by_number = f"{link.fact.target}__in" if link.fact.target else "pk__in"
            for one in link.rows_of(**{f"{link.entry_name}__in": entries, by_number: wanted}):
                entry_id = getattr(one, f"{link.entry_name}_id")
                name = link.name(link.columns_of(one))
                linked[entry_id][(link.fact.named, link.number_of(one))] = name
        for row in found:
            source_url = slug_url("sources:source-detail", row[8])
            for key in fact_rules.split(row[6]):
                yield rows.entry(
                    self.id,
                    kind,
                    row,
                    fact=fact_rules.label(kind.field, key, linked[row[1]]),
                    detail=_("disputed"),
                    quote=row[5],
                    source=row[7],
                    source_url=f"{source_url}?citation={row[4]}#citation-{row[4]}",
                )


class SingleSource(Section):
    def branches(self, counts=None):
        citation, source = _q(Citation._meta.db_table), _q(Source._meta.db_table)
        source_key = _q(Citation._meta.get_field("source").column)
        supports = f"c.{_q('stance')} = {_text(SUPPORTS)}"
        for kind in KINDS:
            if counts and not counts[kind.field].single:
                continue
            one = (
                f"(SELECT MIN(c.{source_key}) FROM {citation} c "
                f"WHERE c.{kind.fk} = e.{kind.pk} AND {supports})"
            )
            other = (
                f"EXISTS (SELECT 1 FROM {citation} c WHERE c.{kind.fk} = e.{kind.pk} "
                f"AND {supports} AND c.{source_key} <> s.{_q('id')})"
            )
            yield Branch(
                kind,
                f"SELECT {kind.entry_columns()}, s.{_q('title')} AS source_title, "
                f"s.{_q('slug')} AS source_slug FROM {kind.table} e "
                f"JOIN {source} s ON s.{_q('id')} = {one} WHERE NOT {other}",
                [],
            )

    def make(self, rows, kind, row):
        return rows.entry(
            self.id,
            kind,
            row,
            detail=_("every supporting citation is from one source"),
            source=row[4],
            source_url=slug_url("sources:source-detail", row[5]),
        )


UNCITED = Uncited(
    "uncited",
    gettext_lazy("Facts without a citation"),
    gettext_lazy(
        "Facts an entry records that no supporting citation states: their pages mark them "
        "“citation needed”. Each party to an agreement, each participant in an exercise, each "
        "position a person held, each partner and person taking part in an engagement and "
        "each value of an indicator is a fact of its own."
    ),
    fact_heading=pgettext_lazy("data-quality column", "Fact"),
    order="label, entry_id, fact_place, sort_name, linked_id",
)
DISPUTED = Disputed(
    "disputed",
    gettext_lazy("Disputes"),
    gettext_lazy(
        "Facts a source contradicts, each with the disputing quote (a fact two sources "
        "dispute is listed twice); the entry's page shows both sides."
    ),
    fact_heading=pgettext_lazy("data-quality column", "Fact disputed"),
    detail_heading=pgettext_lazy("data-quality column", "Disputing quote"),
    order="label, entry_id, citation_id",
)
DATES = Dates(
    "dates",
    gettext_lazy("Uncertain dates"),
    gettext_lazy(
        "Dates the source hedges (approximate) and months it gives without a year, the "
        "entries' own and those of a person's positions and an indicator's values."
    ),
    fact_heading=pgettext_lazy("data-quality column", "Date"),
    detail_heading=pgettext_lazy("data-quality column", "As the source gives it"),
    order="label, entry_id, fact_place, sort_name, linked_id, sub",
)
UNKNOWN_VALUES = Unknown(
    "unknown",
    gettext_lazy("Unknown values"),
    gettext_lazy(
        "Facts readers look for that no source has given yet: an agreement's date and value, "
        "an exercise's start and place, an equipment deal's quantity, dates, value and maker, "
        "an engagement's date and place, an indicator's values and the period of each."
    ),
    fact_heading=pgettext_lazy("data-quality column", "Unknown"),
    order="label, entry_id, fact_place, sub, sort_name, linked_id",
)
BROKEN = Section(
    "broken-quotes",
    gettext_lazy("Quotes not found in their source"),
    gettext_lazy(
        "Citations whose quote no longer occurs in the text of the source they cite (compared "
        "with quote marks, dashes and line breaks made alike)."
    ),
    fact_heading=pgettext_lazy("data-quality column", "Facts it states"),
    detail_heading=pgettext_lazy("data-quality column", "Quote"),
    per_kind=False,
)
SINGLE = SingleSource(
    "single-source",
    gettext_lazy("Entries resting on one source"),
    gettext_lazy("Entries whose supporting citations all come from a single source."),
    detail_heading=pgettext_lazy("data-quality column", "The one source"),
)
UNREVIEWED = Section(
    "unreviewed",
    gettext_lazy("Changes not reviewed after 7 days"),
    gettext_lazy(
        "Saves made more than a week ago that no reviewer has marked reviewed, oldest first."
    ),
    fact_heading=pgettext_lazy("data-quality column", "Change"),
    detail_heading=pgettext_lazy("data-quality column", "Saved"),
    per_kind=False,
)
SECTIONS = [UNCITED, DISPUTED, DATES, UNKNOWN_VALUES, BROKEN, SINGLE, UNREVIEWED]


# -- reading the sections ----------------------------------------------------------------


def _first_rows_query(section, counts):
    """(SQL, params): the first ROWS_PER_KIND rows of each kind in `section`, in order;
    None when `counts` say it has none.

    Each branch is cut to ROWS_PER_KIND before the branches of a kind are merged,
    so that a branch walking an index in the page's order may stop early.
    """
    by_kind = defaultdict(list)
    for branch in section.branches(counts):
        by_kind[branch.kind].append(branch)
    if not by_kind:
        return None
    parts, params = [], []
    for kind, branches in by_kind.items():
        merged = " UNION ALL ".join(
            f"SELECT * FROM ({branch.sql} ORDER BY {section.order} LIMIT {ROWS_PER_KIND}) "
            f"AS b{number}"
            for number, branch in enumerate(branches)
        )
        parts.append(
            f"SELECT * FROM ({merged} ORDER BY {section.order} LIMIT {ROWS_PER_KIND}) "
            f"AS k{kind.place}"
        )
        params += [param for branch in branches for param in branch.params]
    return " UNION ALL ".join(parts) + f" ORDER BY kind_place, {section.order}", params


def _first_rows(section, counts):
    query = _first_rows_query(section, counts)
    if query is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return cursor.fetchall()


def first_rows(section, rows, counts, kept=NOTHING_KEPT):
    """The Rows `section` shows: its first ROWS_PER_KIND of each kind of entry. One
    query, none when `counts` say there is nothing to show or `kept` has them."""
    found = kept.get(f"rows:{section.id}", lambda: _first_rows(section, counts))
    if not isinstance(section, Disputed):
        return [section.make(rows, KINDS[row[0]], row) for row in found]
    made = []
    for kind in KINDS:
        mine = [row for row in found if row[0] == kind.place]
        made += list(section.expand(rows, kind, mine))[:ROWS_PER_KIND]
    return made


def _streamed(sql, params):
    """The rows of `sql`, CSV_CHUNK at a time (from a server-side cursor on PostgreSQL)."""
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CSV_CHUNK):
            yield chunk
    finally:
        cursor.close()


def every_row(section, rows):
    """Every Row of `section`, branch by branch, each along its entries' keys.

    Each branch is read whole, as a materialized CTE: PostgreSQL plans a cursor's
    query to give its first rows soon, and chose for a branch a nested loop over
    every citation for each entry (five seconds, where the join took 0.2). Its
    server-side cursor WITH HOLD holds the whole result by the first fetch anyway.
    """
    for branch in section.branches():
        sql = f"WITH branch AS MATERIALIZED ({branch.sql}) SELECT * FROM branch"
        for chunk in _streamed(f"{sql} ORDER BY {branch.key_order}", branch.params):
            if isinstance(section, Disputed):
                yield from section.expand(rows, branch.kind, chunk)
            else:
                for row in chunk:
                    yield section.make(rows, branch.kind, row)


def _broken():
    """Every citation whose quote does not occur in its source's text: (kind's place,
    entry's key, name and slug, citation's key, quote and facts, source's title and
    slug), in the citations' order.

    The database passes over the quotes found verbatim in their source's text
    (normalized alike, each is found too, but where the text's next character is
    one that NFC would join to the quote's last: an accent typed apart); the others
    are compared normalized, each source's text normalized once.
    """
    citation, source = _q(Citation._meta.db_table), _q(Source._meta.db_table)
    source_key = _q(Citation._meta.get_field("source").column)
    # Both spell "where in the text", 0 when nowhere (Django's StrIndex).
    find = "STRPOS" if connection.vendor == "postgresql" else "INSTR"
    # Each text read once (and decompressed once, where PostgreSQL stores it
    # compressed), not once for each quote cited from it: on the generated data,
    # 140,000 quotes in 505 texts, 460 ms read through a join, 270 ms so.
    sql = (
        f"WITH texts AS MATERIALIZED (SELECT {_q('id')}, {_q('title')}, {_q('slug')}, "
        f"{_q('full_text')} || '' AS full_text FROM {source}) "
        f"SELECT c.{_q('id')}, c.{_q('quote')}, c.{_q('facts')}, c.{source_key}, "
        f"s.{_q('title')}, s.{_q('slug')}, {', '.join(f'c.{kind.fk}' for kind in KINDS)} "
        f"FROM {citation} c JOIN texts s ON s.{_q('id')} = c.{source_key} "
        f"WHERE {find}(s.full_text, c.{_q('quote')}) = 0 ORDER BY c.{_q('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        candidates = cursor.fetchall()
    if not candidates:
        return []
    texts = Source.objects.filter(pk__in={row[3] for row in candidates})
    finders = {pk: locator(text) for pk, text in texts.values_list("pk", "full_text")}
    broken = [row for row in candidates if finders[row[3]](row[1]) is None]
    found = []
    for kind in KINDS:
        mine = [row for row in broken if row[6 + kind.place] is not None]
        if not mine:
            continue
        # Their entries' names and addresses: a query for each kind that has any.
        entries = kind.model.objects.filter(pk__in={row[6 + kind.place] for row in mine})
        named = {
            pk: (pk, name, slug)
            for pk, name, slug in entries.values_list("pk", ENTRY_LABELS[kind.field], "slug")
        }
        found += [
            (kind.place, *named[row[6 + kind.place]], row[0], row[1], row[2], row[4], row[5])
            for row in mine
        ]
    return found


def _listed(labels):
    """ "date concluded, party: Spain": labels one after another, as the page's language
    separates them."""
    # Translators: what separates the items of a list of facts ("date concluded, value").
    return pgettext("list separator", ", ").join(str(label) for label in labels)


def broken_quotes(rows, kept=NOTHING_KEPT):
    """Every citation whose quote does not occur in its source's text, as Rows; read
    anew unless `kept` has them."""
    made = []
    for place, entry_id, label, slug, pk, quote, keys, title, source_slug in kept.get(
        "broken", _broken
    ):
        kind = KINDS[place]
        # A link fact by its kind alone ("party"): what a broken quote states.
        facts = [
            found[0].label
            if (found := fact_rules.link_of(kind.field, key))
            else fact_rules.label(kind.field, key)
            for key in fact_rules.split(keys)
        ]
        source_url = slug_url("sources:source-detail", source_slug)
        made.append(
            rows.entry(
                BROKEN.id,
                kind,
                (place, entry_id, label, slug),
                fact=_listed(facts),
                detail=_("quote not found in its source"),
                quote=quote,
                source=title,
                source_url=f"{source_url}?citation={pk}#citation-{pk}",
            )
        )
    return made


def unreviewed_saves():
    """The saves older than REVIEW_WITHIN that no one has marked reviewed, oldest first."""
    cutoff = timezone.now() - REVIEW_WITHIN
    # NOT EXISTS, an anti-join along the log's date index (as recent changes filter).
    marked = Exists(ReviewMark.objects.filter(change=OuterRef("pk")))
    return (
        Change.objects.filter(date__lt=cutoff)
        .filter(~marked)
        .select_related("user")
        .order_by("date", "id")
    )


def _noun(entry_type_name):
    kind = {"equipment": "procurement"}.get(entry_type_name, entry_type_name)
    return NOUNS.get(kind, entry_type_name.capitalize())


def change_row(change, rows):
    """A save waiting for review. Its entry is named as the log recorded it."""
    entry_type = change.type
    admin = rows.admin.get(entry_type.model) if entry_type else None
    said = {"when": moment_text(change.date), "editor": change.editor}
    if change.summary:
        # Translators: a save: "12 April 2024, 10:00 by Amina: “Adds the date”", the
        # editor's own edit summary between the quote marks.
        detail = _("%(when)s by %(editor)s: “%(summary)s”") % {**said, "summary": change.summary}
    else:
        detail = _("%(when)s by %(editor)s, without an edit summary") % said
    changes, url = "", ""
    if entry_type and change.entry_slug:
        changes = change.revision_url if change.created else change.compare_url
    if entry_type:
        with contextlib.suppress(NoReverseMatch):  # a kind of entry without pages yet
            url = change.entry_url
    return Row(
        UNREVIEWED.id,
        _noun(change.entry_type),
        change.label,
        url=url,
        deleted=change.deleted or not entry_type,
        admin_url=admin(change.entry_id) if admin and not change.deleted else "",
        fact=change.action,
        detail=detail,
        link=changes,
        link_text=_("what changed"),
    )


# -- the page ----------------------------------------------------------------------------


@dataclass
class Shown:
    """A section as the page shows it: its first rows and how many there are in all."""

    section: Section
    rows: list
    total: int

    @property
    def more(self):
        return self.total > len(self.rows)

    @property
    def total_text(self):
        return format_number(self.total)

    @property
    def listed_text(self):
        return format_number(len(self.rows))


# What the summary's table of facts gives of each kind of entry.
SUMMED = ("entries", "cited", "uncited", "disputed")


def _figures(values):
    return {name: format_number(values[name]) for name in SUMMED}


def report(request):
    fmt = request.GET.get("format", "")
    if fmt == "csv":
        return csv_response(request)
    problems = []
    if fmt:
        problems.append(_("The report downloads as CSV only: use format=csv, or no format."))
    rows = Rows(staff=request.user.is_staff, localize=page_language() != DEFAULT)
    kept = Kept()
    counted = tally(kept)
    counts = {count.kind.field: count for count in counted}

    def total(name):
        return sum(getattr(count, name) for count in counted)

    unreviewed = unreviewed_saves()
    with pinned():
        broken = broken_quotes(rows, kept)

        def listed(section, total_of):
            return Shown(section, first_rows(section, rows, counts, kept), total(total_of))

        shown = [
            listed(UNCITED, "uncited"),
            listed(DISPUTED, "dispute_rows"),
            listed(DATES, "dates"),
            listed(UNKNOWN_VALUES, "unknown"),
            Shown(BROKEN, broken[:ROWS_SHOWN], len(broken)),
            listed(SINGLE, "single"),
            Shown(
                UNREVIEWED,
                [change_row(change, rows) for change in unreviewed[:ROWS_SHOWN]],
                unreviewed.count(),
            ),
        ]
        rows.name_in_language(kept)
    ctx = {
        "sections": shown,
        "facts": [
            (count.kind.noun, _figures({name: getattr(count, name) for name in SUMMED}))
            for count in counted
        ],
        "fact_totals": _figures({name: total(name) for name in SUMMED}),
        "rows_per_kind": ROWS_PER_KIND,
        "csv_url": f"{reverse('partnerships:quality')}?format=csv",
        "staff": request.user.is_staff,
        "problems": problems,
    }
    return render(request, "partnerships/quality.html", ctx, status=400 if problems else 200)


# -- the export --------------------------------------------------------------------------

# The CSV's columns and their headers, said in the page's language. Its rows are in
# English on every page, as the lists' exports have them (partnerships.lists.exports):
# a file reads the same whichever language it was downloaded in.
CSV_COLUMNS = {
    "section": pgettext_lazy("data-quality CSV column", "section"),
    "entry_type": pgettext_lazy("data-quality CSV column", "entry_type"),
    "entry": pgettext_lazy("data-quality CSV column", "entry"),
    "url": pgettext_lazy("data-quality CSV column", "url"),
    "fact": pgettext_lazy("data-quality CSV column", "fact"),
    "detail": pgettext_lazy("data-quality CSV column", "detail"),
}


def _csv_cells(site, row):
    """The CSV's cells of `row`; its addresses made absolute, `site` before each."""
    detail = row.detail
    if row.quote:
        detail = f"{detail}: “{row.quote}” ({row.source})"
    elif row.source:
        detail = f"{detail}: {row.source}"
    if row.link:
        detail = f"{detail}; {row.link_text}: {site}{row.link}"
    return [
        row.section,
        row.kind,
        row.entry,
        f"{site}{row.url}" if row.url else "",
        row.fact,
        detail,
    ]


def _every_problem():
    rows = Rows(staff=False)
    for section in (UNCITED, DISPUTED, DATES, UNKNOWN_VALUES):
        yield from every_row(section, rows)
    yield from broken_quotes(rows)
    yield from every_row(SINGLE, rows)
    for change in unreviewed_saves().iterator(chunk_size=CSV_CHUNK):
        yield change_row(change, rows)


def _csv_pieces(opening, headers, site):
    writer = csv.writer(_Echo())
    yield writer.writerow([opening])
    yield writer.writerow(headers)
    # The rows in English (see CSV_COLUMNS), their addresses the English pages'.
    with translation.override(settings.LANGUAGE_CODE), pinned():
        for row in _every_problem():
            yield writer.writerow([_cell(value) for value in _csv_cells(site, row)])


def csv_response(request):
    """Every row of every section, streamed as CSV, cells a spreadsheet would run as
    formulas escaped as the lists' exports escape them."""
    made = timezone.now().replace(microsecond=0)
    # Said now, in the page's language: the rows are written once the view has returned.
    opening = _(
        "Data-quality report of the Morocco defense partnerships wiki, exported on "
        "%(made)s: one row per problem; %(address)s"
    ) % {"made": made.isoformat(), "address": request.build_absolute_uri()}
    headers = [str(header) for header in CSV_COLUMNS.values()]
    site = request.build_absolute_uri("/").removesuffix("/")
    response = StreamingHttpResponse(
        _batched(_csv_pieces(f"# {opening}", headers, site)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="data-quality-{made:%Y-%m-%d}.csv"'
    return response


# -- one entry's warnings, for its admin change form -------------------------------------


def warnings_for(entry_field, entry):
    """What the report says of one entry, as sentences for its editors: its uncited and
    disputed facts, uncertain dates (its own and its link rows'), a single source,
    quotes not found. Its citations with their sources are read in one query, and its
    rows of each kind of link (parties, positions, people taking part, values) in one
    each."""
    kind = KIND_OF[entry_field]
    citations = list(Citation.objects.filter(**{entry_field: entry}).select_related("source"))
    # {link: [the columns of each of its rows]}, and each row's name as the page names it.
    linked, names = {}, {}
    for link in kind.links:
        linked[link] = [link.columns_of(row) for row in link.rows_of(**{link.entry_name: entry})]
        for columns in linked[link]:
            names[(link.fact.named, columns[0])] = link.name(columns)
    notes = FactNotes(entry_field, entry, citations, linked=names)
    warnings = []

    uncited = []
    for fact in kind.facts:
        if fact.key == fact_rules.EXISTENCE:
            # Shown, and then needing a citation, only when a source disputes it.
            if notes.attested and not notes.stating(fact.key):
                uncited.append(fact.label)
        elif notes.needs_citation(fact.key):
            uncited.append(fact.label)
    for link, rows in linked.items():
        for columns in rows:
            key = notes.link_key(columns[0], link.prefix)
            if notes.needs_citation(key):
                uncited.append(fact_rules.label(entry_field, key, notes.partners))
    if uncited:
        warnings.append(
            ngettext(
                "No citation supports this fact: %(facts)s (its page marks it “citation needed”).",
                "No citation supports these facts: %(facts)s (its page marks them “citation "
                "needed”).",
                len(uncited),
            )
            % {"facts": _listed(uncited)}
        )

    disputed = notes.disputed_labels
    if disputed:
        warnings.append(
            ngettext(
                "A source disputes this fact: %(facts)s.",
                "A source disputes these facts: %(facts)s.",
                len(disputed),
            )
            % {"facts": _listed(disputed)}
        )

    dates = [(fact.label, PreciseDate.of(entry, fact.fields[0])) for fact in kind.dates]
    for link, rows in linked.items():
        for columns in rows:
            for n, prefix in enumerate(link.dates):
                when = _precise_date(*columns[4 + 4 * n : 8 + 4 * n])
                dates.append((link.date_label(prefix, columns), when))
    for label, when in dates:
        said = {"date": label, "when": when}
        if when.year_not_stated:
            # Translators: %(date)s names a date ("date concluded", "start of position
            # Secretary General, NATO"), %(when)s gives it ("February, year not stated").
            warnings.append(_("The %(date)s has no year: %(when)s.") % said)
        elif when.approximate:
            warnings.append(_("The %(date)s is approximate: %(when)s.") % said)

    sources = {c.source_id: c.source for c in citations if c.stance == SUPPORTS}
    if len(sources) == 1:
        (source,) = sources.values()
        warnings.append(
            _("It rests on a single source: every supporting citation is from “%(source)s”.")
            % {"source": source}
        )

    broken = [c for c in citations if locator(c.source.full_text)(c.quote) is None]
    for citation in broken:
        quote = citation.quote if len(citation.quote) <= 80 else citation.quote[:77] + "…"
        warnings.append(
            _("The quote “%(quote)s” no longer occurs in the text of “%(source)s”.")
            % {"quote": quote, "source": citation.source}
        )
    return warnings
