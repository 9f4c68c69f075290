"""One entry's history: its saves, the entry as a save left it, any two saves compared.

An entry's history is its own revisions and those of the rows edited on its
form (parties, participants, citations). Every revision carries the id of the
save that wrote it (the change log's row), so one admin save with its inline
rows, or a deletion with its cascade, reads back as exactly one save. A
relation row saved on its own (a citation added without touching the entry's
fields) is a save of its own.

Reading the history costs one query for the entry's revisions and one per
relation, whatever their number: only the columns that say who saved what,
when. Showing saves costs one query more per history table for the full
revisions the page shows (`load_entries()`, `load_rows()`).
"""

import bisect
import collections
import functools
import re
from dataclasses import dataclass, field

from django.db.models import TextField
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from sources.models import Source

from ..compiled import Compiled
from .diffs import EMPTY, changed_labels, field_changes, load_names, shown_fields, word_diff
from .names import UNKNOWN_USER, Names, display_name, editor_name, moment
from .registry import entry_types, fact_labels, fact_link_names

SKELETON = (
    "history_id",
    "history_date",
    "history_type",
    "history_change_reason",
    "history_change_id",
    "history_user_id",
    "history_user__username",
    "history_user__first_name",
    "history_user__last_name",
)

# -- revision tokens: how URLs name one revision ----------------------------------------

TOKEN = re.compile(r"(?:(?P<kind>[a-z]+)-)?(?P<number>[0-9]{1,10})")


def parse_token(entry_type, text):
    """(RelationType or None, history_id) for a token of `entry_type`, or None if it is not one.

    "123" names an entry's own revision, "citation-45" one of its relation rows'.
    """
    match = TOKEN.fullmatch(text or "")
    if match is None:
        return None
    number = int(match["number"])
    if match["kind"] is None:
        return None, number
    relation = entry_type.relation(match["kind"])
    return (relation, number) if relation is not None else None


@dataclass(eq=False)
class Record:
    """One revision's who and when, without its values (see EntryHistory)."""

    relation: object  # RelationType, or None for the entry's own revision
    revision_type: str  # the tracked model's name, which names its history table
    history_id: int
    history_date: object
    action: str  # "+", "~" or "-", as simple-history's history_type
    history_change_reason: str
    change_id: int  # the save that wrote it: its row in the change log
    history_user_id: int | None
    editor: str
    row_id: int
    here: bool  # a relation row's revision that points at this entry
    label: str = ""  # the entry's name at its own revision

    @property
    def token(self):
        return self.relation.token_of(self.history_id) if self.relation else str(self.history_id)

    @property
    def present(self):
        """Whether the row is on the entry after this revision."""
        return self.action != "-" and self.here


@dataclass(eq=False)
class Save:
    """The revisions one save wrote: the entry's own (if it changed) and its rows'."""

    own: list  # the entry's own revisions, in order (usually one)
    records: list
    number: int = 0  # 1 for the oldest
    # Filled in by EntryHistory: the entry's latest own revision up to this save, ...
    entry_state: Record | None = None
    # ... and per relation, {row id: (revision before the save, revision after it)}.
    rows: dict = field(default_factory=dict)

    @property
    def entry(self):
        """The entry's own revision that this save left, or None."""
        return self.own[-1] if self.own else None

    @property
    def lead(self):
        return self.own[0] if self.own else self.records[0]

    @property
    def change_id(self):
        return self.lead.change_id

    @property
    def token(self):
        return self.lead.token

    @property
    def date(self):
        return self.lead.history_date

    @property
    def editor(self):
        return self.lead.editor

    @property
    def summary(self):
        return self.lead.history_change_reason or ""

    @property
    def deletion(self):
        return bool(self.own) and self.own[-1].action == "-"

    @property
    def creation(self):
        return bool(self.own) and self.own[0].action == "+"

    def row_counts(self):
        """[(relation, added, removed, changed)] of the rows this save touched."""
        counts = []
        for relation, rows in self.rows.items():
            added = removed = changed = 0
            for before, after in rows.values():
                was = before is not None and before.present
                if was and after.present:
                    changed += 1
                elif was:
                    removed += 1
                elif after.present:
                    added += 1
            if added or removed or changed:
                counts.append((relation, added, removed, changed))
        return counts


