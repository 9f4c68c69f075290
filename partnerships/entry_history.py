"""One entry's history as readers see it: its saves, each as it stood, any two compared.

An entry's history is its own revisions and those of the rows edited on its
form (parties, participants, citations). One save in the admin writes several
of them; they are grouped back into that save with revisions.same_save() (the
same editor and summary, within moments of the entry's revision). A relation
row saved on its own (a citation added without touching the entry's fields)
is a save of its own.

Reading the history costs one query for the entry's revisions and one per
relation, whatever their number: only the columns that say who saved what,
when. Showing saves costs one query more per history table for the full
revisions the page shows (`load_entries()`, `load_rows()`).
"""

import bisect
from dataclasses import dataclass, field

from django.db.models import Q, TextField
from django.utils.functional import cached_property
from django.utils.html import escape, format_html

from sources.models import Source

from .changes import editor_name, token_of
from .models import ReviewMark
from .revisions import (
    EMPTY,
    SAME_SAVE,
    Names,
    changed_labels,
    field_changes,
    history_of,
    same_save,
    shown_fields,
    word_diff,
)

SKELETON = (
    "history_id",
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user_id",
    "history_user__username",
    "history_user__first_name",
    "history_user__last_name",
)


@dataclass(eq=False)
class Record:
    """One revision's who and when, without its values (see EntryHistory)."""

    relation: object  # changes.RelationType, or None for the entry's own revision
    revision_type: str  # ReviewMark.RevisionType: the tracked model's name
    history_id: int
    history_date: object
    action: str  # "+", "~" or "-", as simple-history's history_type
    history_change_reason: str
    history_user_id: int | None
    editor: str
    row_id: int
    here: bool  # a relation row's revision that points at this entry
    label: str = ""  # the entry's name at its own revision

    @property
    def history_type(self):  # for revisions.same_save()
        return self.action

    @property
    def token(self):
        return token_of(self.relation, self.history_id)

    @property
    def present(self):
        """Whether the row is on the entry after this revision."""
        return self.action != "-" and self.here


@dataclass(eq=False)
class Save:
    """The revisions one save wrote: the entry's own (if it changed) and its rows'."""

    entry: Record | None
    records: list
    number: int = 0  # 1 for the oldest
    # Filled in by EntryHistory: the entry's latest own revision up to this save, ...
    entry_state: Record | None = None
    # ... and per relation, {row id: (revision before the save, revision after it)}.
    rows: dict = field(default_factory=dict)

    @property
    def lead(self):
        return self.entry or self.records[0]

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
        return self.entry is not None and self.entry.action == "-"

    @property
    def creation(self):
        return self.entry is not None and self.entry.action == "+"

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
        rows = (
            self.entry_type.history.filter(id=self.pk)
            .order_by("history_date", "history_id")
            .values_list(*SKELETON, self.entry_type.label_field)
        )
        revision_type = self.entry_type.revision_type
        return [_record(None, revision_type, row[:8], self.pk, True, label=row[8]) for row in rows]

    def _relation_records(self, relation):
        # Rows that moved to another entry are followed there, so the move shows as a removal.
        history = history_of(relation.model)
        ever = history.filter(**{relation.fk_attname: self.pk}).values("id")
        rows = (
            history.filter(id__in=ever)
            .order_by("history_date", "history_id")
            .values_list(*SKELETON, "id", relation.fk_attname)
        )
        return [
            _record(relation, relation.revision_type, row[:8], row[8], row[9] == self.pk)
            for row in rows
        ]

    # -- grouping into saves ------------------------------------------------------

    def _saves(self):
        saves = [Save(record, [record]) for record in self.records]
        dates = [record.history_date for record in self.records]
        loose = []
        row_records = sorted(
            (r for records in self.row_records.values() for r in records),
            key=lambda r: (r.history_date, r.history_id),
        )
        for record in row_records:
            owner = self._owner(record, saves, dates)
            if owner is not None:
                owner.records.append(record)
            elif loose and _same_loose_save(loose[-1].records[-1], record):
                loose[-1].records.append(record)
            else:
                loose.append(Save(None, [record]))
        ordered = sorted(
            saves + loose,
            key=lambda s: (s.lead.history_date, s.entry is None, s.lead.history_id),
        )
        self._walk(ordered)
        # A row that only passed by (made for another entry, moved elsewhere) left
        # this entry as it was: its saves are not this entry's.
        kept = [save for save in ordered if save.entry is not None or save.row_counts()]
        for number, save in enumerate(kept, start=1):
            save.number = number
        return kept

    def _owner(self, record, saves, dates):
        """The entry's save that wrote a relation row's `record`, if one did.

        The nearest of the entry's revisions by the same save, the one before
        it preferred; a cascaded removal belongs to the deletion that follows it.
        """
        low = bisect.bisect_left(dates, record.history_date - SAME_SAVE)
        high = bisect.bisect_right(dates, record.history_date + SAME_SAVE)
        candidates = [s for s in saves[low:high] if same_save(record, s.entry)]
        if not candidates:
            return None
        if record.action == "-":
            for save in candidates:
                if save.deletion and save.entry.history_date >= record.history_date:
                    return save
        before = [s for s in candidates if s.entry.history_date <= record.history_date]
        return before[-1] if before else candidates[0]

    def _walk(self, saves):
        """Note what each save found and left: the entry's state, its rows before and after."""
        entry_state = None
        latest = {}  # (relation, row id) -> its latest revision so far
        for save in saves:
            save.records.sort(key=lambda r: (r.history_date, r.history_id))
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
            for row_id, (_, record) in earlier.rows.get(relation, {}).items():
                state[row_id] = record
        return {row_id: record for row_id, record in state.items() if record.present}

    # -- summaries ------------------------------------------------------------------

    def what_changed(self, save, full):
        """One line on what `save` changed; `full`: the revisions of entry_ids_for(), loaded."""
        phrases = []
        if save.entry is not None:
            previous = self.previous_entry(save)
            if save.creation:
                phrases.append("restored" if previous is not None else "created")
            elif save.deletion:
                phrases.append("deleted")
            elif previous is not None:
                labels = changed_labels(full[previous.history_id], full[save.entry.history_id])
                if labels:
                    phrases.append(f"changed {_join([label.lower() for label in labels])}")
        if not save.deletion:
            for relation, added, removed, changed in save.row_counts():
                for count, verb in ((added, "added"), (removed, "removed"), (changed, "changed")):
                    if count:
                        phrases.append(f"{verb} {count} {relation.noun(count)}")
        text = "; ".join(phrases) or "no visible change"
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

    def load_rows(self, relation, records):
        """{history_id: full revision} of relation rows' `records`; one query."""
        ids = {record.history_id for record in records}
        if not ids:
            return {}
        return history_of(relation.model).in_bulk(ids, field_name="history_id")


