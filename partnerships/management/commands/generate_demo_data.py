"""Generated data for benchmarks: a wiki of the size asked for, with its history, in bulk.

    manage.py generate_demo_data [--partners 1000] [--agreements 100000]
        [--exercises 20000] [--equipment 20000] [--sources 505]
        [--citations 140000] [--revisions 540000] [--seed 1]

Each size is a total wanted in the database, what is there already included
(the fixtures' partners and sources, an earlier run's demo entries): the
command tops up to it. Run again with the same sizes it adds nothing; with
larger ones it adds the difference, and edits go on after the saves already
made. It never removes anything.

What it makes has the shape of the real site, because `make bench` measures
pages on it: partners of every kind (some companies with a home country);
agreements with one to three parties and exercises with two to six
participants, drawn so that a few partners are very busy, the fixtures'
United States busiest of all (about one agreement, exercise and equipment deal
in ten); dates from 1960 to 2025 at day, month or year precision, some
unknown and a few a month without a year ("in February"); values in several
currencies; summaries from a small vocabulary
("drone" in about one in twenty); sources with a few paragraphs of text, each
citation quoting one of its source's sentences and naming the facts of its
entry the quote states: its existence and some of the fields the entry has a
value for, a party or a participant by its partner's key, sometimes with a
note. Every demo entry is named
"Demo …" with a "demo-" slug, so nobody takes it for a fact.

History is written as real saves write it: an entry with its parties or
participants and its citations is one save, one `Change` row listing the
history rows it wrote, each of which carries the save's id; then edits
(reworded summaries, a party added or removed, a participant's role, a
citation's facts and note)
follow, by five demo editors, until the history tables together hold
--revisions rows; a third of the saves are marked reviewed. Saves are dated
from START on, a few minutes apart, whatever the clock says, so a seed always
makes the same rows.

Rows are written in bulk, with ids the command assigns itself, so that a save's
`Change` can list its revisions before either is written: COPY on PostgreSQL,
bulk_create elsewhere; the sequences are reset afterwards. Everything happens
in one transaction, so a failure leaves nothing half-made; on PostgreSQL a
VACUUM (ANALYZE) follows, as autovacuum would later. It is for a
database of its own: it refuses one where anybody but the fixture loader and
the demo editors has saved anything.
"""

import datetime
import itertools
import json
import random
import re
import time
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, Q

from partnerships import facts as fact_rules
from partnerships.dates import DatePrecision
from partnerships.entry_types import AGREEMENT, ENGAGEMENT, EQUIPMENT, EXERCISE, PARTNER
from partnerships.history.models import Change, ReviewMark
from partnerships.history.names import history_of
from partnerships.history.registry import citation_text
from partnerships.loading import LOADER_REASON
from partnerships.models import (
    Agreement,
    AgreementParty,
    Currency,
    Engagement,
    EngagementPartner,
    Exercise,
    ExerciseParticipant,
    Partner,
    Procurement,
    Role,
)
from sources.entry_types import SOURCE
from sources.models import Citation, Source

# Option name: (default, what it counts). The defaults are the sizes.
SIZES = {
    "partners": (1_000, Partner),
    "agreements": (100_000, Agreement),
    "exercises": (20_000, Exercise),
    "equipment": (20_000, Procurement),
    "engagements": (20_000, Engagement),
    "sources": (505, Source),
    "citations": (140_000, Citation),
}
REVISIONS = 540_000
TRACKED = (
    Partner,
    Agreement,
    AgreementParty,
    Exercise,
    ExerciseParticipant,
    Procurement,
    Engagement,
    EngagementPartner,
    Source,
    Citation,
)

DEMO = "demo-"
EDITOR = "demo-editor-"
EDITORS = 5
BUSIEST = "united-states"
BATCH = 5_000  # saves planned, and rows fetched, at a time
CREATED, CHANGED = Change.Kind.CREATED.value, Change.Kind.CHANGED.value
START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
STEP = datetime.timedelta(minutes=2)  # between two demo saves

# -- vocabulary ---------------------------------------------------------------------------

# Twenty topics drawn evenly: each word is in about one summary in twenty.
TOPICS = [
    "drone",
    "naval",
    "air defense",
    "training",
    "maritime",
    "border surveillance",
    "counter-terrorism",
    "cyber defense",
    "logistics",
    "armored vehicle",
    "helicopter",
    "military medicine",
    "demining",
    "satellite imagery",
    "coastal patrol",
    "peacekeeping",
    "intelligence sharing",
    "special forces",
    "artillery",
    "pilot",
]
AGREEMENT_LINES = [
    "Covers {topic} cooperation{extra}.",
    "Sets out joint {topic} programmes{extra}.",
    "Provides for {topic} assistance and an exchange of experts{extra}.",
    "Commits the parties to regular {topic} consultations{extra}.",
]
EXERCISE_LINES = [
    "Joint {topic} drills{extra}.",
    "Combined {topic} manoeuvres with live firing{extra}.",
    "A command post exercise on {topic} operations{extra}.",
]
PROCUREMENT_LINES = [
    "An order for {topic} equipment{extra}.",
    "Acquisition of {topic} systems with spare parts and support{extra}.",
    "Delivery of {topic} kit under a government-to-government deal{extra}.",
]
PARTNER_LINES = [
    "A demo partner working with Morocco on {topic} matters{extra}.",
    "Cooperates with the Royal Armed Forces on {topic} questions{extra}.",
]
EXTRAS = [
    "",
    "",
    " over five years",
    " with annual reviews",
    " in the south of the country",
    " under a renewed framework",
    " along the Atlantic coast",
]
SECOND_LINES = [
    "Further details were not disclosed.",
    "Officials described it as a milestone.",
    "Implementation is reviewed every year.",
    "Its cost was not made public.",
    "Reports differ on its scope.",
]
SERIES = ["Demo Atlas", "Demo Sea Breeze", "Demo Desert Shield", "Demo Sahara Wind", "Demo Lion"]
LOCATIONS = [
    "Tan-Tan",
    "Agadir",
    "Kenitra",
    "Ben Guerir",
    "Tifnit",
    "Grier Labouihi",
    "off the coast of Tangier",
    "Dakhla",
]
PUBLISHERS = ["Demo Daily", "Demo Defense Review", "Demo Wire", "Demo Institute"]
SOURCE_SENTENCES = [
    "In {year}, officials said {topic} cooperation with {who} would expand.",
    "The ministry confirmed a new {topic} programme with {who}.",
    "Analysts expect {topic} spending to keep rising over the next decade.",
    "According to the report, {who} offered {topic} support in {year}.",
    "Observers noted that {topic} remains a priority for the Royal Armed Forces.",
    "A senior officer described the {topic} talks as frank and useful.",
    "The agreement with {who} covers {topic} and joint training.",
    "Critics questioned the cost of the {topic} effort.",
    "Officers from {who} took part in a {topic} seminar in Rabat.",
    "The first {topic} deliveries were scheduled for {year}.",
]
WHO = [
    "European partners",
    "Gulf states",
    "a North American ally",
    "West African neighbours",
    "an Asian manufacturer",
    "a Mediterranean navy",
]
# A citation's note, on some of them: what a reader should know of its quote.
NOTES = [
    "as the source words it",
    "the source hedges this",
    "reported, not confirmed by officials",
    "a figure the source rounds",
    "the source names no date",
]
NOTED = 0.3  # the share of citations with a note
# The chance that a citation states each fact its entry has a value for (a field,
# a party or participant), and that it states the entry's existence as well.
FACT_STATED = 0.35
EXISTENCE_STATED = 0.5
NO_DATE = (None, "", False, None)
# Of dated dates, the share given as a month without a year ("in February").
WITHOUT_YEAR = 0.02
SENTENCE_END = re.compile(r"(?<=\.)\s+")