class EntryHistory:
    """Every save of one entry, oldest first, from its history tables."""

    def __init__(self, entry_type, pk):
        self.entry_type = entry_type
        self.pk = pk
        self.records = self._entry_records()
        self.row_records = {
            relation: self._relation_records(relation) for relation in entry_type.relations
        }
        self.saves = self._saves()

    # -- reading ------------------------------------------------------------------

    def _entry_records(self):
        rows = ENTRY_RECORDS.all(self.entry_type.name, pk=self.pk)
        revision_type = self.entry_type.revision_type
        return [_record(None, revision_type, row[:9], self.pk, True, label=row[9]) for row in rows]

    def _relation_records(self, relation):
        number = self.entry_type.relations.index(relation)
        rows = RELATION_RECORDS.all(self.entry_type.name, number, pk=self.pk)
        return [
            _record(relation, relation.revision_type, row[:9], row[9], row[10] == self.pk)
            for row in rows
        ]

    # -- grouping into saves ------------------------------------------------------

    def _saves(self):
        records = [self.records, *self.row_records.values()]
        by_change = {}
        for record in sorted(
            (r for group in records for r in group), key=lambda r: (r.history_date, r.history_id)
        ):
            by_change.setdefault(record.change_id, []).append(record)
        saves = [
            Save([r for r in group if r.relation is None], group) for group in by_change.values()
        ]
        ordered = sorted(
            saves, key=lambda s: (s.lead.history_date, s.entry is None, s.lead.history_id)
        )
        self._walk(ordered)
        # A row that only passed by (made for another entry, moved elsewhere) left
        # this entry as it was: its saves are not this entry's.
        kept = [save for save in ordered if save.own or save.row_counts()]
        for number, save in enumerate(kept, start=1):
            save.number = number
        return kept

    def _walk(self, saves):
        """Note what each save found and left: the entry's state, its rows before and after."""
        entry_state = None
        latest = {}  # (relation, row id) -> its latest revision so far
        for save in saves:
            if save.entry is not None:
                entry_state = save.entry
            save.entry_state = entry_state
            for record in save.records:
                if record.relation is None:
                    continue
                key = (record.relation, record.row_id)
                rows = save.rows.setdefault(record.relation, {})
                before = rows[record.row_id][0] if record.row_id in rows else latest.get(key)
                rows[record.row_id] = (before, record)
                latest[key] = record

    # -- looking up -----------------------------------------------------------------

    @cached_property
    def _by_token(self):
        return {record.token: save for save in self.saves for record in save.records}

    def find(self, token):
        """The save that wrote the revision `token` names, or None."""
        return self._by_token.get(token)

    def previous(self, save):
        return self.saves[save.number - 2] if save.number > 1 else None

    def following(self, save):
        return self.saves[save.number] if save.number < len(self.saves) else None

    @property
    def latest(self):
        return self.saves[-1] if self.saves else None

    @property
    def deleted(self):
        return self.latest is not None and self.latest.deletion

    def at(self, moment):
        """The latest save made up to `moment`, or None if there was none."""
        dates = [save.date for save in self.saves]
        index = bisect.bisect_right(dates, moment)
        return self.saves[index - 1] if index else None

    def label(self):
        return self.records[-1].label if self.records else ""

    # -- relation rows at a save ----------------------------------------------------

    def rows_at(self, save, relation):
        """{row id: Record} of the relation's rows on the entry as `save` left it.

        A deletion shows what it deleted: the rows just before it.
        """
        state = {}
        last = save.number - 1 if save.deletion else save.number
        for earlier in self.saves[:last]:
            for row_id, (_before, record) in earlier.rows.get(relation, {}).items():
                state[row_id] = record
        return {row_id: record for row_id, record in state.items() if record.present}

    # -- summaries ------------------------------------------------------------------

    def what_changed(self, save, full):
        """One line on what `save` changed; `full`: the revisions of entry_ids_for(), loaded."""
        phrases = []
        if save.own:
            previous = self.previous_entry(save)
            if save.creation:
                if previous is not None:
                    phrases.append(pgettext("what a save did", "restored"))
                else:
                    phrases.append(pgettext("what a save did", "created"))
            elif save.deletion:
                phrases.append(pgettext("what a save did", "deleted"))
            elif previous is not None:
                labels = changed_labels(full[previous.history_id], full[save.entry.history_id])
                if labels:
                    fields = join_and([_lower_first(str(label)) for label in labels])
                    changed = ngettext("changed %(fields)s", "changed %(fields)s", len(labels))
                    phrases.append(changed % {"fields": fields})
        if not save.deletion:
            for relation, added, removed, changed in save.row_counts():
                for count, verb in ((added, "added"), (removed, "removed"), (changed, "changed")):
                    if count:
                        phrases.append(relation.words.did(verb, count))
        # Each phrase a clause of its own, as "created; added 1 party".
        separator = pgettext("between what a save did", "; ")
        text = separator.join(phrases) or _("no visible change")
        return text[:1].upper() + text[1:]

    def previous_entry(self, save):
        """The entry's own revision before `save`'s, or None."""
        if save.number < 2:
            return None
        return self.saves[save.number - 2].entry_state

    def entry_ids_for(self, saves):
        """The entry revisions what_changed() reads for `saves`."""
        ids = set()
        for save in saves:
            if save.entry_state is not None:
                ids.add(save.entry_state.history_id)
            previous = self.previous_entry(save)
            if save.entry is not None and save.entry.action == "~" and previous is not None:
                ids.add(previous.history_id)
        return ids

    def load_entries(self, ids):
        """{history_id: full revision} of the entry's own revisions `ids`; one query."""
        if not ids:
            return {}
        return self.entry_type.history.in_bulk(ids, field_name="history_id")

    def load_compared(self, ids):
        """{history_id: the values what_changed() compares} of the entry's own revisions
        `ids`; one query, of those columns, made into no model instance.

        An entry's history compares each of its fifty saves with the one before:
        the full revisions (load_entries()) were fifty model instances of some
        twenty fields a page, 1.2 ms of Python on generated data.
        """
        if not ids:
            return {}
        row = _compared_row(self.entry_type.model)
        found = self.entry_type.history.filter(history_id__in=ids).values_list(*row._fields)
        return {values[0]: row(*values) for values in found}

    def load_rows(self, relation, records):
        """{history_id: full revision} of relation rows' `records`; one query."""
        ids = {record.history_id for record in records}
        if not ids:
            return {}
        return relation.history.in_bulk(ids, field_name="history_id")

    def full_rows_at(self, save, relation):
        """{row id: full revision} of the relation's rows as `save` left them; one query."""
        rows = self.rows_at(save, relation)
        loaded = self.load_rows(relation, rows.values())
        return {row_id: loaded[record.history_id] for row_id, record in rows.items()}


