"""The timeline drawn to scale: every dated event on a time axis, as an SVG.

Each event is placed at its precision: a year as a span of that year (1 January
to 31 December), a month as a span of that month, a day as a point; in lanes by
entry type, or on /timeline/ by partner (the PARTNER_LANES partners with the
most entries). The axis is linear in time, so the years with nothing in them
take their true room, and a run of GAP_YEARS or more empty years is named.

Bounded whatever the data holds, in a fixed number of aggregated queries:

1. the events per lane and year, one GROUP BY per date column, all in one
   UNION ALL (`_counts`);
2. the marks of the lanes that can be drawn one by one (at most MARKS events
   in all, the smallest lanes first), in one UNION ALL (`_marks`); a lane
   with more, or whose marks would need more than MAX_ROWS rows, is drawn as
   a bar per year instead, each bar a link to that year of the list;
3. up to OFF_AXIS_SHOWN entries that have no year at all (a month without a
   year, or no date), in one UNION ALL of one short read per type (`_off_axis`);
4. by partner only: the busiest partners (`_busiest`).

The drawing is cached whole (pictures.cached), so a page that shows it makes
these queries once per content version. The markup carries classes only: its
look is the "Timeline to scale" section of static/css/site.css.

Its words are in the page's language, and the entries' names too (as
`entry.localized` reads them, from the same rows). On a right-to-left page
(Arabic) the chart is mirrored, as charts.Direction draws every picture: time runs
from right to left, the lanes' names on the right, the legend from the right.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

from django.db import connection
from django.db.models import CharField, Count, F, IntegerField, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from . import pictures
from .charts import Direction, coordinate, in_words, svg_text
from .dates import DatePrecision, PreciseDate
from .links import slug_url
from .models import (
    AgreementParty,
    CountOf,
    EngagementPartner,
    ExerciseParticipant,
    Partner,
    Procurement,
)
from .numbers import format_number
from .timeline import (
    _LISTS,
    DELIVERED,
    ENDS,
    EXERCISE_HELD,
    ORDERED,
    SOURCES,
    TAKES_EFFECT,
    conclusion,
    engagement_what,
    linked_lists,
)

# Marks drawn one by one in all lanes together; a lane that would pass it is
# drawn as counts per year. 300 marks over the generated data's 66 years still
# leave each mark its own place in at most MAX_ROWS rows.
MARKS = 300
MAX_ROWS = 6
# Entries with no year shown beside the chart, with the lists holding the rest.
OFF_AXIS_SHOWN = 10
# Lanes by partner: the partners with the most entries.
PARTNER_LANES = 8
# A run of at least this many years with no dated event is named on the chart.
GAP_YEARS = 5
LANES = ("type", "partner")

TYPES = {
    "agreement": pgettext_lazy("a lane of the timeline", "Agreements"),
    "exercise": pgettext_lazy("a lane of the timeline", "Exercises"),
    "equipment": pgettext_lazy("a lane of the timeline", "Equipment deals"),
    "engagement": pgettext_lazy("a lane of the timeline", "Engagements"),
}
# The relations through which each type's entries have partners.
PARTNER_RELATIONS = {
    "agreement": ("parties",),
    "exercise": ("participants",),
    "equipment": ("supplier", "manufacturer"),
    "engagement": ("partners",),
}
NAME_FIELDS = {
    "agreement": "title",
    "exercise": "name",
    "equipment": "system",
    "engagement": "title",
}
DETAIL_URLS = {
    "agreement": "partnerships:agreement-detail",
    "exercise": "partnerships:exercise-detail",
    "equipment": "partnerships:procurement-detail",
    "engagement": "partnerships:engagement-detail",
}
# What an event of each date column is, as timeline.py says it (its events functions).
COLUMN_WHAT = {1: TAKES_EFFECT, 2: ENDS, 3: EXERCISE_HELD, 4: ORDERED, 5: DELIVERED}

# Geometry, in the units of the viewBox; the CSS scales it to its container.
WIDTH = 960
LEFT, RIGHT = 14, WIDTH - 14
CHAR = 13 * 0.5  # an average character's width at the CSS's 13-unit font
LEGEND_Y = 18
LANES_TOP = 44
LANE_HEADER = 18  # the lane's name above its marks
ROW = 15  # a row of marks
BARS = 44  # the tallest bar of a lane drawn as counts
LANE_GAP = 12
DIAMOND = 5  # a day's diamond: half its width
AXIS_ROOM = 34


@dataclass(frozen=True)
class Mark:
    """One dated event on the axis."""

    lane: object
    type: str
    date: PreciseDate
    what: str
    name: str
    url: str

    @property
    def title(self):
        """The date as the source states it, and the entry's name."""
        return pgettext("an event's tooltip on the timeline", "%(date)s: %(name)s (%(what)s)") % {
            "date": self.date,
            "name": self.name,
            "what": self.what,
        }


