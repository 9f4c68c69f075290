"""Dated events drawn from agreements, exercises, procurements and engagements, in order.

An event whose month the source gives without a year ("in February") has no
place among the years: its date column is empty, so no page reads it. The
timeline lists such events apart, under "Year not stated" (`year_not_stated`),
at most YEAR_NOT_STATED_SHOWN of them, in one query per entry type.

The timeline is read a page at a time: each page is the PER_PAGE events that
follow (or precede) a place in time, so its cost is the same whatever the
wiki holds. A place is a cursor, "2021-03-04.4.17": an event's date, the
number of the date column it comes from (`SOURCES`) and its entry's id, the
three parts of every event's sort key; each date column is read in that order
from its index, FIRST_READ rows and then, where the page needs them, PER_PAGE + 1
more, and the columns' rows are merged.
"""

import datetime
import heapq
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import pgettext, pgettext_lazy

from .charts import in_words
from .compiled import Compiled, planned_for_each_call
from .dates import PreciseDate
from .dates import year_not_stated as with_a_month_without_year
from .models import (
    TAKES_EFFECT_LATER,
    Agreement,
    Engagement,
    Exercise,
    Procurement,
    choice_label,
)

# Each date column reads up to PER_PAGE + 1 rows for a page, most of them not
# shown: at 100 a page, a page of the generated data hydrated some 700 entries
# (20 ms); at 50, half that.
PER_PAGE = 50
# Rows each date column reads first: a column whose rows may reach further into
# the page is read again, from its last row on (`_merged`). The generated data's
# latest page reads 6 × 12 + 51 rows, where reading every column to
# PER_PAGE + 1 read 257, all 50 events shown coming from one column. A partner's
# timeline reads a page's worth at once: read again from a row, the busiest
# partner's column met a plan that hashed 8,089 agreements (18 ms), where a page's
# worth of that column read at once took 0.8 ms.
FIRST_READ = 12
# Events whose year the sources do not state, listed apart on every page of the
# timeline: at most this many, with a pointer to the lists when there are more.
YEAR_NOT_STATED_SHOWN = 20


# What an event is, in the page's language: the words of each date column's events
# (an agreement's conclusion by its kind, an engagement by its kind: see
# engagement_what).
CONCLUDED = {
    Agreement.Kind.TREATY: pgettext_lazy("timeline event", "Treaty concluded"),
    Agreement.Kind.MEMORANDUM: pgettext_lazy(
        "timeline event", "Memorandum of understanding concluded"
    ),
    Agreement.Kind.COOPERATION: pgettext_lazy("timeline event", "Cooperation agreement concluded"),
    Agreement.Kind.CONTRACT: pgettext_lazy("timeline event", "Contract concluded"),
    Agreement.Kind.ACTION_PLAN: pgettext_lazy("timeline event", "Action plan concluded"),
    Agreement.Kind.FRAMEWORK: pgettext_lazy("timeline event", "Partnership framework concluded"),
    Agreement.Kind.DESIGNATION: pgettext_lazy("timeline event", "Status designation concluded"),
}
TAKES_EFFECT = pgettext_lazy("timeline event", "Takes effect")
ENDS = pgettext_lazy("timeline event", "Ends")
EXERCISE_HELD = pgettext_lazy("timeline event", "Exercise held")
ORDERED = pgettext_lazy("timeline event", "Ordered")
DELIVERED = pgettext_lazy("timeline event", "Delivered")


def conclusion(kind):
    """ "Cooperation agreement concluded": an agreement's conclusion, by its kind."""
    if kind in CONCLUDED:
        return str(CONCLUDED[kind])
    return pgettext("timeline event", "%(kind)s concluded") % {
        "kind": choice_label(Agreement.Kind, kind)
    }


@dataclass(frozen=True)
class Event:
    date: PreciseDate
    what: str  # "Agreement concluded", "Exercise held", …
    type: str  # "agreement", "exercise", "equipment" or "engagement"
    entry: object
    until: PreciseDate | None = None
    source: int = 0  # the number of the date column it comes from (SOURCES)

    @property
    def year(self):
        """The event's year, or None when the source gives its month without one."""
        return self.date.value.year if self.date.known else None

    @property
    def year_not_stated_key(self):
        """The order of events without a year: by month, then as dated events are."""
        return (self.date.month, self.source, self.entry.pk)

    @property
    def sort_key(self):
        # A date known only to its year is stored as its first day, so it sorts
        # before that year's months and days.
        return (self.date.value, self.source, self.entry.pk)

    @property
    def cursor(self):
        return f"{self.date.value.isoformat()}.{self.source}.{self.entry.pk}"