@functools.cache
def _compared_row(model):
    """A named tuple of a revision's history_id and the columns changed_labels() compares
    (`shown_fields`), which it reads as a revision's attributes; `instance_type`
    says whose revision it is, as a historical record's does (diffs.model_of)."""
    columns = dict.fromkeys(f.attname for item in shown_fields(model) for f in item.fields)
    values = collections.namedtuple(f"Compared{model.__name__}", ["history_id", *columns])
    return type(values.__name__, (values,), {"__slots__": (), "instance_type": model})


def _ever_on(relation, pk):
    """The revisions of `relation` that ever pointed at entry `pk`."""
    return relation.history.filter(**{relation.fk_attname: pk})


def _entry_skeletons(type_name, pk):
    entry_type = entry_types.by_name(type_name)
    return (
        entry_type.history.filter(id=pk)
        .order_by("history_date", "history_id")
        .values_list(*SKELETON, entry_type.label_field)
    )


def _relation_skeletons(type_name, number, pk):
    # Rows that moved to another entry are followed there, so the move shows as a removal.
    relation = entry_types.by_name(type_name).relations[number]
    return (
        relation.history.filter(id__in=_ever_on(relation, pk).values("id"))
        .order_by("history_date", "history_id")
        .values_list(*SKELETON, "id", relation.fk_attname)
    )


# What EntryHistory reads of an entry's revisions and of each relation's, compiled
# once per entry type and relation (compiled.py): on the fixtures an agreement's
# history page went from 4.4 to 2.9 ms in process, its compare page from 6.5 to 5.1.
ENTRY_RECORDS = Compiled(_entry_skeletons, pk=int)
RELATION_RECORDS = Compiled(_relation_skeletons, pk=int)


def _record(relation, revision_type, row, row_id, here, label=""):
    history_id, date, action, reason, change_id, user_id, username, first, last = row
    return Record(
        relation=relation,
        revision_type=revision_type,
        history_id=history_id,
        history_date=date,
        action=action,
        history_change_reason=reason or "",
        change_id=change_id,
        history_user_id=user_id,
        editor=display_name(first, last, username),
        row_id=row_id,
        here=here,
        label=label or "",
    )