@dataclass
class Lane:
    key: object  # a type, or a partner's id
    label: str
    counts: dict = field(default_factory=dict)  # year -> events
    marks: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [(mark, row)], when drawn one by one
    bars: bool = False
    link: dict = field(default_factory=dict)  # the list's query for this lane

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def height(self):
        drawn = BARS if self.bars else max(1, len({row for _, row in self.rows})) * ROW
        return LANE_HEADER + drawn + LANE_GAP


@dataclass
class OffAxis:
    name: str
    url: str
    when: str  # "February, year not stated" or "no date stated"
    type: str


@dataclass
class Chart:
    """What the page shows: the SVG, its caption, and the entries with no year."""

    svg: str = ""
    caption: str = ""
    summary: str = ""  # the caption's first sentence, for the page's description
    off_axis: list = field(default_factory=list)
    more_off_axis: list = field(default_factory=list)  # [(list name, address)]
    lanes: str = "type"
    id: str = "timeline-chart"

    @property
    def empty(self):
        return not self.svg

    @property
    def more_off_axis_links(self):
        """The lists of `more_off_axis` as links in a sentence: "<a>agreements</a> and …"."""
        return linked_lists(self.more_off_axis)


# -- placement ------------------------------------------------------------------------


def position(day):
    """A day as a fractional year: 1 January 2021 is 2021.0, 1 July about 2021.5."""
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def extent(date):
    """(start, end) of a known date in fractional years, at its precision: a year spans
    it whole, a month spans that month, a day is a point in the middle of the day."""
    value = date.value
    if date.precision == DatePrecision.YEAR:
        return (float(value.year), float(value.year + 1))
    if date.precision == DatePrecision.MONTH:
        following = datetime.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return (position(value), position(following))
    middle = position(value) + (position(value + datetime.timedelta(days=1)) - position(value)) / 2
    return (middle, middle)


@dataclass(frozen=True)
class Scale:
    first: int  # the first year drawn
    last: int  # the last year drawn (its whole year is on the axis)

    def x(self, when):
        return LEFT + (when - self.first) / (self.last + 1 - self.first) * (RIGHT - LEFT)

    @property
    def year_width(self):
        return (RIGHT - LEFT) / (self.last + 1 - self.first)


# -- reading --------------------------------------------------------------------------


def _columns(type):
    return [number for number, source in enumerate(SOURCES) if type in ("", source.type)]


def _dated(number):
    source = SOURCES[number]
    return source.model.objects.filter(source.shown).filter(**{f"{source.field}__isnull": False})


def _parts(type, partner, partner_ids):
    """[(column number, queryset, lane expression)]: each date column's rows, with the
    lane each row counts in (the column's number, or a partner's id, one row per
    partner the entry has among `partner_ids`)."""
    parts = []
    for number in _columns(type):
        source = SOURCES[number]
        rows = _dated(number).order_by()
        if partner_ids is None:
            if partner is not None:
                rows = rows.filter(source.partner(partner))
            parts.append((number, rows, Value(number, output_field=IntegerField())))
            continue
        for relation in PARTNER_RELATIONS[source.type]:
            related = rows.filter(**{f"{relation}__in": partner_ids})
            if relation == "manufacturer":  # counted once where it is the supplier too
                related = related.exclude(manufacturer=F("supplier"))
            parts.append((number, related, F(relation)))
    return parts


def _union(querysets, names, limit=None):
    """Rows of the querysets' UNION ALL, each read as a subquery of its own (so each
    may be ordered and sliced, which SQLite refuses in a compound's parts)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in names)
    selects, params = [], []
    for number, queryset in enumerate(querysets):
        sql, values = queryset.query.sql_with_params()
        selects.append(f"SELECT {columns} FROM ({sql}) {quote(f'part{number}')}")
        params.extend(values)
    if not selects:
        return []
    sql = " UNION ALL ".join(selects)
    if limit is not None:
        sql = f"SELECT {columns} FROM ({sql}) {quote('parts')} LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Year(ExtractYear):
    """A date's year; on SQLite read from the ISO text itself, not through the Python
    function Django registers for EXTRACT, which the counts call once per row: the
    generated data's 153,606 dated events took 371 ms to count that way."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