def _line(rng, lines, topic=None):
    text = rng.choice(lines).format(topic=topic or rng.choice(TOPICS), extra=rng.choice(EXTRAS))
    if rng.random() < 0.5:
        text += " " + rng.choice(SECOND_LINES)
    return text


def _date(rng, dated=0.9, first=1960, last=2025, without_year=WITHOUT_YEAR):
    """(date, precision, approximate, month) in [first, last], more of them recent; unknown
    at 1 - dated; of the others, `without_year` a month whose year is not stated."""
    if rng.random() >= dated:
        return NO_DATE
    year = last - int((last - first + 1) * rng.random() ** 1.5)
    roll = rng.random()
    month = None
    if roll < 0.25:
        value, precision = datetime.date(year, 1, 1), DatePrecision.YEAR
    elif roll < 0.25 + without_year:
        # Drawn as a month-precise date is, so that the other draws stay as they were.
        value, precision, month = None, DatePrecision.MONTH_NO_YEAR, rng.randint(1, 12)
    elif roll < 0.55:
        value, precision = datetime.date(year, rng.randint(1, 12), 1), DatePrecision.MONTH
    else:
        value = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        precision = DatePrecision.DAY
    return value, precision, rng.random() < 0.05, month


def _dated(prefix, date):
    value, precision, approximate, month = date
    return {
        prefix: value,
        f"{prefix}_precision": precision,
        f"{prefix}_approximate": approximate,
        f"{prefix}_month": month,
    }


class _Entry:
    """An entry's row ({attname: value}) read as facts.Fact.value_of() reads an entry."""

    def __init__(self, row):
        self.row = row

    def __getattr__(self, name):
        return self.row.get(name)


def valued_facts(field, entry, partners=()):
    """The keys of the facts a citation of `entry` (a row) may state: the fields it has a
    value for, and its links to `partners` (ids), existence apart."""
    view = _Entry(entry)
    keys = [
        fact.key
        for fact in fact_rules.FACTS[field]
        if fact.key != fact_rules.EXISTENCE and fact.value_of(view)
    ]
    links = fact_rules.links_of(field)
    return keys + ([links[0].key(partner) for partner in partners] if links else [])


def _value(rng, share):
    """A value and its currency on `share` of the entries."""
    if rng.random() >= share:
        return {"value_amount": None, "value_currency": ""}
    currency = rng.choices(
        [Currency.USD, Currency.EUR, Currency.MAD, Currency.GBP, Currency.ILS],
        weights=[60, 20, 10, 5, 5],
    )[0]
    return {
        "value_amount": Decimal(rng.randint(1, 5_000) * 100_000),
        "value_currency": currency.value,
    }


class Skewed:
    """Picks from `items` with Zipf-like weights: the first few come up far more often."""

    def __init__(self, rng, items, exponent=0.5):
        self.rng = rng
        self.items = list(items)
        self._known = set(self.items)
        self.cumulative = list(
            itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(self.items)))
        )

    def __len__(self):
        return len(self.items)

    @property
    def top_share(self):
        """The chance that a pick is the first item, the likeliest."""
        return self.cumulative[0] / self.cumulative[-1] if self.items else 0

    def pick(self):
        return self.rng.choices(self.items, cum_weights=self.cumulative)[0]

    def distinct(self, count, first=()):
        """`count` different items (fewer when there are not so many), `first` among them."""
        chosen = list(dict.fromkeys(first))
        limit = min(count, len(self.items) + sum(item not in self._known for item in chosen))
        while len(chosen) < limit:
            item = self.pick()
            if item not in chosen:
                chosen.append(item)
        return chosen


# -- writing ------------------------------------------------------------------------------

# Columns passed to COPY as they are; any other field's value goes through the field.
_PLAIN = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,
    models.OneToOneField,
    models.SlugField,
    models.TextField,
    models.URLField,
}


