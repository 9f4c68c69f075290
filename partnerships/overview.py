"""The home page's overview: who Morocco works with and how (a partner × type table),
and its latest changes with a bulk load shown as one line.

Both read a bounded amount whatever the size of the wiki: the table is one query for
its OVERVIEW_PARTNERS rows (cached per content version and language, as the pictures
are), the latest changes two queries for LATEST_WINDOW saves of the log and the rest
of the run that reaches past them. Both speak the page's language, the partners'
names included (`partner.localized.name`).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, DateTimeField, F, Min, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import npgettext, pgettext, pgettext_lazy

from .history.models import Change
from .history.names import editor_name
from .history.recent import changes
from .history.registry import entry_types
from .loading import LOADER_REASON
from .models import CountOf, EngagementPartner, Indicator, Partner
from .pictures import cached

# -- the partner × type table ------------------------------------------------------------

# How many partners the table shows, the busiest first; the partners list has the rest.
OVERVIEW_PARTNERS = 15


# Each column's noun for a count of n in the page's language (Arabic has six forms): a
# function each, as makemessages finds only the words of a literal call.
def _agreements(n):
    return npgettext("counted in a cell of the home page's table", "agreement", "agreements", n)


def _exercises(n):
    return npgettext("counted in a cell of the home page's table", "exercise", "exercises", n)


def _equipment(n):
    return npgettext(
        "counted in a cell of the home page's table", "equipment deal", "equipment deals", n
    )


def _engagements(n):
    return npgettext("counted in a cell of the home page's table", "engagement", "engagements", n)


def _indicators(n):
    return npgettext("counted in a cell of the home page's table", "indicator", "indicators", n)


@dataclass(frozen=True)
class Column:
    entry_type: str  # its name in the registry, "agreement"
    heading: str
    nouns: object  # n -> the noun for n of them: "agreement", "agreements"
    none: str  # "no agreements", for a screen reader in an empty cell
    list_url_name: str  # the list a cell links to, filtered by ?partner=<slug>

    @property
    def key(self):
        """The partner's annotation: "agreement_count" (PartnerQuerySet.with_counts)."""
        return f"{self.entry_type}_count"

    def noun(self, count):
        return self.nouns(count)


# Each list's partner filter is ?partner= (partnerships/filters.py) and counts what the
# partner's count here counts: an agreement's parties, an exercise's participants, a
# deal's supplier or maker, an engagement's partners, the partner an indicator concerns.
COLUMNS = (
    Column(
        "agreement",
        pgettext_lazy("a column of the home page's table", "Agreements"),
        _agreements,
        pgettext_lazy("an empty cell of the home page's table", "no agreements"),
        "agreement-list",
    ),
    Column(
        "exercise",
        pgettext_lazy("a column of the home page's table", "Exercises"),
        _exercises,
        pgettext_lazy("an empty cell of the home page's table", "no exercises"),
        "exercise-list",
    ),
    Column(
        "equipment",
        pgettext_lazy("a column of the home page's table", "Equipment"),
        _equipment,
        pgettext_lazy("an empty cell of the home page's table", "no equipment deals"),
        "procurement-list",
    ),
    Column(
        "engagement",
        pgettext_lazy("a column of the home page's table", "Engagements"),
        _engagements,
        pgettext_lazy("an empty cell of the home page's table", "no engagements"),
        "engagement-list",
    ),
    Column(
        "indicator",
        pgettext_lazy("a column of the home page's table", "Indicators"),
        _indicators,
        pgettext_lazy("an empty cell of the home page's table", "no indicators"),
        "indicator-list",
    ),
)


@dataclass(frozen=True)
class Cell:
    count: int
    noun: str  # "agreements", for the cell's text on a phone and for screen readers
    url: str  # the filtered list; "" for an empty cell
    none: str = ""  # "no agreements", an empty cell's words for screen readers


@dataclass(frozen=True)
class OverviewRow:
    name: str  # in the page's language, a translations.Localized
    url: str
    kind: str  # "Country"
    cells: tuple
    total: int


def partner_overview(limit=OVERVIEW_PARTNERS):
    """The `limit` partners with the most entries, each with its count of every type.

    One query, once per content version (partnerships.pictures.cached): the order
    by total reads every partner's counts, from the tallies on PostgreSQL for the
    first three (models.TalliedCount) and by index-only counts for the other two.
    """
    return cached("home-overview", (limit,), lambda: _overview(limit))


