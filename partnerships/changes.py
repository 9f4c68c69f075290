"""Revisions across the wiki, newest first, read from every entry's history table
and from those of the rows edited with an entry (parties, participants, citations).

`ENTRY_TYPES` names the five kinds of entry the public history pages serve, with
the relations each one's admin form edits inline. `changes()` is the query
behind the recent-changes page and its feed: one UNION over the history tables,
paginated in the database. A relation row's revision written by the same save as
its entry's revision (same editor and summary, within revisions.SAME_SAVE) is
part of that change and not listed again; one saved on its own (a citation added
without touching the entry's fields) is a row of its own, labelled by its entry.
"""

import datetime
import functools
import re
from dataclasses import dataclass

from django.db.models import (
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sources.models import Citation, Source

from .models import (
    Agreement,
    AgreementParty,
    Exercise,
    ExerciseParticipant,
    Partner,
    Procurement,
    ReviewMark,
)
from .revisions import SAME_SAVE, history_of
from .wiki_admin import RelatedHistory


@dataclass(frozen=True)
class RelationType:
    """Rows edited on an entry's form, whose revisions are part of the entry's history."""

    spec: RelatedHistory
    token: str  # how a URL names one of its revisions: "party-12"
    singular: str
    plural: str

    @property
    def model(self):
        return self.spec.model

    @property
    def fk(self):
        return self.spec.field

    @property
    def fk_attname(self):
        return f"{self.spec.field}_id"

    @property
    def title(self):
        return self.spec.title

    @property
    def relation(self):
        return self.spec.relation

    @property
    def revision_type(self):
        return self.model._meta.model_name

    def noun(self, count):
        return self.singular if count == 1 else self.plural

    def describe(self, records):
        """{history_id: how the entry's page names the row}."""
        return self.spec.describe(records)


@dataclass(frozen=True)
class EntryType:
    name: str  # "agreement": in filters, lists and the feed
    path: str  # "agreements": the URL segment
    title: str  # "Agreements"
    model: type
    label_field: str
    url_name: str
    relations: tuple = ()

    @property
    def history(self):
        return history_of(self.model)

    @property
    def revision_type(self):
        return self.model._meta.model_name

    def detail_url(self, slug):
        try:
            return reverse(self.url_name, args=[slug])
        except NoReverseMatch:
            return ""

    def history_url(self, slug, view="entry-history", *args):
        return reverse(f"partnerships:{view}", args=[self.path, slug, *args])


def _citations(field):
    return RelationType(
        RelatedHistory("Citations", Citation, field), "citation", "citation", "citations"
    )


ENTRY_TYPES = (
    EntryType(
        "partner",
        "partners",
        "Partners",
        Partner,
        "name",
        "partnerships:partner-detail",
        (_citations("partner"),),
    ),
    EntryType(
        "agreement",
        "agreements",
        "Agreements",
        Agreement,
        "title",
        "partnerships:agreement-detail",
        (
            RelationType(
                RelatedHistory("Parties", AgreementParty, "agreement", "partner"),
                "party",
                "party",
                "parties",
            ),
            _citations("agreement"),
        ),
    ),
    EntryType(
        "exercise",
        "exercises",
        "Exercises",
        Exercise,
        "name",
        "partnerships:exercise-detail",
        (
            RelationType(
                RelatedHistory("Participants", ExerciseParticipant, "exercise", "partner"),
                "participant",
                "participant",
                "participants",
            ),
            _citations("exercise"),
        ),
    ),
    EntryType(
        "equipment",
        "equipment",
        "Equipment deals",
        Procurement,
        "system",
        "partnerships:procurement-detail",
        (_citations("procurement"),),
    ),
    EntryType("source", "sources", "Sources", Source, "title", "sources:source-detail"),
)
BY_NAME = {entry_type.name: entry_type for entry_type in ENTRY_TYPES}
BY_PATH = {entry_type.path: entry_type for entry_type in ENTRY_TYPES}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
ROW_ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


def editor_name(first_name, last_name, username):
    """A revision's editor, from the user's columns read with it (no query of its own)."""
    if username is None:
        return "the fixture loader"
    return f"{first_name or ''} {last_name or ''}".strip() or username


# -- revision tokens: how URLs name one revision --------------------------------------

TOKEN = re.compile(r"(?:(?P<kind>[a-z]+)-)?(?P<number>[0-9]{1,10})")


def token_of(relation, history_id):
    """ "123" for an entry's own revision, "citation-45" for one of its relation rows'."""
    return f"{relation.token}-{history_id}" if relation else str(history_id)


def parse_token(entry_type, text):
    """(RelationType or None, history_id) for a token of `entry_type`, or None if it is not one."""
    match = TOKEN.fullmatch(text or "")
    if match is None:
        return None
    number = int(match["number"])
    if match["kind"] is None:
        return None, number
    for relation in entry_type.relations:
        if relation.token == match["kind"]:
            return relation, number
    return None


# -- the UNION over history tables ----------------------------------------------------

COLUMNS = (
    "r_date",
    "r_history_id",
    "r_action",
    "r_reason",
    "r_username",
    "r_first_name",
    "r_last_name",
    "r_revision_type",
    "r_entry_type",
    "r_entry_id",
    "r_label",
    "r_slug",
    "r_detail",
    "r_reviewed",
)


def reviewed(revision_type):
    """Whether a history row (the outer query's) carries a review mark."""
    return Exists(
        ReviewMark.objects.filter(revision_type=revision_type, history_id=OuterRef("history_id"))
    )


def _columns(queryset, *, revision_type, entry_type, entry_id, label, slug, detail):
    """A history queryset as rows of COLUMNS, the same in every part of the UNION."""
    return (
        queryset.annotate(
            r_date=F("history_date"),
            r_history_id=F("history_id"),
            r_action=F("history_type"),
            r_reason=Coalesce("history_change_reason", Value(""), output_field=TextField()),
            r_username=F("history_user__username"),
            r_first_name=F("history_user__first_name"),
            r_last_name=F("history_user__last_name"),
            r_revision_type=Value(revision_type, output_field=CharField()),
            r_entry_type=Value(entry_type.name, output_field=CharField()),
            r_entry_id=entry_id,
            r_label=label,
            r_slug=slug,
            r_detail=detail,
            r_reviewed=reviewed(revision_type),
        )
        .values(*COLUMNS)
        .order_by()
    )


def _latest(entry_type, id_ref, field):
    """The `field` of an entry's latest revision: the name of a deleted entry."""
    latest = entry_type.history.filter(id=OuterRef(id_ref)).order_by(
        "-history_date", "-history_id"
    )
    return Subquery(latest.values(field)[:1])


def _shifted(seconds):
    return ExpressionWrapper(
        OuterRef("history_date") + datetime.timedelta(seconds=seconds),
        output_field=DateTimeField(),
    )


def in_entry_save(entry_type, relation):
    """Whether a relation row's revision (the outer query's) was written by its entry's save.

    The same editor and summary within SAME_SAVE of one of the entry's own
    revisions, as revisions.same_save() decides it in Python.
    """
    window = SAME_SAVE.total_seconds()
    return Exists(
        entry_type.history.annotate(
            user_key=Coalesce("history_user_id", Value(0)),
            reason_key=Coalesce("history_change_reason", Value(""), output_field=TextField()),
        ).filter(
            id=OuterRef(relation.fk_attname),
            user_key=Coalesce(OuterRef("history_user_id"), Value(0)),
            reason_key=Coalesce(
                OuterRef("history_change_reason"), Value(""), output_field=TextField()
            ),
            history_date__gte=_shifted(-window),
            history_date__lte=_shifted(window),
        )
    )


def _detail(relation):
    """A relation row as its entry's page names it: the partner, or what a citation supports."""
    if relation.spec.other is None:
        return F("supports")
    partner = Coalesce(
        F(f"{relation.spec.other}__name"),
        Concat(
            _latest(BY_NAME["partner"], f"{relation.spec.other}_id", "name"), Value(" (deleted)")
        ),
        Value("a partner"),
    )
    if relation.model is ExerciseParticipant:
        return Concat(partner, Value(" as "), F("role"), output_field=CharField())
    return partner


def entry_part(entry_type, where=None):
    return _columns(
        entry_type.history.filter(where or Q()),
        revision_type=entry_type.revision_type,
        entry_type=entry_type,
        entry_id=F("id"),
        label=F(entry_type.label_field),
        slug=F("slug"),
        detail=Value("", output_field=CharField()),
    )


def relation_part(entry_type, relation, where=None):
    fk, fk_id = relation.fk, relation.fk_attname
    return _columns(
        history_of(relation.model).filter(where or Q()),
        revision_type=relation.revision_type,
        entry_type=entry_type,
        entry_id=F(fk_id),
        label=Coalesce(
            F(f"{fk}__{entry_type.label_field}"),
            _latest(entry_type, fk_id, entry_type.label_field),
        ),
        slug=Coalesce(F(f"{fk}__slug"), _latest(entry_type, fk_id, "slug")),
        detail=_detail(relation),
        # On r_entry_id, not on the foreign key: a filter on the key would turn the
        # LEFT JOIN that names the entry into an INNER one, dropping deleted entries.
    ).filter(r_entry_id__isnull=False)


@dataclass(frozen=True)
class Filters:
    """What the recent-changes page and feed are filtered by; every field optional."""

    type: EntryType | None = None
    editor: object = None  # a user
    since: datetime.datetime | None = None  # inclusive
    before: datetime.datetime | None = None  # exclusive
    reviewed: bool | None = None


@functools.cache
def _parts(entry_type):
    """The UNION's parts for one entry type, unfiltered.

    Built once per process and cloned for each request: building eleven
    annotated querysets costs more than running the query they make.
    """
    parts = [entry_part(entry_type)]
    for relation in entry_type.relations:
        part = relation_part(entry_type, relation)
        parts.append(part.filter(~in_entry_save(entry_type, relation)))
    return parts


def changes(filters=Filters()):
    """Every revision across the wiki, newest first, as rows of COLUMNS (a queryset).

    One query per page (and one to count them); relation rows written by their
    entry's save are left out, being part of that revision.
    """
    where = Q()
    if filters.editor is not None:
        where &= Q(history_user=filters.editor)
    if filters.since is not None:
        where &= Q(history_date__gte=filters.since)
    if filters.before is not None:
        where &= Q(history_date__lt=filters.before)
    if filters.reviewed is not None:
        where &= Q(r_reviewed=filters.reviewed)
    parts = [
        part.filter(where)
        for entry_type in ENTRY_TYPES
        if filters.type in (None, entry_type)
        for part in _parts(entry_type)
    ]
    return (
        parts[0]
        .union(*parts[1:], all=True)
        .order_by("-r_date", "-r_history_id", "r_revision_type")
    )


def latest_change(entry_type, pk):
    """The newest revision of an entry or of its relation rows, as a Change; one query."""
    parts = [entry_part(entry_type, Q(id=pk))]
    parts += [
        relation_part(entry_type, relation, Q(**{relation.fk_attname: pk}))
        for relation in entry_type.relations
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by("-r_date", "-r_history_id")[:1]
    return next((Change.of(row) for row in rows), None)


# -- rows as the pages show them ----------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One row of recent changes: a revision, with where to read and compare it."""

    entry_type: EntryType
    relation: RelationType | None
    history_id: int
    date: datetime.datetime
    action_code: str
    summary: str
    editor: str
    username: str
    label: str
    slug: str
    detail: str
    reviewed: bool

    @classmethod
    def of(cls, row):
        entry_type = BY_NAME[row["r_entry_type"]]
        relation = next(
            (r for r in entry_type.relations if r.revision_type == row["r_revision_type"]), None
        )
        return cls(
            entry_type=entry_type,
            relation=relation,
            history_id=row["r_history_id"],
            date=row["r_date"],
            action_code=row["r_action"],
            summary=row["r_reason"] or "",
            editor=editor_name(row["r_first_name"], row["r_last_name"], row["r_username"]),
            username=row["r_username"] or "",
            label=row["r_label"] or "(unnamed)",
            slug=row["r_slug"] or "",
            detail=row["r_detail"] or "",
            reviewed=bool(row["r_reviewed"]),
        )

    @property
    def revision_type(self):
        return self.relation.revision_type if self.relation else self.entry_type.revision_type

    @property
    def token(self):
        return token_of(self.relation, self.history_id)

    @property
    def action(self):
        if self.relation is None:
            return ACTIONS.get(self.action_code, "changed")
        return f"{self.relation.singular} {ROW_ACTIONS.get(self.action_code, 'changed')}"

    @property
    def created(self):
        return self.relation is None and self.action_code == "+"

    @property
    def history_url(self):
        return self.entry_type.history_url(self.slug) if self.slug else ""

    @property
    def revision_url(self):
        return self.entry_type.history_url(self.slug, "entry-revision", self.token)

    @property
    def entry_url(self):
        """The entry's page, unless this revision deleted it."""
        deleted = self.relation is None and self.action_code == "-"
        return "" if deleted else self.entry_type.detail_url(self.slug)

    @property
    def compare_url(self):
        """The compare view from the revision before this one (see history_views.compare)."""
        return f"{self.entry_type.history_url(self.slug, 'entry-compare')}?to={self.token}"

    @property
    def review_url(self):
        return self.entry_type.history_url(self.slug, "entry-review", self.token)


def review_marks(changes_):
    """{(revision_type, history_id): ReviewMark} of `changes_`, reviewers with them; one query."""
    wanted = Q()
    by_type = {}
    for change in changes_:
        by_type.setdefault(change.revision_type, []).append(change.history_id)
    for revision_type, ids in by_type.items():
        wanted |= Q(revision_type=revision_type, history_id__in=ids)
    if not by_type:
        return {}
    marks = ReviewMark.objects.filter(wanted).select_related("reviewer")
    return {(mark.revision_type, mark.history_id): mark for mark in marks}


def local_day_bounds(day):
    """The first moment of `day` and of the day after, in the site's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)