def _record(relation, revision_type, row, row_id, here, label=""):
    history_id, date, action, reason, user_id, username, first, last = row
    return Record(
        relation=relation,
        revision_type=revision_type,
        history_id=history_id,
        history_date=date,
        action=action,
        history_change_reason=reason or "",
        history_user_id=user_id,
        editor=editor_name(first, last, username),
        row_id=row_id,
        here=here,
        label=label or "",
    )


def _same_loose_save(previous, record):
    """Whether a relation row's revision belongs to the same lone save as the one before it."""
    return (
        previous.history_user_id == record.history_user_id
        and previous.history_change_reason == record.history_change_reason
        and record.history_date - previous.history_date <= SAME_SAVE
    )


def _join(words):
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


# -- an entry as it stood -------------------------------------------------------------


@dataclass(frozen=True)
class FieldValue:
    label: str
    text: str
    long: bool  # a text field, shown in paragraphs


@dataclass(frozen=True)
class CitationView:
    quote: str
    supports: str
    disputes: bool
    source: str


@dataclass
class Standing:
    """An entry as one save left it: its fields, its relations by name, its citations."""

    save: object
    fields: list
    relations: list  # [(RelationType, [name])], citations apart
    citations: list  # [CitationView] when the entry has citations, else None


def load_related(names, shown, records):
    """Names of the objects `records` refer to: one query per related model, not per field."""
    wanted = {}
    for item in shown:
        for f in item.fields:
            if f.is_relation:
                ids = wanted.setdefault(f.related_model, set())
                ids.update(getattr(record, f.attname) for record in records)
    for model, ids in wanted.items():
        names.load(model, ids)


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
        load_related(names, shown, [record])
        fields = [
            FieldValue(item.label, item.display(record, names), long_field(item)) for item in shown
        ]
    relations, citations = [], None
    for relation in history.entry_type.relations:
        rows = history.rows_at(save, relation)
        full = history.load_rows(relation, rows.values())
        if relation.token == "citation":
            citations = _citations([full[r.history_id] for r in rows.values()], names)
        else:
            described = relation.describe(list(full.values()))
            relations.append((relation, sorted(described.values())))
    return Standing(save, fields, relations, citations)


def _citations(records, names):
    names.load(Source, {record.source_id for record in records})
    return [
        CitationView(
            record.quote,
            record.supports,
            record.stance == "disputes",
            names.get(Source, record.source_id),
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


@dataclass
class Comparison:
    older: object  # Save, or None: before the entry existed
    newer: object
    fields: list
    relations: list  # [(RelationType, [RowPair])]

    @property
    def changed(self):
        return any(row.changed for row in self.fields) or any(
            pair.status != "same" for _, pairs in self.relations for pair in pairs
        )


UNCHANGED_LONGEST = 300


def compare(history, older, newer):
    """The entry at save `older` (None: before it existed) beside it at save `newer`.

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
    return Comparison(older, newer, fields, relations)


def _field_rows(model, before, after, names):
    shown = shown_fields(model)
    load_related(names, shown, [r for r in (before, after) if r is not None])
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
    described = relation.describe([*before.values(), *after.values()])

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


# -- review marks of saves ------------------------------------------------------------


def marks_of(saves):
    """{save token: ReviewMark} of the saves whose leading revision is marked; one query.

    A save is marked whole (history_views.review), so its leading revision speaks for it.
    """
    wanted = Q()
    leads = {}
    for save in saves:
        lead = save.lead
        leads[(lead.revision_type, lead.history_id)] = save.token
        wanted |= Q(revision_type=lead.revision_type, history_id=lead.history_id)
    if not leads:
        return {}
    marks = ReviewMark.objects.filter(wanted).select_related("reviewer")
    return {leads[(m.revision_type, m.history_id)]: m for m in marks}