def _overview(limit):
    partners = (
        Partner.objects.with_counts()
        .annotate(
            engagement_count=CountOf(EngagementPartner, "partner"),
            indicator_count=CountOf(Indicator, "partner"),
        )
        .annotate(total=sum((F(column.key) for column in COLUMNS[1:]), F(COLUMNS[0].key)))
        .only("name", "name_fr", "name_ar", "country_code", "slug", "kind")
        .order_by("-total", "name", "pk")[:limit]
    )
    lists = {column.key: reverse(f"partnerships:{column.list_url_name}") for column in COLUMNS}
    return [
        OverviewRow(
            name=partner.localized.name,
            url=partner.get_absolute_url(),
            kind=partner.get_kind_display(),
            cells=tuple(
                _cell(getattr(partner, column.key), column, lists[column.key], partner.slug)
                for column in COLUMNS
            ),
            total=partner.total,
        )
        for partner in partners
    ]


def _cell(count, column, list_url, slug):
    url = f"{list_url}?{urlencode({'partner': slug})}" if count else ""
    return Cell(count, column.noun(count), url, "" if count else str(column.none))


# -- the page's description --------------------------------------------------------------

DESCRIPTION_AT_MOST = 160


# n -> "13 partners", the words of each count of `description` in the page's language.
DESCRIBED = (
    lambda n: npgettext(
        "the home page's description", "%(count)s partner", "%(count)s partners", n
    ),
    lambda n: npgettext(
        "the home page's description", "%(count)s agreement", "%(count)s agreements", n
    ),
    lambda n: npgettext(
        "the home page's description", "%(count)s exercise", "%(count)s exercises", n
    ),
    lambda n: npgettext(
        "the home page's description", "%(count)s equipment deal", "%(count)s equipment deals", n
    ),
    lambda n: npgettext(
        "the home page's description", "%(count)s engagement", "%(count)s engagements", n
    ),
)


def description(counts, sources):
    """The home page's meta description from what the wiki holds: `counts`, the
    partnerships.counts.Count of each of DESCRIBED in order, and of the sources."""

    def said(count, words):
        # An estimate ("about 100,000") is never one: its value is large.
        return words(count.value) % {"count": count}

    held = pgettext("between the counts of the home page's description", ", ").join(
        said(count, words) for count, words in zip(counts, DESCRIBED, strict=True)
    )
    sources_said = said(
        sources,
        lambda n: npgettext(
            "the home page's description", "%(count)s source", "%(count)s sources", n
        ),
    )
    text = _("Morocco’s defense partnerships, every fact cited: %(held)s, from %(sources)s.") % {
        "held": held,
        "sources": sources_said,
    }
    # Search engines show about 160 characters; estimates ("about 100,000") run longer.
    return Truncator(text).chars(DESCRIPTION_AT_MOST)


# -- latest changes ---------------------------------------------------------------------

# The home page shows this many lines, read from this many of the newest saves.
LATEST_LINES = 8
LATEST_WINDOW = 50
# Saves in a row by the same editor (or the fixture loader) with the same edit summary,
# all within RUN_SPAN of the newest, are one run; a run of GROUPED_AT_LEAST saves or
# more is a bulk load, shown as one line. Fewer are shown one by one, as an editor's
# ordinary work is.
RUN_SPAN = datetime.timedelta(hours=1)
GROUPED_AT_LEAST = 5


def _batch(change):
    """What a save's run is told by besides its editor: its edit summary, except that
    one run of the fixture loader reads two files ("Loaded from fixtures/sources.toml",
    then "…/entries.toml"), one load."""
    if change.user_id is None and change.summary.startswith(LOADER_REASON):
        return LOADER_REASON
    return change.summary


def _same_batch(change):
    """The saves of `change`'s editor and batch, as a condition on the log."""
    editor = Q(user__isnull=True) if change.user_id is None else Q(user_id=change.user_id)
    batch = _batch(change)
    if batch == LOADER_REASON and change.user_id is None:
        return editor & Q(summary__startswith=LOADER_REASON)
    return editor & Q(summary=batch)


@dataclass
class _Run:
    rows: list
    # (entry type name, kind) → saves, and the oldest save's date, of the run's saves
    # older than the window (see _rest_of).
    older: Counter = field(default_factory=Counter)
    older_summaries: set = field(default_factory=set)
    oldest: datetime.datetime | None = None

    @property
    def newest(self):
        return self.rows[0]

    def takes(self, change):
        newest = self.newest
        return (
            change.user_id == newest.user_id
            and _batch(change) == _batch(newest)
            and change.date >= newest.date - RUN_SPAN
        )

    @property
    def size(self):
        return len(self.rows) + sum(self.older.values())