def _counts(parts):
    """{(lane, column): {year: events}} in one query."""
    querysets = [
        rows.annotate(o_lane=lane, o_year=_Year(SOURCES[number].field))
        .values("o_lane", "o_year")
        .annotate(o_column=Value(number, output_field=IntegerField()), o_n=Count("pk"))
        .values_list("o_lane", "o_column", "o_year", "o_n")
        for number, rows, lane in parts
    ]
    counts = {}
    for lane, column, year, n in _union(querysets, ("o_lane", "o_column", "o_year", "o_n")):
        years = counts.setdefault((int(lane), int(column)), {})
        years[int(year)] = years.get(int(year), 0) + int(n)
    return counts


_MARK_COLUMNS = (
    "o_lane",
    "o_column",
    "o_name",
    "o_name_fr",
    "o_name_ar",
    "o_slug",
    "o_kind",
    "o_hedge",
    "o_place",
    "o_date",
    "o_precision",
    "o_approximate",
)


def _marks(type, partner, drawn, by_partner):
    """The events of the lanes `drawn` one by one (types, or partners' ids when
    `by_partner`), as Marks, in one query."""
    text = CharField()
    querysets = []
    if by_partner:
        parts = _parts(type, partner, sorted(drawn))
    else:
        parts = [part for part in _parts(type, partner, None) if SOURCES[part[0]].type in drawn]
    for number, rows, lane in parts:
        source = SOURCES[number]
        has = {f.name for f in source.model._meta.get_fields()}
        querysets.append(
            rows.annotate(
                o_lane=lane,
                o_column=Value(number, output_field=IntegerField()),
                o_name=F(NAME_FIELDS[source.type]),
                o_name_fr=F(f"{NAME_FIELDS[source.type]}_fr"),
                o_name_ar=F(f"{NAME_FIELDS[source.type]}_ar"),
                o_slug=F("slug"),
                o_kind=F("kind") if "kind" in has else Value("", output_field=text),
                o_hedge=F("hedge") if "hedge" in has else Value("", output_field=text),
                o_place=F("place") if "place" in has else Value("", output_field=text),
                o_date=F(source.field),
                o_precision=F(f"{source.field}_precision"),
                o_approximate=F(f"{source.field}_approximate"),
            ).values_list(*_MARK_COLUMNS)
        )
    marks = []
    # The lanes' counts were read first: the limit only guards against a save between.
    for row in _union(querysets, _MARK_COLUMNS, limit=2 * MARKS):
        lane, column, *names, slug, kind, hedge, place, value, precision, approximate = row
        column = int(column)
        source = SOURCES[column]
        date = PreciseDate(_date(value), precision, bool(approximate))
        marks.append(
            Mark(
                lane=int(lane),
                type=source.type,
                date=date,
                what=_what(column, kind, hedge, place),
                name=_localized(source.model, NAME_FIELDS[source.type], *names),
                url=slug_url(DETAIL_URLS[source.type], slug),
            )
        )
    return marks


def _date(value):
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _localized(model, field, name, name_fr, name_ar):
    """An entry's name as `entry.localized` reads it, from the columns read with it."""
    entry = model(**{field: name, f"{field}_fr": name_fr or "", f"{field}_ar": name_ar or ""})
    return getattr(entry.localized, field)


def _what(column, kind, hedge, place):
    if column == 0:
        return conclusion(kind)
    if column == 6:
        return engagement_what(SimpleNamespace(kind=kind, hedge=hedge, place=place))
    return str(COLUMN_WHAT[column])