# Each events function yields an entry's events, or with `column` only the one from
# that date column (its number in SOURCES): a timeline page reads each column on
# its own, and made every event of each row it read only to keep one. An event's
# date is stated: it has a year, or is a month the source gives without one.


def agreement_events(agreement, column=None):
    concluded = agreement.concluded
    if column in (None, 0) and concluded.stated:
        what = conclusion(agreement.kind)
        yield Event(concluded, what, "agreement", agreement, None, 0)
    if column in (None, 1):
        starts = agreement.starts
        if starts.stated and starts != concluded:
            yield Event(starts, str(TAKES_EFFECT), "agreement", agreement, None, 1)
    if column in (None, 2):
        ends = agreement.ends
        if ends.stated:
            yield Event(ends, str(ENDS), "agreement", agreement, None, 2)


def exercise_events(exercise, column=None):
    if column in (None, 3) and exercise.starts.stated:
        until = exercise.ends if exercise.ends.stated else None
        yield Event(exercise.starts, str(EXERCISE_HELD), "exercise", exercise, until, 3)


def procurement_events(procurement, column=None):
    if column in (None, 4) and procurement.ordered.stated:
        yield Event(procurement.ordered, str(ORDERED), "equipment", procurement, None, 4)
    if column in (None, 5) and procurement.delivered.stated:
        yield Event(procurement.delivered, str(DELIVERED), "equipment", procurement, None, 5)


def engagement_what(engagement):
    """ "Visit", "Statement (reportedly), in Rabat": the engagement's kind, with the
    source's hedge where it does not assert it outright and its place as stated (both
    in the source's words)."""
    what = str(choice_label(Engagement.Kind, engagement.kind))
    if engagement.hedge:
        what = pgettext("an engagement's kind and its source's hedge", "%(kind)s (%(hedge)s)") % {
            "kind": what,
            "hedge": engagement.hedge,
        }
    if engagement.place:
        what = pgettext("an engagement and its place", "%(what)s, in %(place)s") % {
            "what": what,
            "place": engagement.place,
        }
    return what


def engagement_events(engagement, column=None):
    if column in (None, 6) and engagement.starts.stated:
        until = engagement.ends if engagement.ends.stated else None
        what = engagement_what(engagement)
        yield Event(engagement.starts, what, "engagement", engagement, until, 6)


def events_of(agreements=(), exercises=(), procurements=(), engagements=()):
    """The entries' events in order: the dated ones, then those whose year the sources
    do not state, by month."""
    events = [
        *(event for agreement in agreements for event in agreement_events(agreement)),
        *(event for exercise in exercises for event in exercise_events(exercise)),
        *(event for procurement in procurements for event in procurement_events(procurement)),
        *(event for engagement in engagements for event in engagement_events(engagement)),
    ]
    return in_order(events)


def in_order(events):
    dated = sorted((e for e in events if e.date.known), key=lambda event: event.sort_key)
    undated = [e for e in events if not e.date.known]
    return dated + sorted(undated, key=lambda event: event.year_not_stated_key)


# -- the timeline's pages ---------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One date column the timeline reads: its model, field and the events it yields."""

    type: str
    model: object
    field: str
    events: object  # (entry, column) -> its event from this column, if it has one
    partner: object  # partner -> the Q of entries it takes part in
    columns: tuple
    # Rows whose date here yields no event (an agreement that takes effect
    # the day it is concluded shows that once): not read, so that the rows
    # read are the events shown.
    shown: Q = field(default_factory=Q)


def _parties(partner):
    return Q(parties=partner)


def _participants(partner):
    return Q(participants=partner)


def _supplier_or_maker(partner):
    return Q(supplier=partner) | Q(manufacturer=partner)


def _engaged(partner):
    return Q(partners=partner)