class Rows:
    """Rows waiting to be written, as {attname: value} by model, written in bulk.

    COPY on PostgreSQL (at a fifth of the default sizes, 22 s in all against 51 s
    with bulk_create), bulk_create elsewhere. A column a row leaves out gets its field's default, so a field
    added to a model later needs no change here unless it needs a value.
    """

    LIMIT = 20_000

    def __init__(self):
        self.copy = connection.vendor == "postgresql"
        self.pending = {}
        self.count = 0
        self._shapes = {}

    def add(self, model, row):
        self.pending.setdefault(model, []).append(row)
        self.count += 1
        if self.count >= self.LIMIT:
            self.flush()

    def flush(self):
        for model, rows in self.pending.items():
            if rows:
                self._write(model, rows)
        self.pending, self.count = {}, 0

    def _shape(self, model, with_pk):
        key = (model, with_pk)
        if key not in self._shapes:
            fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
            self._shapes[key] = [
                (
                    f,
                    f.get_default(),
                    None if type(f) in _PLAIN else _prepare(f),
                )
                for f in fields
            ]
        return self._shapes[key]

    def _write(self, model, rows):
        if not self.copy:
            model._base_manager.bulk_create((model(**row) for row in rows), batch_size=500)
            return
        shape = self._shape(model, model._meta.pk.attname in rows[0])
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field, _, _ in shape)
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                values = []
                for field, default, prepare in shape:
                    value = row.get(field.attname, default)
                    values.append(value if prepare is None else prepare(value))
                copy.write_row(values)


def _prepare(field):
    if isinstance(field, models.JSONField):
        return json.dumps
    return lambda value: field.get_db_prep_save(value, connection)