@dataclass(frozen=True)
class BulkSave:
    """Many saves of one run, as one line: "53 entries created … by the fixture loader"."""

    grouped = True  # the template tells it from a Change by this
    count: int
    noun: str  # "entries", or the one type's noun: "sources", in the page's language
    parts: tuple  # ("13 partners", "11 engagements", …) when of several types
    verb: str  # "created", "changed" or "saved" (Change.Kind), or "saved" for a mix
    editor: str
    summary: str
    date: datetime.datetime  # the newest save's
    url: str  # recent changes, filtered to the run's editor and days

    @property
    def line(self):
        """The line after its date, in the page's language: "<a>58 entries created</a>
        (13 partners, …) by the fixture loader: Loaded from …"."""
        saves = _counted(self.count, self.noun)
        if self.verb == Change.Kind.CREATED:
            headline = pgettext("saves of one run, on the home page", "%(saves)s created")
        elif self.verb == Change.Kind.CHANGED:
            headline = pgettext("saves of one run, on the home page", "%(saves)s changed")
        else:
            headline = pgettext("saves of one run, on the home page", "%(saves)s saved")
        link = format_html('<a href="{}">{}</a>', self.url, headline % {"saves": saves})
        editor = format_html("<bdi>{}</bdi>", self.editor)
        if self.parts:
            parts = pgettext("between the counts of a line of changes", ", ").join(self.parts)
            line = format_html(
                _("{saves} ({parts}) by {editor}"), saves=link, parts=parts, editor=editor
            )
        else:
            line = format_html(_("{saves} by {editor}"), saves=link, editor=editor)
        return _with_summary(line, self.summary)


@dataclass(frozen=True)
class ChangeLine:
    """One save shown alone (a history.models.Change), as the home page words it."""

    grouped = False
    change: Change

    @property
    def date(self):
        return self.change.date

    @property
    def label(self):
        return self.change.label

    @property
    def created(self):
        return self.change.created

    @property
    def compare_url(self):
        return self.change.compare_url

    @property
    def line(self):
        """ "Spain (partner) created by alice: Fix", in the page's language; the entry's
        label, the detail and the summary as the log stores them."""
        change = self.change
        if change.entry_url:
            entry = format_html('<a href="{}" dir="auto">{}</a>', change.entry_url, change.label)
        else:
            entry = format_html("<bdi>{}</bdi>", change.label)
        names = TYPE_NAMES.get(change.entry_type)
        values = {
            "entry": entry,
            "type": str(names) if names else change.entry_type,
            "action": change.action,
            "editor": format_html("<bdi>{}</bdi>", change.editor),
        }
        if change.detail:
            detail = format_html("<bdi>{}</bdi>", Truncator(change.detail).chars(60))
            line = format_html(
                _("{entry} ({type}) {action}: {detail} by {editor}"), detail=detail, **values
            )
        else:
            line = format_html(_("{entry} ({type}) {action} by {editor}"), **values)
        return _with_summary(line, change.summary)


def _with_summary(line, summary):
    if not summary:
        return line
    return format_html(
        pgettext("a line of changes, then its edit summary", "{change}: {summary}"),
        change=line,
        summary=format_html('<span class="summary-text" dir="auto">{}</span>', summary),
    )


def _counted(count, noun):
    return pgettext("a number of saves and what they saved", "%(count)s %(noun)s") % {
        "count": count,
        "noun": noun,
    }


def latest_changes(lines=LATEST_LINES, window=LATEST_WINDOW):
    """The home page's latest changes, newest first: a ChangeLine for each save shown alone,
    and a BulkSave for each bulk load.

    Three queries whatever the size of the runs or of the log (one when it is empty):
    the newest `window` saves; the rest of the run that reaches past them, counted,
    not read; and the `window` saves after that run, for the lines a bulk load that
    filled the first window leaves to show.
    """
    rows = list(changes()[:window])
    if not rows:
        return []
    runs = _runs(rows)
    oldest_read = runs[-1].rows[-1]
    older = Q(date__lt=oldest_read.date) | Q(date=oldest_read.date, id__lt=oldest_read.id)
    rest = _rest_of(runs[-1])
    for row in (
        Change.objects.filter(older, rest)
        .order_by()
        .values("entry_type", "kind", "summary")
        .annotate(saves=Count("id"), oldest=Min("date"))
    ):
        runs[-1].older[row["entry_type"], row["kind"]] += row["saves"]
        runs[-1].older_summaries.add(row["summary"])
        runs[-1].oldest = min(filter(None, [runs[-1].oldest, row["oldest"]]))
    after = list(changes().filter(older).exclude(rest)[:window])
    later = _runs(after)
    if len(after) == window:
        later.pop()  # it may go on past what was read: neither counted nor shown
    shown = []
    for run in runs + later:
        if run.size >= GROUPED_AT_LEAST:
            shown.append(_bulk(run))
        else:
            shown.extend(ChangeLine(change) for change in run.rows)
        if len(shown) >= lines:
            break
    return shown[:lines]