# What an event reads of its entry: its name and every date it may show, each
# with its month without a year (an agreement read for its date compares its
# start with it, whichever is known).
DATE_PARTS = ("precision", "approximate", "month")
AGREEMENT_COLUMNS = ("title", "slug", "kind", "date", "start_date", "end_date")
AGREEMENT_COLUMNS += tuple(
    f"{prefix}_{part}" for prefix in AGREEMENT_COLUMNS[3:] for part in DATE_PARTS
)
EXERCISE_COLUMNS = ("name", "slug", "start_date", "end_date")
EXERCISE_COLUMNS += tuple(
    f"{prefix}_{part}" for prefix in EXERCISE_COLUMNS[2:] for part in DATE_PARTS
)
PROCUREMENT_COLUMNS = ("system", "slug", "order_date", "delivery_date")
PROCUREMENT_COLUMNS += tuple(
    f"{prefix}_{part}" for prefix in PROCUREMENT_COLUMNS[2:] for part in DATE_PARTS
)
ENGAGEMENT_COLUMNS = ("title", "slug", "kind", "place", "hedge", "date", "end_date")
ENGAGEMENT_COLUMNS += tuple(
    f"{prefix}_{part}" for prefix in ENGAGEMENT_COLUMNS[5:] for part in DATE_PARTS
)

SOURCES = (
    Source("agreement", Agreement, "date", agreement_events, _parties, AGREEMENT_COLUMNS),
    Source(
        "agreement",
        Agreement,
        "start_date",
        agreement_events,
        _parties,
        AGREEMENT_COLUMNS,
        shown=TAKES_EFFECT_LATER,
    ),
    Source("agreement", Agreement, "end_date", agreement_events, _parties, AGREEMENT_COLUMNS),
    Source("exercise", Exercise, "start_date", exercise_events, _participants, EXERCISE_COLUMNS),
    Source(
        "equipment",
        Procurement,
        "order_date",
        procurement_events,
        _supplier_or_maker,
        PROCUREMENT_COLUMNS,
    ),
    Source(
        "equipment",
        Procurement,
        "delivery_date",
        procurement_events,
        _supplier_or_maker,
        PROCUREMENT_COLUMNS,
    ),
    Source("engagement", Engagement, "date", engagement_events, _engaged, ENGAGEMENT_COLUMNS),
)

CURSOR = re.compile(r"(\d{4}-\d{2}-\d{2})\.(\d)\.(\d{1,18})")


def parse_cursor(text):
    """(date, source, id) from "2021-03-04.4.17", or None when it is not one."""
    found = CURSOR.fullmatch(text or "")
    if not found:
        return None
    try:
        date = datetime.date.fromisoformat(found.group(1))
    except ValueError:
        return None
    source = int(found.group(2))
    if source >= len(SOURCES):
        return None
    return (date, source, int(found.group(3)))


def year_cursor(year):
    """The place just before 1 January of `year`: a page after it starts with that year."""
    return (datetime.date(year, 1, 1), -1, 0)


# Where a date column's rows on the cursor's own date stand (`_day_of_cursor`):
# those past the cursor's entry, all of them, or none.
PAST_ITS_ENTRY, WHOLE_DAY, NOT_THAT_DAY = "past its entry", "whole day", "not that day"


def _day_of_cursor(number, cursor, later):
    """Which of a column's rows dated on the cursor's day come after (or before) it.

    Events of one date are ordered by column number, then by entry: the
    cursor's own column goes on past its entry; a column after it (before it,
    reading backwards) has the whole day still to come; any other, none of it.
    """
    if cursor is None:
        return None
    cursor_source = cursor[1]
    if number == cursor_source:
        return PAST_ITS_ENTRY
    return WHOLE_DAY if (number > cursor_source) == later else NOT_THAT_DAY