def _off_axis(type, partner):
    """Up to OFF_AXIS_SHOWN entries with no dated event, and the lists holding all of
    them when there are more: each type's first OFF_AXIS_SHOWN + 1 by key."""
    limit = OFF_AXIS_SHOWN + 1
    querysets = []
    kinds = [kind for kind in TYPES if type in ("", kind)]
    for index, kind in enumerate(kinds):
        sources = [source for source in SOURCES if source.type == kind]
        model = sources[0].model
        fields = [source.field for source in sources]
        rows = model.objects.filter(**{f"{name}__isnull": True for name in fields})
        if partner is not None:
            rows = rows.filter(sources[0].partner(partner))
        months = [F(f"{name}_month") for name in fields]
        month = Coalesce(*months) if len(months) > 1 else months[0]
        querysets.append(
            rows.annotate(
                o_type=Value(index, output_field=IntegerField()),
                o_pk=F("pk"),
                o_name=F(NAME_FIELDS[kind]),
                o_name_fr=F(f"{NAME_FIELDS[kind]}_fr"),
                o_name_ar=F(f"{NAME_FIELDS[kind]}_ar"),
                o_slug=F("slug"),
                o_month=month,
            )
            .order_by("pk")
            .values_list(*_OFF_AXIS_COLUMNS)[:limit]
        )
    rows = _union(querysets, _OFF_AXIS_COLUMNS)
    found, more = [], set()
    for index, kind in enumerate(kinds):
        of_kind = sorted((row for row in rows if int(row[0]) == index), key=lambda r: r[1])
        if len(of_kind) == limit:
            more.add(kind)
        found += [(kind, row) for row in of_kind]
    # Those whose month is stated first, then by type and key.
    found.sort(key=lambda item: (item[1][6] is None, kinds.index(item[0]), item[1][1]))
    if len(found) > OFF_AXIS_SHOWN:
        more.update(kind for kind, _row in found[OFF_AXIS_SHOWN:])
    shown = [
        OffAxis(
            name=_localized(_model(kind), NAME_FIELDS[kind], name, name_fr, name_ar),
            url=slug_url(DETAIL_URLS[kind], slug),
            when=_month_without_year(month),
            type=kind,
        )
        for kind, (_type, _pk, name, name_fr, name_ar, slug, month) in found[:OFF_AXIS_SHOWN]
    ]
    query = f"?{urlencode({'partner': partner.slug})}" if partner is not None else ""
    lists = [
        (str(name), reverse(url) + query) for kind, (name, url) in _LISTS.items() if kind in more
    ]
    return shown, lists


_OFF_AXIS_COLUMNS = ("o_type", "o_pk", "o_name", "o_name_fr", "o_name_ar", "o_slug", "o_month")


def _model(kind):
    return next(source.model for source in SOURCES if source.type == kind)


def _month_without_year(month):
    """ "February, year not stated" as the dates say it, or that no date is stated."""
    if not month:
        return pgettext("an entry without a date, beside the timeline", "no date stated")
    return str(PreciseDate(None, DatePrecision.MONTH_NO_YEAR, month=int(month)))


def _busiest(type):
    """[(id, name, slug)] of the PARTNER_LANES partners with the most entries of `type`
    (any type when it is empty), busiest first; each name in the page's language."""
    counts = {
        "agreement": CountOf(AgreementParty, "partner"),
        "exercise": CountOf(ExerciseParticipant, "partner"),
        "equipment": CountOf(Procurement, "supplier", "manufacturer"),
        "engagement": CountOf(EngagementPartner, "partner"),
    }
    wanted = [counts[kind] for kind in TYPES if type in ("", kind)]
    total = wanted[0]
    for more in wanted[1:]:
        total = total + more
    rows = (
        Partner.objects.annotate(o_entries=total)
        .filter(o_entries__gt=0)
        .order_by("-o_entries", "name")
        .values_list("pk", "slug", "name", "name_fr", "name_ar", "country_code", "kind")[
            :PARTNER_LANES
        ]
    )
    return [
        (
            pk,
            Partner(
                name=name, name_fr=name_fr, name_ar=name_ar, country_code=code, kind=kind
            ).localized.name,
            slug,
        )
        for pk, slug, name, name_fr, name_ar, code, kind in rows
    ]


# -- the chart --------------------------------------------------------------------------


def lanes_choice(query):
    """("type" or "partner", problem or "") from ?lanes=."""
    lanes = query.get("lanes", "") or "type"
    if lanes not in LANES:
        return "type", _("Show the lanes by type or by partner.")
    return lanes, ""


def cached_chart(partner=None, type="", lanes="type"):
    """The Chart of `partner`'s events (every partner's when None) of `type`, in lanes by
    "type" or by "partner", drawn once per content version."""
    if partner is not None:
        lanes = "type"
    key = (partner.pk if partner is not None else None, type, lanes)
    return pictures.cached("timeline", key, lambda: chart(partner, type, lanes))