class Ids:
    """The next id of each table, counted from its largest: rows are written with their ids."""

    def __init__(self):
        self.last = {}

    def __call__(self, model):
        if model not in self.last:
            largest = model._base_manager.aggregate(largest=Max(model._meta.pk.attname))
            self.last[model] = largest["largest"] or 0
        self.last[model] += 1
        return self.last[model]

    def reset_sequences(self):
        """PostgreSQL's sequences past the ids written (SQLite's AUTOINCREMENT follows by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.last))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


class Saves:
    """Demo saves as the admin makes them: a Change listing its revisions, each carrying its id."""

    def __init__(self, rows, ids, rng, editors, done):
        self.rows, self.ids, self.rng = rows, ids, rng
        self.editors = editors
        # simple-history makes a new manager, costly, each time it is asked for one.
        self.history = {model: history_of(model).model for model in TRACKED}
        self.number = done  # demo saves already made: the next is dated after them
        self.made = 0
        self.revisions = 0
        self.reviewed = 0

    def write(self, entry_type, entry, revisions, summary, *, created=False, detail=""):
        """One save of `entry` (a row of entry_type) writing `revisions`: [(model, row, action)]."""
        self.number += 1
        self.made += 1
        change = self.ids(Change)
        date = START + STEP * self.number
        editor = self.rng.choices(self.editors, weights=[5, 3, 2, 1, 1][: len(self.editors)])[0]
        listed = []
        for model, row, action in revisions:
            history = self.history[model]
            history_id = self.ids(history)
            self.rows.add(
                history,
                {
                    **row,
                    "history_id": history_id,
                    "history_date": date,
                    "history_change_reason": summary,
                    "history_type": action,
                    "history_user_id": editor,
                    "history_change_id": change,
                },
            )
            listed.append([model._meta.model_name, history_id, action])
        self.revisions += len(listed)
        self.rows.add(
            Change,
            {
                "id": change,
                "entry_type": entry_type.name,
                "entry_id": entry["id"],
                "entry_label": entry[entry_type.label_field][:300],
                "entry_slug": entry["slug"],
                "user_id": editor,
                "date": date,
                "summary": summary,
                "kind": CREATED if created else CHANGED,
                "revisions": listed,
                "detail": detail[:300],
            },
        )
        if self.rng.random() < 1 / 3:
            self.reviewed += 1
            others = [user for user in self.editors if user != editor] or self.editors
            self.rows.add(
                ReviewMark,
                {
                    "change_id": change,
                    "reviewer_id": self.rng.choice(others),
                    "reviewed_at": date + datetime.timedelta(hours=self.rng.randint(1, 72)),
                    "note": "",
                },
            )


# -- the command --------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Top the database up to the sizes asked for with demo entries and a revision "
        "history (for benchmarks; never on real content)."
    )

    def add_arguments(self, parser):
        for name, (default, model) in SIZES.items():
            parser.add_argument(
                f"--{name}",
                type=int,
                default=default,
                metavar="N",
                help=f"{model._meta.verbose_name_plural} wanted in all (default {default:,}).",
            )
        parser.add_argument(
            "--revisions",
            type=int,
            default=REVISIONS,
            metavar="N",
            help=f"Rows wanted in the history tables together (default {REVISIONS:,}).",
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same rows.")

    def handle(self, *args, seed, revisions, **options):
        wanted = {name: options[name] for name in SIZES}
        negative = [
            f"--{name}" for name, n in [*wanted.items(), ("revisions", revisions)] if n < 0
        ]
        if negative:
            raise CommandError(f"{', '.join(negative)} cannot be negative.")
        _refuse_real_content()
        generator = Generator(random.Random(seed), wanted, revisions)
        with transaction.atomic():
            made = generator.run()
            written = time.monotonic()
        generator.timings.append(("commit", time.monotonic() - written))
        if connection.vendor == "postgresql" and generator.saves.made:
            with generator.timed("analyze"), connection.cursor() as cursor:
                # As autovacuum would later: the planner's statistics for the new rows and,
                # outside a transaction, the visibility map that index-only scans read.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.stdout.write(_summary(made, generator.saves))
        if options["verbosity"] >= 2:
            for phase, seconds in generator.timings:
                self.stdout.write(f"  {phase}: {seconds:.1f} s")


def _refuse_real_content():
    """CommandError unless every save so far is the fixture loader's or a demo editor's."""
    by_loader = Q(user__isnull=True, summary__startswith=LOADER_REASON)
    demo = Q(user__username__startswith=EDITOR, entry_slug__startswith=DEMO)
    real = Change.objects.exclude(by_loader | demo)
    marks = ReviewMark.objects.exclude(reviewer__username__startswith=EDITOR)
    count = real.count()
    if count or marks.exists():
        example = real.select_related("user").first()
        what = (
            f"{count} save(s) by editors, e.g. “{example.entry_label}” by {example.editor}"
            if example
            else "review marks by reviewers"
        )
        raise CommandError(
            f"This database holds real content ({what}), not only the fixtures and demo "
            "data: generate demo data in a database of its own."
        )


def _summary(made, saves):
    if not saves.made:
        return "Nothing to add: the database already holds the sizes asked for."
    total = sum(history_of(model).count() for model in TRACKED)
    return (
        f"Made {made['sources']:,} demo sources, {made['partners']:,} partners, "
        f"{made['agreements']:,} agreements with {made['parties']:,} parties, "
        f"{made['exercises']:,} exercises with {made['participants']:,} participants, "
        f"{made['equipment']:,} equipment deals, {made['engagements']:,} engagements with "
        f"{made['engaged']:,} partners taking part and {made['citations']:,} citations, "
        f"then {made['edits']:,} edits, in {saves.made:,} saves by {EDITORS} demo editors "
        f"({saves.reviewed:,} marked reviewed) writing {saves.revisions:,} revisions. "
        f"The history tables now hold {total:,} revisions."
    )


class Generator:
    def __init__(self, rng, wanted, revisions):
        self.rng = rng
        self.wanted = wanted
        self.revisions = revisions
        self.rows = Rows()
        self.ids = Ids()
        self.made = dict.fromkeys([*SIZES, "parties", "participants", "engaged", "edits"], 0)
        self.timings = []  # (phase, seconds), shown with -v 2

    @contextmanager
    def timed(self, phase):
        started = time.monotonic()
        yield
        self.timings.append((phase, time.monotonic() - started))

    def run(self):
        plan = self._plan()
        if not any(plan.new.values()) and plan.edit_rows == 0:
            self.saves = Saves(self.rows, self.ids, self.rng, [], 0)
            return self.made
        editors = _editors()
        done = Change.objects.filter(user__username__startswith=EDITOR).count()
        self.saves = Saves(self.rows, self.ids, self.rng, editors, done)
        with self.timed("sources"):
            self.sentences = self._sources(plan.new["sources"])
            self.citing = Skewed(self.rng, sorted(self.sentences))
        with self.timed("partners"):
            self._partners(plan)
        with self.timed("agreements"):
            self._agreements(plan)
        with self.timed("exercises"):
            self._exercises(plan)
        with self.timed("equipment"):
            self._procurements(plan)
        with self.timed("engagements"):
            self._engagements(plan)
        with self.timed("edits"):
            self._lone_citations(plan.lone_citations)
            self._edits(plan.edit_rows)
            self.rows.flush()
        self.ids.reset_sequences()
        return self.made

    # -- plan -------------------------------------------------------------------------------

    def _plan(self):
        """How many of each to make, how many rows each new entry writes: all before writing."""
        plan = Plan()
        plan.new = {
            name: max(0, self.wanted[name] - model.objects.count())
            for name, (_, model) in SIZES.items()
        }
        rng = self.rng
        plan.partner_kinds = rng.choices(
            [Partner.Kind.COUNTRY, Partner.Kind.ORGANIZATION, Partner.Kind.COMPANY],
            weights=[30, 10, 60],
            k=plan.new["partners"],
        )
        parties_possible = Partner.objects.exclude(kind=Partner.Kind.COMPANY).count() + sum(
            kind != Partner.Kind.COMPANY for kind in plan.partner_kinds
        )
        plan.parties = [
            min(n, parties_possible)
            for n in rng.choices([1, 2, 3], weights=[55, 33, 12], k=plan.new["agreements"])
        ]
        plan.participants = [
            min(n, parties_possible)
            for n in rng.choices(
                [2, 3, 4, 5, 6], weights=[30, 30, 20, 12, 8], k=plan.new["exercises"]
            )
        ]
        plan.engaged = [
            min(n, parties_possible)
            for n in rng.choices([1, 2, 3], weights=[50, 35, 15], k=plan.new["engagements"])
        ]
        countries = Partner.objects.filter(kind=Partner.Kind.COUNTRY).exists()
        if plan.new["equipment"] and not (countries or Partner.Kind.COUNTRY in plan.partner_kinds):
            raise CommandError(
                "Equipment deals need a supplying country: ask for more --partners."
            )
        entries = sum(
            plan.new[name]
            for name in ("partners", "agreements", "exercises", "equipment", "engagements")
        )
        plan.citations = [0] * entries
        plan.lone_citations = 0
        if entries:
            for _ in range(plan.new["citations"]):
                plan.citations[int(rng.random() * entries)] += 1
        else:
            plan.lone_citations = plan.new["citations"]
        if plan.new["citations"] and not (
            plan.new["sources"] or Source.objects.filter(slug__startswith=DEMO).exists()
        ):
            raise CommandError(
                "Demo citations quote demo sources: ask for more --sources than the "
                f"{Source.objects.count()} already there."
            )
        creating = (
            entries
            + plan.new["sources"]
            + sum(plan.parties)
            + sum(plan.participants)
            + sum(plan.engaged)
            + plan.new["citations"]
        )
        have = sum(history_of(model).count() for model in TRACKED)
        plan.edit_rows = self.revisions - have - creating
        if plan.edit_rows < 0:
            raise CommandError(
                f"--revisions {self.revisions:,} is too few: the history holds {have:,} "
                f"revisions and making the entries asked for writes {creating:,} more. "
                f"Ask for at least {have + creating:,}."
            )
        plan.offset = 0  # where the next entry's citations are in plan.citations
        return plan

    def _citations_of(self, plan):
        count = plan.citations[plan.offset]
        plan.offset += 1
        return count

    def _new_citations(self, field, entry, count, partners=()):
        """`count` citations of `entry` (a row), whose links name `partners` (ids)."""
        rows = []
        valued = valued_facts(field, entry, partners) if count else []
        for _ in range(count):
            source = self.citing.pick()
            rows.append(
                {
                    "id": self.ids(Citation),
                    "source_id": source,
                    f"{field}_id": entry["id"],
                    "quote": self.rng.choice(self.sentences[source]),
                    "facts": self._facts(field, valued),
                    "note": self._note(),
                    "stance": (
                        Citation.Stance.DISPUTES
                        if self.rng.random() < 0.05
                        else Citation.Stance.SUPPORTS
                    ).value,
                }
            )
        self.made["citations"] += count
        return rows

    def _facts(self, field, valued):
        """A citation's line of facts: some of `valued` (valued_facts()), or its existence."""
        keys = [key for key in valued if self.rng.random() < FACT_STATED]
        if not keys or self.rng.random() < EXISTENCE_STATED:
            keys.append(fact_rules.EXISTENCE)
        return fact_rules.joined(field, keys)

    def _note(self):
        return self.rng.choice(NOTES) if self.rng.random() < NOTED else ""

    def detail(self, row):
        """A citation saved alone, as recent changes names it (history.saves._detail)."""
        partners = {
            ("partner", partner): self.partner_names.get(partner, "")
            for key in fact_rules.split(row["facts"])
            for field in fact_rules.LINKS
            if (partner := fact_rules.link_id(field, key)) is not None
        }
        return citation_text(_Entry(row), partners, short=True)

    def _create(self, entry_type, entry, relations, citations):
        """An entry with its relation rows and citations: rows, and one save."""
        model = entry_type.model
        self.rows.add(model, entry)
        revisions = [(model, entry, "+")]
        for relation_model, row in relations:
            self.rows.add(relation_model, row)
            revisions.append((relation_model, row, "+"))
        for row in citations:
            self.rows.add(Citation, row)
            revisions.append((Citation, row, "+"))
        self.saves.write(entry_type, entry, revisions, "Demo: created", created=True)

    # -- entries ----------------------------------------------------------------------------

    def _sources(self, count):
        """Makes `count` demo sources; returns {id: sentences} of every demo source."""
        sentences = {}
        for source_id, text in Source.objects.filter(slug__startswith=DEMO).values_list(
            "id", "full_text"
        ):
            sentences[source_id] = SENTENCE_END.split(text.strip())
        start = Source.objects.filter(slug__startswith=DEMO).count()
        rng = self.rng
        for n in range(start + 1, start + count + 1):
            paragraphs = [
                [self._sentence() for _ in range(rng.randint(3, 5))]
                for _ in range(rng.randint(3, 5))
            ]
            topic = rng.choice(TOPICS)
            source = {
                "id": self.ids(Source),
                "title": f"Demo source {n}: {topic} cooperation",
                "slug": f"{DEMO}source-{n}",
                "kind": rng.choice(Source.Kind.values),
                "publisher": rng.choice(PUBLISHERS),
                "author": f"Demo Author {rng.randint(1, 40)}" if rng.random() < 0.5 else "",
                "language": Source.Language.ENGLISH.value,
                **_dated("publication_date", _date(rng, 0.9, first=1990, without_year=0)),
                "full_text": "\n\n".join(" ".join(lines) for lines in paragraphs) + "\n",
                "reliability_note": "Generated for benchmarks: not a real document.",
            }
            sentences[source["id"]] = [line for lines in paragraphs for line in lines]
            self.rows.add(Source, source)
            self.saves.write(
                SOURCE, source, [(Source, source, "+")], "Demo: created", created=True
            )
        self.made["sources"] = count
        return sentences

    def _sentence(self):
        return self.rng.choice(SOURCE_SENTENCES).format(
            year=self.rng.randint(1960, 2025),
            topic=self.rng.choice(TOPICS),
            who=self.rng.choice(WHO),
        )

    def _partners(self, plan):
        rng = self.rng
        countries = list(
            Partner.objects.filter(kind=Partner.Kind.COUNTRY).values_list("id", flat=True)
        )
        start = Partner.objects.filter(slug__startswith=DEMO).count()
        for n, kind in enumerate(plan.partner_kinds, start=start + 1):
            partner_id = self.ids(Partner)
            partner = {
                "id": partner_id,
                "name": f"Demo {kind.value} {n}",
                "slug": f"{DEMO}{kind}-{n}",
                "kind": kind.value,
                "short_name": f"DO{n}" if kind == Partner.Kind.ORGANIZATION else "",
                "summary": _line(rng, PARTNER_LINES),
                "parent_id": (
                    rng.choice(countries)
                    if kind == Partner.Kind.COMPANY and countries and rng.random() < 0.7
                    else None
                ),
            }
            if kind == Partner.Kind.COUNTRY:
                countries.append(partner_id)
            citations = self._new_citations("partner", partner, self._citations_of(plan))
            self._create(PARTNER, partner, [], citations)
        self.made["partners"] = len(plan.partner_kinds)
        self.rows.flush()
        self._pools()

    def _pools(self):
        """Who takes part, drawn with a skew; the busiest partner apart (_busiest_share)."""
        partners = list(Partner.objects.order_by("id").values_list("id", "kind", "slug", "name"))
        # Named in the detail of a citation's save (`detail`).
        self.partner_names = {pk: name for pk, _, _, name in partners}
        self.busiest = next((pk for pk, _, slug, _ in partners if slug == BUSIEST), None)
        others = [(pk, kind) for pk, kind, _, _ in partners if pk != self.busiest]
        self.rng.shuffle(others)
        self.parties = Skewed(self.rng, [pk for pk, kind in others if kind != "company"])
        self.suppliers = Skewed(self.rng, [pk for pk, kind in others if kind == "country"])
        self.makers = Skewed(self.rng, [pk for pk, kind in others if kind == "company"])

    def _busiest_share(self, pool, counts):
        """One entry in ten, or more where the pool is so small that its likeliest partner
        (picked `counts` times per entry on average) would be busier."""
        average = sum(counts) / len(counts) if counts else 1
        return max(0.1, min(0.9, 1.3 * pool.top_share * average))

    def _with_busiest(self, share):
        return [self.busiest] if self.busiest and self.rng.random() < share else []

    def _taking_part(self, count, share):
        """`count` different parties or participants (as many as the plan counted on)."""
        chosen = self.parties.distinct(count, self._with_busiest(share))
        if len(chosen) < count and self.busiest and self.busiest not in chosen:
            chosen.append(self.busiest)
        return chosen

    def _agreements(self, plan):
        rng = self.rng
        start = Agreement.objects.filter(slug__startswith=DEMO).count()
        kinds, statuses = Agreement.Kind.values, Agreement.Status.values
        share = self._busiest_share(self.parties, plan.parties)
        for n, party_count in enumerate(plan.parties, start=start + 1):
            agreement_id = self.ids(Agreement)
            concluded = _date(rng)
            starts = concluded if concluded[0] and rng.random() < 0.3 else NO_DATE
            ends = NO_DATE
            if starts[0] and rng.random() < 0.3:
                year = starts[0].year + rng.randint(1, 10)
                ends = (datetime.date(year, 1, 1), DatePrecision.YEAR, False, None)
            agreement = {
                "id": agreement_id,
                "title": f"Demo agreement {n}",
                "slug": f"{DEMO}agreement-{n}",
                "kind": rng.choice(kinds),
                **_dated("date", concluded),
                **_dated("start_date", starts),
                **_dated("end_date", ends),
                "status": rng.choice(statuses),
                **_value(rng, 0.3),
                "summary": _line(rng, AGREEMENT_LINES),
            }
            parties = [
                (
                    AgreementParty,
                    {
                        "id": self.ids(AgreementParty),
                        "agreement_id": agreement_id,
                        "partner_id": partner,
                    },
                )
                for partner in self._taking_part(party_count, share)
            ]
            citations = self._new_citations(
                "agreement",
                agreement,
                self._citations_of(plan),
                [row["partner_id"] for _, row in parties],
            )
            self._create(AGREEMENT, agreement, parties, citations)
            self.made["parties"] += len(parties)
        self.made["agreements"] = len(plan.parties)

    def _exercises(self, plan):
        rng = self.rng
        start = Exercise.objects.filter(slug__startswith=DEMO).count()
        roles, domains = ExerciseParticipant.Role, Exercise.Domain.values
        share = self._busiest_share(self.parties, plan.participants)
        for n, participant_count in enumerate(plan.participants, start=start + 1):
            exercise_id = self.ids(Exercise)
            starts = _date(rng)
            ends = NO_DATE
            if starts[1] == DatePrecision.DAY:
                days = datetime.timedelta(days=rng.randint(3, 20))
                ends = (starts[0] + days, DatePrecision.DAY, False, None)
            exercise = {
                "id": exercise_id,
                "name": f"Demo exercise {n}",
                "slug": f"{DEMO}exercise-{n}",
                "series": rng.choice(SERIES),
                **_dated("start_date", starts),
                **_dated("end_date", ends),
                "location": rng.choice(LOCATIONS),
                "domains": ",".join(sorted(rng.sample(domains, rng.randint(1, 3)))),
                "summary": _line(rng, EXERCISE_LINES),
            }
            partners = self._taking_part(participant_count, share)
            participants = []
            for number, partner in enumerate(partners):
                role = roles.PARTICIPANT
                if number == 0 and rng.random() < 0.5:
                    role = rng.choice([roles.HOST, roles.ORGANIZER])
                elif rng.random() < 0.1:
                    role = roles.OBSERVER
                row = {
                    "id": self.ids(ExerciseParticipant),
                    "exercise_id": exercise_id,
                    "partner_id": partner,
                    "role": role.value,
                }
                participants.append((ExerciseParticipant, row))
            citations = self._new_citations(
                "exercise", exercise, self._citations_of(plan), partners
            )
            self._create(EXERCISE, exercise, participants, citations)
            self.made["participants"] += len(participants)
        self.made["exercises"] = len(plan.participants)

    def _procurements(self, plan):
        rng = self.rng
        count = plan.new["equipment"]
        self.rows.flush()
        agreements = list(
            Agreement.objects.filter(slug__startswith=DEMO).values_list("id", flat=True)
        )
        start = Procurement.objects.filter(slug__startswith=DEMO).count()
        categories, statuses = Procurement.Category.values, Procurement.Status.values
        share = self._busiest_share(self.suppliers, [])
        for n in range(start + 1, start + count + 1):
            procurement_id = self.ids(Procurement)
            ordered = _date(rng, 0.85)
            delivered = NO_DATE
            if ordered[0] and rng.random() < 0.4:
                year = ordered[0].year + rng.randint(1, 5)
                delivered = (datetime.date(year, 1, 1), DatePrecision.YEAR, False, None)
            busiest = self._with_busiest(share) or not self.suppliers
            procurement = {
                "id": procurement_id,
                "system": f"Demo system {n}",
                "slug": f"{DEMO}system-{n}",
                "category": rng.choice(categories),
                "supplier_id": self.busiest if busiest else self.suppliers.pick(),
                "manufacturer_id": (
                    self.makers.pick() if self.makers and rng.random() < 0.5 else None
                ),
                "agreement_id": rng.choice(agreements)
                if agreements and rng.random() < 0.15
                else None,
                "quantity": rng.randint(1, 200) if rng.random() < 0.7 else None,
                **_dated("order_date", ordered),
                **_dated("delivery_date", delivered),
                "status": rng.choice(statuses),
                **_value(rng, 0.4),
                "summary": _line(rng, PROCUREMENT_LINES),
            }
            citations = self._new_citations("procurement", procurement, self._citations_of(plan))
            self._create(EQUIPMENT, procurement, [], citations)
        self.made["equipment"] = count

    def _engagements(self, plan):
        rng = self.rng
        start = Engagement.objects.filter(slug__startswith=DEMO).count()
        kinds = Engagement.Kind.values
        roles = [Role.HOST, Role.VISITOR, Role.PARTICIPANT, Role.SPEAKER, Role.UNSTATED]
        share = self._busiest_share(self.parties, plan.engaged)
        for n, partner_count in enumerate(plan.engaged, start=start + 1):
            engagement_id = self.ids(Engagement)
            engagement = {
                "id": engagement_id,
                "title": f"Demo engagement {n}",
                "slug": f"{DEMO}engagement-{n}",
                "kind": rng.choice(kinds),
                **_dated("date", _date(rng, 0.85)),
                **_dated("end_date", NO_DATE),
                "place": rng.choice(LOCATIONS) if rng.random() < 0.6 else "",
                "hedge": "reportedly" if rng.random() < 0.05 else "",
                "summary": _line(rng, EXERCISE_LINES),
            }
            partners = self._taking_part(partner_count, share)
            links = [
                (
                    EngagementPartner,
                    {
                        "id": self.ids(EngagementPartner),
                        "engagement_id": engagement_id,
                        "partner_id": partner,
                        "role": rng.choice(roles).value,
                    },
                )
                for partner in partners
            ]
            citations = self._new_citations(
                "engagement", engagement, self._citations_of(plan), partners
            )
            self._create(ENGAGEMENT, engagement, links, citations)
            self.made["engaged"] += len(links)
        self.made["engagements"] = len(plan.engaged)

    # -- saves after the entries' first -----------------------------------------------------

    def _demo_entries(self):
        """[(entry type, [ids of its demo entries])] for the types cited and edited."""
        self.rows.flush()
        return [
            (
                entry_type,
                list(
                    entry_type.model.objects.filter(slug__startswith=DEMO)
                    .order_by("id")
                    .values_list("id", flat=True)
                ),
            )
            for entry_type in (PARTNER, AGREEMENT, EXERCISE, EQUIPMENT, SOURCE)
        ]

    def _pick(self, entries, skew=1):
        """An (entry type, id) of `entries`, each type in proportion to its size; the oldest
        entries, with skew 2, the most often."""
        candidates = [(entry_type, ids) for entry_type, ids in entries if ids]
        entry_type, ids = self.rng.choices(
            candidates, weights=[len(ids) for _, ids in candidates]
        )[0]
        return entry_type, ids[int(len(ids) * self.rng.random() ** skew)]

    def _lone_citations(self, count):
        """Citations added to existing entries, one save each: when no new entry can take them."""
        if not count:
            return
        entries = [(t, ids) for t, ids in self._demo_entries() if t is not SOURCE]
        if not any(ids for _, ids in entries):
            raise CommandError("Demo citations need demo entries to cite: ask for more entries.")
        while count > 0:
            picks = [self._pick(entries) for _ in range(min(count, BATCH))]
            fetched, linked = {}, {}
            for entry_type in dict.fromkeys(t for t, _ in picks):
                ids = [i for t, i in picks if t is entry_type]
                fetched[entry_type] = _fetch(entry_type.model, ids)
                linked[entry_type] = _linked_partners(entry_type, ids)
            for entry_type, entry_id in picks:
                field = entry_type.model._meta.model_name
                partners = linked[entry_type].get(entry_id, [])
                entry = fetched[entry_type][entry_id]
                (row,) = self._new_citations(field, entry, 1, partners)
                self.rows.add(Citation, row)
                self.saves.write(
                    entry_type,
                    entry,
                    [(Citation, row, "+")],
                    "Demo edit: citation added",
                    detail=self.detail(row),
                )
            count -= len(picks)

    def _edits(self, wanted):
        """Edits until `wanted` more history rows are written."""
        if not wanted:
            return
        entries = self._demo_entries()
        if connection.vendor == "postgresql":
            # The planner's statistics still describe the tables before this run: without
            # them it would scan the relation tables whole to find an entry's rows.
            with connection.cursor() as cursor:
                for model in (AgreementParty, ExerciseParticipant, Citation):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        if not any(ids for _, ids in entries):
            raise CommandError(
                f"{wanted:,} more revisions are wanted but there is no demo entry to edit: "
                "ask for more entries or fewer --revisions."
            )
        while wanted > 0:
            batch, budget = [], wanted
            while budget > 0 and len(batch) < BATCH:
                entry_type, entry_id = self._pick(entries, skew=2)
                kind = self.rng.choices(["entry", "relation", "citation"], weights=[7, 2, 1])[0]
                if kind == "relation" and budget < 2:
                    kind = "entry"
                batch.append((entry_type, entry_id, kind))
                budget -= 2 if kind == "relation" else 1
            written = Edits(self, batch).write()
            self.made["edits"] += len(batch)
            wanted -= written