def _rows(number, partnered, day_of_cursor, later, limit, partner, date, pk):
    """The query reading column `number` for a page: a shape per constant, each value a
    parameter (`READS`)."""
    source = SOURCES[number]
    field = source.field
    rows = source.model.objects.filter(source.shown)
    if partnered:
        rows = rows.filter(source.partner(partner))
    if day_of_cursor is None:
        rows = rows.filter(**{f"{field}__isnull": False})
    else:
        # The range leaves the undated rows out by itself. Said as well, "IS NOT
        # NULL" was costed as if independent of the range: the busiest partner's
        # agreements ending before 2010, 4,514 on the generated data, were
        # estimated at 355, so all were read and sorted (12 ms) rather than 51
        # read along the index.
        #
        # Each a range of the (date, id) index from the cursor's day on: "after the
        # day, or on it past the entry" spelt as one OR would make PostgreSQL read
        # the index from its start and filter (14,761 exercises before 2021 read
        # and dropped for ?from=2021: 9.4 ms, against 0.26 ms from the day on).
        strictly, inclusive = ("gt", "gte") if later else ("lt", "lte")
        if day_of_cursor == NOT_THAT_DAY:
            rows = rows.filter(**{f"{field}__{strictly}": date})
        else:
            rows = rows.filter(**{f"{field}__{inclusive}": date})
        if day_of_cursor == PAST_ITS_ENTRY:
            rows = rows.filter(Q(**{f"{field}__{strictly}": date}) | Q(**{f"pk__{strictly}": pk}))
    direction = "" if later else "-"
    rows = rows.only(*source.columns).order_by(f"{direction}{field}", f"{direction}pk")
    return rows[:limit]


# Each date column's page query, built and compiled once per process and shape
# (compiled.py): building and compiling the six took half of a fixtures timeline
# page's time, which went from 4.0–4.7 ms to 2.1–2.3 ms in process.
READS = Compiled(_rows, partner=int, date=datetime.date, pk=int)


@dataclass
class _Column:
    """What a page has read of one date column: its events so far, the sort key of
    the last row read, and whether rows may lie past it."""

    number: int
    partner: object  # the partner the page is of, or None
    events: list
    last: tuple | None
    more: bool


def _read(number, partner, cursor, later, limit):
    """Up to `limit` rows of date column `number` past `cursor`, as a _Column."""
    source = SOURCES[number]
    day_of_cursor = _day_of_cursor(number, cursor, later)
    values = {}
    if partner is not None:
        values["partner"] = partner.pk
    if cursor is not None:
        values["date"] = cursor[0]
        if day_of_cursor == PAST_ITS_ENTRY:
            values["pk"] = cursor[2]
    if partner is None:
        rows = READS.all(number, False, day_of_cursor, later, limit, **values)
    else:
        # A plan made for an average partner reads all of a busy one's rows.
        with planned_for_each_call():
            rows = READS.all(number, True, day_of_cursor, later, limit, **values)
    events = [event for entry in rows for event in source.events(entry, number)]
    last = (getattr(rows[-1], source.field), number, rows[-1].pk) if rows else None
    return _Column(number, partner, events, last, more=len(rows) == limit)


def _merged(columns, later):
    """The first PER_PAGE + 1 events of `columns` in the page's order, reading again
    the column whose unread rows stop the page short, as often as one does (see
    FIRST_READ): at most once for each column."""

    def key(event):
        return _ordered(event.sort_key, later)

    while True:
        merged = list(heapq.merge(*(column.events for column in columns), key=key))
        unfinished = [column for column in columns if column.more]
        if not unfinished:
            return merged[: PER_PAGE + 1]
        # Every unread row sorts after its column's last row read: the events up to
        # the earliest such row are all read, and in their places.
        limiting = min(unfinished, key=lambda column: _ordered(column.last, later))
        bound = _ordered(limiting.last, later)
        if sum(1 for event in merged if key(event) <= bound) > PER_PAGE:
            return merged[: PER_PAGE + 1]
        further = _read(limiting.number, limiting.partner, limiting.last, later, PER_PAGE + 1)
        limiting.events += further.events
        limiting.last = further.last or limiting.last
        limiting.more = further.more


def _ordered(sort_key, later):
    return sort_key if later else _reversed(sort_key)


@dataclass
class TimelinePage:
    events: list
    earlier: str = ""  # the cursor to read earlier events from, if there are any
    later: str = ""
    # Events whose year the sources do not state (`year_not_stated`), and when there
    # are more than shown, the lists that hold them all: [(name, address)].
    year_not_stated: list = field(default_factory=list)
    more_in: list = field(default_factory=list)

    @property
    def complete(self):
        return not (self.earlier or self.later)

    @property
    def more_in_links(self):
        """The lists of `more_in` as links in a sentence: "<a>agreements</a> and <a>…"."""
        return linked_lists(self.more_in)