def chart(partner=None, type="", lanes="type"):
    """The Chart, drawn now (see cached_chart)."""
    base = {"partner": partner.slug} if partner is not None else {}
    if lanes == "partner" and partner is None:
        busiest = _busiest(type)
        partner_ids = [pk for pk, _, _ in busiest]
        lane_list = [
            Lane(pk, name, link={"partner": slug, **({"type": type} if type else {})})
            for pk, name, slug in busiest
        ]
    else:
        partner_ids = None
        lane_list = [
            Lane(kind, str(label), link={**base, "type": kind})
            for kind, label in TYPES.items()
            if type in ("", kind)
        ]
    by_key = {lane.key: lane for lane in lane_list}
    parts = _parts(type, partner, partner_ids) if lane_list else []
    for (lane_key, column), years in _counts(parts).items():
        key = SOURCES[column].type if partner_ids is None else lane_key
        lane = by_key.get(key)
        if lane is None:
            continue
        for year, n in years.items():
            lane.counts[year] = lane.counts.get(year, 0) + n
    lane_list = [lane for lane in lane_list if lane.total]
    off_axis, more_off_axis = _off_axis(type, partner)
    result = Chart(off_axis=off_axis, more_off_axis=more_off_axis, lanes=lanes)
    if not lane_list:
        result.caption = _(
            "No event of these is dated to a year, so none has a place on the axis."
        )
        return result

    # The smallest lanes are drawn one by one while they fit under MARKS together.
    drawn, budget = set(), MARKS
    for lane in sorted(lane_list, key=lambda lane: lane.total):
        if lane.total <= budget:
            drawn.add(lane.key)
            budget -= lane.total
        else:
            lane.bars = True
    years = [year for lane in lane_list for year in lane.counts]
    scale = Scale(min(years), max(years))
    if drawn:
        for mark in _marks(type, partner, drawn, partner_ids is not None):
            lane = by_key.get(mark.type if partner_ids is None else mark.lane)
            if lane is not None and lane.key in drawn:
                lane.marks.append(mark)
    for lane in lane_list:
        if not lane.bars:
            lane.rows = _packed(lane.marks, scale)
            if lane.rows is None:
                lane.rows, lane.bars = [], True
    result.svg = _svg(lane_list, scale, lanes)
    result.summary, result.caption = _caption(lane_list, scale, lanes)
    return result


def _packed(marks, scale):
    """[(mark, row)]: each mark in the first row where it overlaps none, or None when
    that takes more than MAX_ROWS rows."""
    ends = []  # the right edge of each row so far
    placed = []
    for mark in sorted(marks, key=lambda mark: (extent(mark.date)[0], mark.name)):
        start, end = (scale.x(when) for when in extent(mark.date))
        left, right = _box(mark, start, end)
        for row, row_end in enumerate(ends):
            if left > row_end + 1:
                ends[row] = right
                break
        else:
            if len(ends) == MAX_ROWS:
                return None
            ends.append(right)
            row = len(ends) - 1
        placed.append((mark, row))
    return placed


def _box(mark, start, end):
    if mark.date.precision == DatePrecision.DAY:
        return start - DIAMOND, start + DIAMOND
    if mark.date.precision == DatePrecision.MONTH:
        middle = (start + end) / 2
        half = max(end - start, 3) / 2
        return middle - half, middle + half
    return start, end


def _events(n):
    return ngettext("%(count)s event", "%(count)s events", n) % {"count": format_number(n)}


def _lane_count(lane):
    """A lane's number of events, as the lane's line and the desc write it."""
    if lane.bars:
        return ngettext(
            "%(count)s event, counted per year", "%(count)s events, counted per year", lane.total
        ) % {"count": format_number(lane.total)}
    return _events(lane.total)


def _summary(lanes, scale, by):
    """ "5 dated events from 2001 to 2005, by type: Agreements 3, Engagements 2." """
    events = sum(lane.total for lane in lanes)
    parts = pgettext("between the lanes of the timeline's description", ", ").join(
        pgettext("a lane and its number of events", "%(lane)s %(count)s")
        % {"lane": lane.label, "count": format_number(lane.total)}
        for lane in lanes
    )
    values = {
        "count": format_number(events),
        "first": scale.first,
        "last": scale.last,
        "lanes": parts,
    }
    if by == "partner":
        if scale.first == scale.last:
            words = ngettext(
                "%(count)s dated event in %(first)s, by partner: %(lanes)s.",
                "%(count)s dated events in %(first)s, by partner: %(lanes)s.",
                events,
            )
        else:
            words = ngettext(
                "%(count)s dated event from %(first)s to %(last)s, by partner: %(lanes)s.",
                "%(count)s dated events from %(first)s to %(last)s, by partner: %(lanes)s.",
                events,
            )
    elif scale.first == scale.last:
        words = ngettext(
            "%(count)s dated event in %(first)s, by type: %(lanes)s.",
            "%(count)s dated events in %(first)s, by type: %(lanes)s.",
            events,
        )
    else:
        words = ngettext(
            "%(count)s dated event from %(first)s to %(last)s, by type: %(lanes)s.",
            "%(count)s dated events from %(first)s to %(last)s, by type: %(lanes)s.",
            events,
        )
    return words % values