def join_and(words):
    """ "title, kind and summary", in the page's language."""
    if len(words) < 2:
        return "".join(words)
    return _("%(items)s and %(last)s") % {
        "items": pgettext("between items of a list", ", ").join(words[:-1]),
        "last": words[-1],
    }


def _lower_first(label):
    """A field's label inside a sentence: "Title" → "title", "Name (French)" → "name
    (French)"; an acronym ("URL") is left as it is."""
    if label[1:2].isupper():
        return label
    return label[:1].lower() + label[1:]


# -- a relation's rows over time, for edit conflicts and reverts --------------------------


def relation_records(relation, pk):
    """Every full revision of every row that ever pointed at entry `pk`, oldest first.

    One query. Rows that moved to another entry are followed there, so that
    their move shows as a removal.
    """
    return list(
        relation.history.filter(id__in=_ever_on(relation, pk).values("id"))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def rows_after(relation, records, pk, include=None):
    """{row id: revision} of the rows pointing at `pk` once the `include`d records are applied."""
    state = {}
    for record in records:
        if include is None or include(record):
            state[record.id] = record
    return {
        key: record
        for key, record in state.items()
        if record.history_type != "-" and getattr(record, relation.fk_attname) == pk
    }


def upto(history_id):
    """Include the records written up to `history_id`."""
    return lambda record: record.history_id <= history_id


@dataclass(frozen=True)
class Edit:
    """One save, as a reader names it: who, when, with which summary."""

    user: object
    date: object
    reason: str

    def __str__(self):
        words = {"editor": editor_name(self.user, UNKNOWN_USER), "date": moment(self.date)}
        if self.reason:
            return _("%(editor)s on %(date)s (“%(summary)s”)") % {**words, "summary": self.reason}
        return _("%(editor)s on %(date)s (no edit summary)") % words


def edits(records):
    """The saves that wrote `records` (full revisions of any models), oldest first."""
    latest = {}
    for record in sorted(records, key=lambda r: r.history_date):
        latest[record.history_change_id] = record
    return [
        Edit(record.history_user, record.history_date, record.history_change_reason or "")
        for record in sorted(latest.values(), key=lambda r: r.history_date)
    ]


# -- an entry as it stood -------------------------------------------------------------


@dataclass(frozen=True)
class FieldValue:
    label: str
    text: str
    long: bool  # a text field, shown in paragraphs


@dataclass(frozen=True)
class CitationView:
    quote: str
    note: str
    disputes: bool
    source: str
    facts: str = ""  # the facts it states or disputes, as readers see them named


@dataclass
class Standing:
    """An entry as one save left it: its fields, its relations by name, its citations."""

    save: object
    fields: list
    relations: list  # [(RelationType, [name])], citations apart
    citations: list  # [CitationView] when the entry has citations, else None


def long_field(item):
    return len(item.fields) == 1 and isinstance(item.fields[0], TextField)


def standing(history, save):
    """The entry as `save` left it: a query for its revision and one per relation (plus names)."""
    names = Names()
    fields = []
    if save.entry_state is not None:  # None only if the entry's own history is missing
        state = save.entry_state.history_id
        record = history.load_entries({state})[state]
        shown = shown_fields(history.entry_type.model)
        load_names(names, shown, [record])
        fields = [
            FieldValue(item.label, item.display(record, names), long_field(item)) for item in shown
        ]
    relations, citations = [], None
    for relation in history.entry_type.relations:
        rows = list(history.full_rows_at(save, relation).values())
        if relation.is_citations:  # shown with their quotes
            citations = _citations(rows, names)
        else:
            relations.append((relation, sorted(relation.describe(rows, names).values())))
    return Standing(save, fields, relations, citations)


def _citations(records, names):
    names.load(Source, {record.source_id for record in records})
    linked = fact_link_names(records, names)
    return [
        CitationView(
            record.quote,
            record.note,
            record.stance == "disputes",
            names.get(Source, record.source_id),
            fact_labels(record, linked),
        )
        for record in sorted(records, key=lambda r: r.id)
    ]


# -- two saves compared ---------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    label: str
    before: str  # HTML: escaped, changes marked with <del>
    after: str  # HTML: escaped, changes marked with <ins>
    changed: bool
    long: bool


@dataclass(frozen=True)
class RowPair:
    """One relation row at both revisions, by name."""

    before: str
    after: str
    status: str  # "added", "removed", "changed" or "same"
    changes: list  # [FieldRow] when changed


@dataclass(frozen=True)
class RelationShown:
    """A relation's rows as the compare page shows them, and how many it leaves out."""

    relation: object  # RelationType
    pairs: list  # [RowPair] shown
    hidden: int  # unchanged rows left out
    total: int  # rows in either revision


@dataclass
class Comparison:
    older: object  # Save, or None: before the entry existed
    newer: object
    fields: list
    relations: list  # [(RelationType, [RowPair])]
    everything: bool = True  # False: only what changed is shown

    @property
    def changed(self):
        return any(row.changed for row in self.fields) or any(
            pair.status != "same" for _, pairs in self.relations for pair in pairs
        )

    @property
    def shown_fields(self):
        return [row for row in self.fields if self.everything or row.changed]

    @property
    def shown_relations(self):
        """[RelationShown], one per relation, in the registry's order."""
        shown = []
        for relation, pairs in self.relations:
            kept = [pair for pair in pairs if self.everything or pair.status != "same"]
            shown.append(RelationShown(relation, kept, len(pairs) - len(kept), len(pairs)))
        return shown

    @property
    def unchanged_fields(self):
        return sum(1 for row in self.fields if not row.changed)

    @property
    def unchanged_rows(self):
        return sum(1 for _, pairs in self.relations for pair in pairs if pair.status == "same")

    @property
    def hidden(self):
        """How many unchanged fields and rows are left out: none when showing everything."""
        return 0 if self.everything else self.unchanged_fields + self.unchanged_rows


UNCHANGED_LONGEST = 300


def compare(history, older, newer, everything=True):
    """The entry at save `older` (None: before it existed) beside it at save `newer`;
    with `everything` off, the page shows only the fields and rows that changed.

    One query for both revisions of the entry, one per relation for the rows of
    both, and one per model named (partners, sources).
    """
    names = Names()
    states = [save.entry_state for save in (older, newer) if save and save.entry_state]
    full = history.load_entries({state.history_id for state in states})
    after = full[newer.entry_state.history_id] if newer.entry_state else None
    before = full[older.entry_state.history_id] if older and older.entry_state else None
    # No fields only if the entry's own history is missing.
    fields = _field_rows(history.entry_type.model, before, after, names) if after else []
    relations = []
    for relation in history.entry_type.relations:
        old_rows = history.rows_at(older, relation) if older else {}
        new_rows = history.rows_at(newer, relation)
        loaded = history.load_rows(relation, [*old_rows.values(), *new_rows.values()])
        old_full = {key: loaded[r.history_id] for key, r in old_rows.items()}
        new_full = {key: loaded[r.history_id] for key, r in new_rows.items()}
        relations.append((relation, _row_pairs(relation, old_full, new_full, names)))
    return Comparison(older, newer, fields, relations, everything)


def _field_rows(model, before, after, names):
    shown = shown_fields(model)
    load_names(names, shown, [r for r in (before, after) if r is not None])
    rows = []
    for item in shown:
        new = item.display(after, names)
        old = item.display(before, names) if before is not None else ""
        changed = before is None or item.raw(before) != item.raw(after)
        rows.append(_field_row(item.label, old, new, changed, long_field(item)))
    return rows


def _field_row(label, old, new, changed, long):
    if changed:
        diff = word_diff("" if old == EMPTY else old, "" if new == EMPTY else new)
        return FieldRow(label, diff.before or EMPTY, diff.after or EMPTY, True, long)
    shown = old if len(old) <= UNCHANGED_LONGEST else old[: UNCHANGED_LONGEST - 1] + "…"
    return FieldRow(label, escape(shown), escape(shown), False, long)


def _row_pairs(relation, before, after, names):
    described = relation.describe([*before.values(), *after.values()], names)

    def name(key):
        return described[(after.get(key) or before[key]).history_id]

    pairs = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: name(k).lower()):
        if key not in before:
            pairs.append(RowPair("", format_html("<ins>{}</ins>", name(key)), "added", []))
            continue
        old = described[before[key].history_id]
        if key not in after:
            pairs.append(RowPair(format_html("<del>{}</del>", old), "", "removed", []))
            continue
        new = described[after[key].history_id]
        changes = field_changes(before[key], after[key], names=names, exclude=[relation.fk])
        if changes:
            rows = [_field_row(c.label, c.before, c.after, True, False) for c in changes]
            diff = word_diff(old, new)
            pairs.append(RowPair(diff.before, diff.after, "changed", rows))
        else:
            pairs.append(RowPair(escape(old), escape(new), "same", []))
    return pairs