def timeline_page(partner=None, type="", after=None, before=None):
    """PER_PAGE events after `after`, or before `before`, or the latest ones.

    One query per date column of the types asked for; none per event.
    """
    later = after is not None
    cursor = after if later else before
    first_read = FIRST_READ if partner is None else PER_PAGE + 1
    columns = [
        _read(number, partner, cursor, later, first_read)
        for number, source in enumerate(SOURCES)
        if type in ("", source.type)
    ]
    merged = _merged(columns, later)
    more = len(merged) > PER_PAGE
    events = merged[:PER_PAGE]
    if not later:
        events.reverse()
    page = TimelinePage(events)
    if later:
        page.later = events[-1].cursor if more else ""
        # Whether anything lies before is not looked up: the way back is offered,
        # and a page with nothing on it says so.
        page.earlier = events[0].cursor if events else _cursor_text(cursor)
    else:
        page.earlier = events[0].cursor if more else ""
        if before is not None:
            page.later = events[-1].cursor if events else _cursor_text(cursor)
    page.year_not_stated, page.more_in = year_not_stated(partner, type)
    return page


# -- events without a year --------------------------------------------------------------

# The list that holds each type's entries, for a pointer to those not shown.
_LISTS = {
    "agreement": (
        pgettext_lazy("the lists of …", "agreements"),
        "partnerships:agreement-list",
    ),
    "exercise": (pgettext_lazy("the lists of …", "exercises"), "partnerships:exercise-list"),
    "equipment": (
        pgettext_lazy("the lists of …", "equipment deals"),
        "partnerships:procurement-list",
    ),
    "engagement": (
        pgettext_lazy("the lists of …", "engagements"),
        "partnerships:engagement-list",
    ),
}


def linked_lists(lists):
    """[(list name, address)] as links in a sentence: "<a>agreements</a> and <a>…"."""
    return in_words([format_html('<a href="{}">{}</a>', url, name) for name, url in lists])


def year_not_stated(partner=None, type=""):
    """([Event], [(list name, address)]): up to YEAR_NOT_STATED_SHOWN events whose month
    the sources give without a year, by month, and when there are more, the lists of
    their types (for `partner`, if given) where all of them are.

    One query per entry type asked for, of YEAR_NOT_STATED_SHOWN + 1 rows at most:
    each row read yields at least one such event.
    """
    events, more = [], set()
    limit = YEAR_NOT_STATED_SHOWN + 1
    for kind in _LISTS:
        if type not in ("", kind):
            continue
        if partner is None:
            rows = NO_YEAR_READS.all(kind, False, limit)
        else:
            rows = NO_YEAR_READS.all(kind, True, limit, partner=partner.pk)
        source = _first_source(kind)
        events += [e for entry in rows for e in source.events(entry) if not e.date.known]
        if len(rows) == limit:
            more.add(kind)
    events = in_order(events)
    more.update(event.type for event in events[YEAR_NOT_STATED_SHOWN:])
    query = f"?{urlencode({'partner': partner.slug})}" if partner is not None else ""
    lists = [
        (str(name), reverse(url) + query) for kind, (name, url) in _LISTS.items() if kind in more
    ]
    return events[:YEAR_NOT_STATED_SHOWN], lists


def _first_source(kind):
    return next(source for source in SOURCES if source.type == kind)


def _no_year_rows(kind, partnered, limit, partner):
    """The rows of `kind` with a date column that is a month without a year, by key."""
    source = _first_source(kind)
    # The condition of the type's year_not_stated_index(), which serves this read.
    rows = source.model.objects.filter(
        with_a_month_without_year(*(other.field for other in SOURCES if other.type == kind))
    )
    if partnered:
        rows = rows.filter(source.partner(partner))
    return rows.only(*source.columns).order_by("pk")[:limit]


# Compiled once per type and shape, as the date columns' reads are (`READS`).
NO_YEAR_READS = Compiled(_no_year_rows, partner=int)


def _cursor_text(cursor):
    date, source, pk = cursor
    return f"{date.isoformat()}.{max(source, 0)}.{pk}"


def _reversed(key):
    date, source, pk = key
    return (-date.toordinal(), -source, -pk)