def _caption(lanes, scale, by):
    summary = _summary(lanes, scale, by)
    words = [
        summary,
        _(
            "Each is placed as precisely as its source dates it: a year as a hatched span of "
            "that year, a month as a solid span of that month, a day as a diamond; "
            "a dashed outline marks a date the source gives as approximate."
        ),
    ]
    if by == "partner":
        words.append(
            ngettext(
                "The lanes are the %(count)s partner with the most entries; an entry with "
                "several of them is in each of their lanes.",
                "The lanes are the %(count)s partners with the most entries; an entry with "
                "several of them is in each of their lanes.",
                len(lanes),
            )
            % {"count": format_number(len(lanes))}
        )
    counted = [lane.label for lane in lanes if lane.bars]
    if counted:
        words.append(
            ngettext(
                "%(lanes)s has too many events to draw one by one: a bar for each year gives "
                "the number, and leads to that year in the list.",
                "%(lanes)s have too many events to draw one by one: a bar for each year gives "
                "the number, and leads to that year in the list.",
                len(counted),
            )
            % {"lanes": in_words(counted)}
        )
    gaps = _gaps(lanes, scale)
    if gaps:
        years = [
            pgettext("a range of years", "%(first)s–%(last)s") % {"first": a, "last": b}
            if a != b
            else str(a)
            for a, b in gaps
        ]
        words.append(_("No dated event in %(years)s.") % {"years": in_words(years)})
    return summary, " ".join(words)


def _gaps(lanes, scale):
    """Runs of GAP_YEARS or more years without a dated event, as (first, last)."""
    busy = {year for lane in lanes for year in lane.counts}
    gaps, start = [], None
    for year in range(scale.first, scale.last + 2):
        if year not in busy and year <= scale.last:
            start = year if start is None else start
        elif start is not None:
            if year - start >= GAP_YEARS:
                gaps.append((start, year - 1))
            start = None
    return gaps


# -- drawing --------------------------------------------------------------------------
#
# Laid out left to right; each x is written through a charts.Direction, which mirrors
# the chart on a right-to-left page (see the module).


def _svg(lanes, scale, by):
    direction = Direction(WIDTH)
    # By partner, a mark's colour says its type: the legend gives them a row.
    types_row = by == "partner" and not all(lane.bars for lane in lanes)
    tops, y = [], LANES_TOP + (22 if types_row else 0)
    for lane in lanes:
        tops.append(y)
        y += lane.height
    axis_y = y
    height = axis_y + AXIS_ROOM
    desc = _summary(lanes, scale, by)
    if any(lane.bars for lane in lanes):
        desc += " " + _("Lanes drawn as counts per year: %(lanes)s.") % {
            "lanes": in_words([lane.label for lane in lanes if lane.bars])
        }
    parts = [
        format_html(
            '<title id="timeline-chart-title">{}</title>', _("The timeline drawn to scale")
        ),
        format_html('<desc id="timeline-chart-desc">{}</desc>', svg_text(desc)),
        _defs(),
        _legend(types_row, any(lane.bars for lane in lanes), direction),
        _grid(scale, tops[0], axis_y, direction),
        _gap_labels(lanes, scale, tops, axis_y, direction),
        *(_lane(lane, top, scale, direction) for lane, top in zip(lanes, tops, strict=True)),
        _axis(scale, axis_y, direction),
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" viewBox="0 0 {} {}" '
        'direction="{}" aria-labelledby="timeline-chart-title timeline-chart-desc">{}</svg>',
        WIDTH,
        coordinate(height),
        direction.name,
        mark_safe("".join(parts)),  # every part was built by format_html
    )


def _defs():
    return mark_safe(
        '<defs><pattern id="timeline-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<line class="tl-hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>'
    )


def _legend(types_row, bars, direction):
    y = LEGEND_Y
    items, x = [], LEFT
    entries = [
        ("year", _("A year: its whole span")),
        ("month", _("A month")),
        ("day", _("A day")),
        ("approximate", pgettext("a date, in the timeline's legend", "Approximate")),
    ]
    if bars:
        entries.append(("bar", _("Events in a year (a lane too full to draw)")))
    for shape, words in entries:
        items.append(_legend_shape(shape, x, y, direction))
        items.append(
            format_html(
                '<text class="tl-legend-text" x="{}" y="{}">{}</text>',
                coordinate(direction.x(x + 26)),
                y,
                words,
            )
        )
        x += 26 + len(words) * CHAR + 18
    if types_row:
        x, y = LEFT, LEGEND_Y + 22
        for kind, label in TYPES.items():
            label = str(label)
            items.append(
                format_html(
                    '<rect class="tl-mark tl-month tl-{}" x="{}" y="{}" width="18" height="10"/>',
                    kind,
                    coordinate(direction.left(x, 18)),
                    y - 9,
                )
            )
            items.append(
                format_html(
                    '<text class="tl-legend-text" x="{}" y="{}">{}</text>',
                    coordinate(direction.x(x + 24)),
                    y,
                    label,
                )
            )
            x += 24 + len(label) * CHAR + 18
    return format_html('<g class="tl-legend">{}</g>', mark_safe("".join(items)))