class Plan:
    """What a run makes, drawn before anything is written (see Generator._plan)."""


def _editors():
    User = get_user_model()
    editors = []
    for n in range(1, EDITORS + 1):
        user, _ = User.objects.get_or_create(
            username=f"{EDITOR}{n}",
            defaults={"is_staff": True, "first_name": "Demo", "last_name": f"editor {n}"},
        )
        editors.append(user.pk)
    return editors


def _fetch(model, ids, field="id"):
    """{id: row as {attname: value}} of `model`'s rows whose `field` is in `ids`, by BATCH."""
    names = [f.attname for f in model._meta.concrete_fields]
    found = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for row in model._base_manager.filter(**{f"{field}__in": chunk}).values(*names):
            found[row["id"]] = row
    return found


# Per entry type: the columns an "entry" edit rewrites, and how.
EDITED = {
    "partner": ("summary", PARTNER_LINES),
    "agreement": ("summary", AGREEMENT_LINES),
    "exercise": ("summary", EXERCISE_LINES),
    "equipment": ("summary", PROCUREMENT_LINES),
    "source": ("reliability_note", None),
}


class Edits:
    """One batch of edits: the rows they touch read in a few queries, then rewritten.

    Each edit is one save. An "entry" edit rewords the entry's summary (a
    source's reliability note), sometimes with a new status; a "relation" edit
    does that and adds a party to an agreement or removes one (it keeps one to
    three), or changes a participant's role in an exercise; a "citation" edit
    corrects the facts one of the entry's citations states, or rewords its note.
    An edit that cannot be made as drawn (no citation to edit) falls back to an
    "entry" edit.
    """

    def __init__(self, generator, batch):
        self.generator = generator
        self.rng = generator.rng
        self.batch = batch
        self.updated = {}  # model: {id: row}, rows to write back
        self.removed = []  # ids of agreement parties removed
        self.parties_changed = set()  # agreements whose parties changed

    def write(self):
        entries, relations, citations = {}, {}, {}
        by_type = {}
        for entry_type, entry_id, kind in self.batch:
            by_type.setdefault(entry_type, []).append((entry_id, kind))
        for entry_type, edits in by_type.items():
            model = entry_type.model
            entries[entry_type] = _fetch(model, [i for i, _ in edits])
            relation = _relation(entry_type)
            if relation is not None:
                relations[entry_type] = _grouped(
                    _fetch(relation.model, [i for i, k in edits if k == "relation"], relation.fk),
                    relation.fk_attname,
                )
            if entry_type is not SOURCE:
                field = model._meta.model_name
                citations[entry_type] = _grouped(
                    _fetch(Citation, [i for i, k in edits if k == "citation"], field),
                    f"{field}_id",
                )
        saves = self.generator.saves
        before = saves.revisions
        for entry_type, entry_id, kind in self.batch:
            entry = entries[entry_type][entry_id]
            cited = citations.get(entry_type, {}).get(entry_id)
            if kind == "citation" and cited:
                self._citation(entry_type, entry, cited)
            elif kind == "relation" and entry_type in relations:
                self._relation(entry_type, entry, relations[entry_type].setdefault(entry_id, []))
            else:
                self._entry(entry_type, entry)
        self.generator.rows.flush()  # parties added before any is removed again
        self._write_back()
        return saves.revisions - before

    def _reword(self, entry_type, entry):
        column, lines = EDITED[entry_type.name]
        if lines is None:
            entry[column] = f"Reviewed again: {self.rng.choice(SECOND_LINES).lower()}"
            return "Demo edit: reliability note revised"
        entry[column] = _line(self.rng, lines)
        if "status" in entry and self.rng.random() < 0.25:
            entry["status"] = self.rng.choice(entry_type.model.Status.values)
            return "Demo edit: summary and status updated"
        return "Demo edit: summary reworded"

    def _entry(self, entry_type, entry):
        summary = self._reword(entry_type, entry)
        self.updated.setdefault(entry_type.model, {})[entry["id"]] = entry
        self.generator.saves.write(entry_type, entry, [(entry_type.model, entry, "~")], summary)

    def _relation(self, entry_type, entry, rows):
        generator = self.generator
        if entry_type is AGREEMENT:
            # One party more, or one fewer: an agreement keeps one to three. Once a
            # batch, so that a party is never removed and added again in one.
            if entry["id"] in self.parties_changed:
                return self._entry(entry_type, entry)
            self.parties_changed.add(entry["id"])
            taken = [row["partner_id"] for row in rows]
            partners = generator.parties.distinct(len(taken) + 1, taken) if len(rows) < 3 else []
            if len(partners) > len(taken):
                row = {
                    "id": generator.ids(AgreementParty),
                    "agreement_id": entry["id"],
                    "partner_id": partners[-1],
                }
                rows.append(row)
                generator.rows.add(AgreementParty, row)
                change, note = (AgreementParty, row, "+"), "party added"
            elif len(rows) > 1:
                row = rows.pop(self.rng.randrange(len(rows)))
                self.removed.append(row["id"])
                change, note = (AgreementParty, row, "-"), "party removed"
            else:
                return self._entry(entry_type, entry)
        else:
            if not rows:
                return self._entry(entry_type, entry)
            row = self.rng.choice(rows)
            roles = [r for r in ExerciseParticipant.Role.values if r != row["role"]]
            row["role"] = self.rng.choice(roles)
            self.updated.setdefault(ExerciseParticipant, {})[row["id"]] = row
            change, note = (ExerciseParticipant, row, "~"), "role corrected"
        summary = self._reword(entry_type, entry)
        self.updated.setdefault(entry_type.model, {})[entry["id"]] = entry
        generator.saves.write(
            entry_type,
            entry,
            [(entry_type.model, entry, "~"), change],
            f"{summary}, {note}",
        )

    def _citation(self, entry_type, entry, rows):
        """A citation's facts drawn again from its entry's fields (its links kept), or its
        note reworded."""
        generator = self.generator
        row = self.rng.choice(rows)
        field = entry_type.model._meta.model_name
        if self.rng.random() < 0.5:
            links = [
                key
                for key in fact_rules.split(row["facts"])
                if fact_rules.link_id(field, key) is not None
            ]
            drawn = fact_rules.split(generator._facts(field, valued_facts(field, entry)))
            row["facts"] = fact_rules.joined(field, drawn + links)
            summary = "Demo edit: citation's facts corrected"
        else:
            row["note"] = self.rng.choice([note for note in NOTES if note != row["note"]])
            summary = "Demo edit: citation's note reworded"
        self.updated.setdefault(Citation, {})[row["id"]] = row
        generator.saves.write(
            entry_type, entry, [(Citation, row, "~")], summary, detail=generator.detail(row)
        )

    def _write_back(self):
        """The live rows as their last revision has them, in one statement per table."""
        columns = {
            Partner: ["summary"],
            Agreement: ["summary", "status"],
            Exercise: ["summary"],
            Procurement: ["summary", "status"],
            Source: ["reliability_note"],
            ExerciseParticipant: ["role"],
            Citation: ["facts", "note"],
        }
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            parties = quote(AgreementParty._meta.db_table)
            for start in range(0, len(self.removed), 900):
                chunk = self.removed[start : start + 900]
                cursor.execute(
                    f"DELETE FROM {parties} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk
                )
            for model, rows in self.updated.items():
                names = columns[model]
                table = quote(model._meta.db_table)
                values = [[row[name] for name in names] + [row["id"]] for row in rows.values()]
                if connection.vendor != "postgresql":
                    assignments = ", ".join(f"{quote(name)} = %s" for name in names)
                    cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", values)
                    continue
                # One statement for the batch: several times faster than one per row.
                assignments = ", ".join(f"{quote(name)} = v.{quote(name)}" for name in names)
                placeholders = ", ".join(
                    [f"({', '.join(['%s'] * (len(names) + 1))})"] * len(values)
                )
                cursor.execute(
                    f"UPDATE {table} SET {assignments} FROM (VALUES {placeholders}) "
                    f"AS v({', '.join(quote(name) for name in [*names, 'id'])}) "
                    f"WHERE {table}.id = v.id",
                    list(itertools.chain.from_iterable(values)),
                )


def _relation(entry_type):
    """The entry type's relation other than citations (parties, participants), if any."""
    return next((r for r in entry_type.relations if r.model is not Citation), None)


def _linked_partners(entry_type, ids):
    """{entry id: [partner ids]} of the parties or participants of entries `ids`."""
    relation = _relation(entry_type)
    if relation is None:
        return {}
    rows = _grouped(_fetch(relation.model, ids, relation.fk), relation.fk_attname)
    return {entry: [row["partner_id"] for row in links] for entry, links in rows.items()}


def _grouped(rows, key):
    grouped = {}
    for row in rows.values():
        grouped.setdefault(row[key], []).append(row)
    return grouped