def _runs(rows):
    runs = []
    for change in rows:
        if runs and runs[-1].takes(change):
            runs[-1].rows.append(change)
        else:
            runs.append(_Run([change]))
    return runs


def _rest_of(run):
    """Which saves older than those read of `run` belong to it: those of its editor and
    summary within RUN_SPAN of its newest, after the newest save of that span that is
    not (which ends the run). A condition, for an index range of the log."""
    newest = run.newest
    same = _same_batch(newest)
    starts = newest.date - RUN_SPAN
    end = (
        Change.objects.filter(date__gte=starts, date__lte=run.rows[-1].date)
        .exclude(same)
        .order_by("-date", "-id")
    )
    ends_after = Coalesce(
        Subquery(end.values("date")[:1]),
        Value(starts - datetime.timedelta(microseconds=1)),
        output_field=DateTimeField(),
    )
    return same & Q(date__gte=starts, date__gt=ends_after)


# What the home page calls each type of entry in a line of changes ("Spain (partner)
# created"), and its noun for n of them in a bulk load's line ("13 partners").
TYPE_NAMES = {
    "partner": pgettext_lazy("a type of entry, in a line of changes", "partner"),
    "agreement": pgettext_lazy("a type of entry, in a line of changes", "agreement"),
    "exercise": pgettext_lazy("a type of entry, in a line of changes", "exercise"),
    "equipment": pgettext_lazy("a type of entry, in a line of changes", "equipment"),
    "person": pgettext_lazy("a type of entry, in a line of changes", "person"),
    "engagement": pgettext_lazy("a type of entry, in a line of changes", "engagement"),
    "indicator": pgettext_lazy("a type of entry, in a line of changes", "indicator"),
    "source": pgettext_lazy("a type of entry, in a line of changes", "source"),
}
TYPE_NOUNS = {
    "partner": lambda n: npgettext("saves counted in a line of changes", "partner", "partners", n),
    "agreement": lambda n: npgettext(
        "saves counted in a line of changes", "agreement", "agreements", n
    ),
    "exercise": lambda n: npgettext(
        "saves counted in a line of changes", "exercise", "exercises", n
    ),
    "equipment": lambda n: npgettext(
        "saves counted in a line of changes", "equipment deal", "equipment deals", n
    ),
    "person": lambda n: npgettext("saves counted in a line of changes", "person", "people", n),
    "engagement": lambda n: npgettext(
        "saves counted in a line of changes", "engagement", "engagements", n
    ),
    "indicator": lambda n: npgettext(
        "saves counted in a line of changes", "indicator", "indicators", n
    ),
    "source": lambda n: npgettext("saves counted in a line of changes", "source", "sources", n),
}


def _noun(type_name, count):
    if type_name in TYPE_NOUNS:
        return TYPE_NOUNS[type_name](count)
    entry_type = entry_types.by_name(type_name)
    if entry_type is None:  # a type since removed from the registry
        return npgettext("saves counted in a line of changes", "entry", "entries", count)
    meta = entry_type.model._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


def _bulk(run):
    by_type, kinds = Counter(), set()
    for change in run.rows:
        by_type[change.entry_type] += 1
        kinds.add(change.kind)
    for (type_name, kind), saves in run.older.items():
        by_type[type_name] += saves
        kinds.add(kind)
    count = sum(by_type.values())
    order = {entry_type.name: place for place, entry_type in enumerate(entry_types)}
    ranked = sorted(by_type.items(), key=lambda item: (-item[1], order.get(item[0], len(order))))
    if len(ranked) == 1:
        noun, parts = _noun(ranked[0][0], count), ()
    else:
        noun = npgettext("saves counted in a line of changes", "entry", "entries", count)
        parts = tuple(_counted(saves, _noun(name, saves)) for name, saves in ranked)
    verb = kinds.pop() if len(kinds) == 1 else "saved"
    if verb not in (Change.Kind.CREATED, Change.Kind.CHANGED):
        verb = "saved"
    newest = run.newest
    oldest = min(filter(None, [run.oldest, run.rows[-1].date]))
    query = {
        "from": timezone.localdate(oldest).isoformat(),
        "to": timezone.localdate(newest.date).isoformat(),
    }
    if newest.user is not None:
        query = {"editor": newest.user.get_username(), **query}
    return BulkSave(
        count=count,
        noun=noun,
        parts=parts,
        verb=str(verb),
        editor=editor_name(newest.user),
        # One summary, or the loader's files in the order it read them.
        summary="; ".join(
            sorted({change.summary for change in run.rows} | run.older_summaries, reverse=True)
        ),
        date=newest.date,
        url=f"{reverse('partnerships:changes')}?{urlencode(query)}",
    )