def _legend_shape(shape, x, y, direction):
    if shape == "year":
        return format_html(
            '<rect class="tl-mark tl-year tl-legend-mark" x="{}" y="{}" width="20" height="10"/>',
            coordinate(direction.left(x, 20)),
            y - 9,
        )
    if shape == "month":
        return format_html(
            '<rect class="tl-mark tl-month tl-legend-mark" x="{}" y="{}" width="6" height="12"/>',
            coordinate(direction.left(x + 7, 6)),
            y - 10,
        )
    if shape == "day":
        return _diamond("tl-mark tl-day tl-legend-mark", direction.x(x + 10), y - 4)
    if shape == "approximate":
        return format_html(
            '<rect class="tl-mark tl-year tl-approximate tl-legend-mark" '
            'x="{}" y="{}" width="20" height="10"/>',
            coordinate(direction.left(x, 20)),
            y - 9,
        )
    return format_html(
        '<g class="tl-legend-mark">'
        '<rect class="tl-bar" x="{}" y="{}" width="5" height="6"/>'
        '<rect class="tl-bar" x="{}" y="{}" width="5" height="12"/>'
        '<rect class="tl-bar" x="{}" y="{}" width="5" height="9"/></g>',
        coordinate(direction.left(x + 2, 5)),
        y - 4,
        coordinate(direction.left(x + 8, 5)),
        y - 10,
        coordinate(direction.left(x + 14, 5)),
        y - 7,
    )


def _diamond(classes, x, y, title=""):
    """A day's diamond centred on x (symmetric: the same either way round)."""
    return format_html(
        '<path class="{}" d="M{} {}l{} {} {} {} {} {}z">{}</path>',
        classes,
        coordinate(x),
        coordinate(y - DIAMOND),
        DIAMOND,
        DIAMOND,
        -DIAMOND,
        DIAMOND,
        -DIAMOND,
        -DIAMOND,
        title,
    )


def _label_step(scale):
    """Years between labels, so that labels keep apart."""
    return next((step for step in (1, 2, 5, 10, 20, 25, 50) if step * scale.year_width >= 42), 100)


def _grid(scale, top, bottom, direction):
    step = _label_step(scale)
    lines = [
        format_html(
            '<line class="tl-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            coordinate(direction.x(scale.x(year))),
            top,
            coordinate(direction.x(scale.x(year))),
            coordinate(bottom),
        )
        for year in range(scale.first, scale.last + 2)
        if year % step == 0
    ]
    return format_html('<g class="tl-grid-lines">{}</g>', mark_safe("".join(lines)))


def _axis(scale, y, direction):
    step = _label_step(scale)
    tick_every = 1 if scale.year_width >= 4 else 5
    parts = [
        format_html(
            '<line class="tl-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            direction.x(LEFT),
            coordinate(y),
            direction.x(RIGHT),
            coordinate(y),
        )
    ]
    for year in range(scale.first, scale.last + 2):
        labelled = year % step == 0
        if not labelled and year % tick_every:
            continue
        x = scale.x(year)
        parts.append(
            format_html(
                '<line class="tl-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>',
                coordinate(direction.x(x)),
                coordinate(y),
                coordinate(direction.x(x)),
                coordinate(y + (7 if labelled else 4)),
            )
        )
        if labelled and year <= scale.last:
            parts.append(
                format_html(
                    '<text class="tl-year-label" x="{}" y="{}">{}</text>',
                    coordinate(direction.x(min(max(x, LEFT + 16), RIGHT - 16))),
                    coordinate(y + 22),
                    year,
                )
            )
    return format_html('<g class="tl-axis-group">{}</g>', mark_safe("".join(parts)))


def _gap_label(years):
    """The words a run of empty years gets, the longest first: they are tried in turn."""
    return (
        ngettext(
            "%(count)s year without a dated event", "%(count)s years without a dated event", years
        )
        % {"count": format_number(years)},
        ngettext("%(count)s year", "%(count)s years", years) % {"count": format_number(years)},
    )


def _gap_labels(lanes, scale, tops, axis_y, direction):
    labels = []
    for first, last in _gaps(lanes, scale):
        left, right = scale.x(first), scale.x(last + 1)
        years = last - first + 1
        for words in (*_gap_label(years), ""):
            if words and len(words) * CHAR + 8 <= right - left:
                break
        if not words:
            continue
        middle = (tops[0] + axis_y) / 2
        labels.append(
            format_html(
                '<rect class="tl-gap" x="{}" y="{}" width="{}" height="{}"/>'
                '<text class="tl-gap-text" x="{}" y="{}">{}</text>',
                coordinate(direction.left(left, right - left)),
                tops[0],
                coordinate(right - left),
                coordinate(axis_y - tops[0]),
                coordinate(direction.x((left + right) / 2)),
                coordinate(middle + 4),
                words,
            )
        )
    return format_html('<g class="tl-gaps">{}</g>', mark_safe("".join(labels)))


def _lane(lane, top, scale, direction):
    # The label at the start of the line (the left, or the right mirrored), the count at
    # its end: the CSS anchors the count at its end, which the svg's direction mirrors.
    label = format_html(
        '<text class="tl-lane-label" x="{}" y="{}"{}>{}</text>',
        direction.x(LEFT),
        top + 12,
        mark_safe(' lang="en"') if getattr(lane.label, "foreign", False) else "",
        direction.text(lane.label),
    )
    parts = [
        label,
        format_html(
            '<text class="tl-lane-count" x="{}" y="{}">{}</text>',
            direction.x(RIGHT),
            top + 12,
            _lane_count(lane),
        ),
        format_html(
            '<line class="tl-lane-rule" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            direction.x(LEFT),
            coordinate(top + lane.height - LANE_GAP / 2),
            direction.x(RIGHT),
            coordinate(top + lane.height - LANE_GAP / 2),
        ),
    ]
    body = top + LANE_HEADER
    if lane.bars:
        parts.append(_bars(lane, body, scale, direction))
    else:
        parts += [_mark(mark, body + row * ROW, scale, direction) for mark, row in lane.rows]
    return format_html(
        '<g class="tl-lane">{}</g>',
        mark_safe("".join(parts)),
    )


def _mark(mark, row_top, scale, direction):
    start, end = (scale.x(when) for when in extent(mark.date))
    title = format_html("<title>{}</title>", svg_text(mark.title))
    classes = f"tl-mark tl-{mark.date.precision} tl-{mark.type}"
    if mark.date.approximate:
        classes += " tl-approximate"
    middle = row_top + ROW / 2
    if mark.date.precision == DatePrecision.DAY:
        shape = _diamond(classes, direction.x(start), middle)
    elif mark.date.precision == DatePrecision.MONTH:
        width = max(end - start, 3)
        shape = format_html(
            '<rect class="{}" x="{}" y="{}" width="{}" height="12"/>',
            classes,
            coordinate(direction.left((start + end) / 2 - width / 2, width)),
            coordinate(middle - 6),
            coordinate(width),
        )
    else:
        shape = format_html(
            '<rect class="{}" x="{}" y="{}" width="{}" height="10"/>',
            classes,
            coordinate(direction.left(start, end - start)),
            coordinate(middle - 5),
            coordinate(end - start),
        )
    return format_html('<a href="{}">{}{}</a>', mark.url, title, shape)


def _bars(lane, top, scale, direction):
    tallest = max(lane.counts.values())
    bottom = top + BARS
    timeline = reverse("partnerships:timeline")
    bars = []
    for year, n in sorted(lane.counts.items()):
        height = max(1.5, BARS * n / tallest)
        left = scale.x(year)
        url = f"{timeline}?{urlencode({**lane.link, 'from': year})}"
        wide = scale.year_width > 3
        width = max(scale.year_width * (0.7 if wide else 1), 1)
        title = ngettext(
            "%(year)s: %(count)s event of %(lane)s; see them in the list",
            "%(year)s: %(count)s events of %(lane)s; see them in the list",
            n,
        ) % {"year": year, "count": format_number(n), "lane": lane.label}
        bars.append(
            format_html(
                '<a href="{}"><title>{}</title>'
                '<rect class="tl-bar tl-{}" x="{}" y="{}" width="{}" height="{}"/></a>',
                url,
                svg_text(title),
                lane.key if isinstance(lane.key, str) else "by-partner",
                coordinate(
                    direction.left(left + 0.15 * scale.year_width if wide else left, width)
                ),
                coordinate(bottom - height),
                coordinate(width),
                coordinate(height),
            )
        )
    return mark_safe("".join(bars))
