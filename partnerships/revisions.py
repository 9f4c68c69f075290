"""Revisions compared and put back.

Works on any model tracked by django-simple-history. The admin uses it to
explain an edit conflict, to revert an entry and to restore a deleted one; the
public history and compare pages reuse it. Values are shown as readers see
them: choice labels, related objects by name (deleted ones from their
history), dates at their precision, never raw ids.

An entry's *relations* are the revisioned rows that point at it by a foreign
key (an agreement's parties, an entry's citations). A row's state at a moment
is its latest revision up to that moment; it is there if that revision is not
a deletion and still points at the entry.
"""

import datetime
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from .dates import PreciseDate

EMPTY = "(empty)"

# The rows one admin request writes land within moments of its entry's
# revision, with the same user and summary: cascaded deletions just before it,
# inline rows just after. Revisions carry no request id, so this is how a
# revision's relations are told apart from the next save's.
SAME_SAVE = datetime.timedelta(seconds=5)

# Texts longer than this are shown cut to the passage that changed.
EXCERPT_OVER = 200
EXCERPT_CONTEXT = 60
EXCERPT_LONGEST = 400


def history_of(model):
    """The model's simple-history manager (`Model.history`)."""
    return getattr(model, model._meta.simple_history_manager_attribute)


def model_of(obj):
    """The tracked model of a historical record, or the model of an instance."""
    return getattr(obj, "instance_type", type(obj))


def row_id(obj):
    return getattr(obj, model_of(obj)._meta.pk.attname)


def user_name(user):
    if user is None:
        return "an unknown user"
    return user.get_full_name() or user.get_username()


def moment(value):
    """'12 March 2026, 14:05' in the site's time zone."""
    return date_format(timezone.localtime(value), "j F Y, H:i")


def day(value):
    return date_format(timezone.localtime(value), "j F Y")


# -- names of related objects -----------------------------------------------------


class Names:
    """Display names of related objects, batched and cached.

    `load()` costs one query per model for the objects that exist and one more
    for those that do not, named from their history as "… (deleted)".
    """

    def __init__(self):
        self._names = {}

    def load(self, model, ids):
        wanted = {pk for pk in ids if pk is not None and (model, pk) not in self._names}
        if not wanted:
            return
        for pk, obj in model._default_manager.in_bulk(wanted).items():
            self._names[(model, pk)] = str(obj)
        missing = {pk for pk in wanted if (model, pk) not in self._names}
        if missing and hasattr(model._meta, "simple_history_manager_attribute"):
            id_name = model._meta.pk.attname
            records = history_of(model).filter(**{f"{id_name}__in": missing})
            for record in records.order_by("history_date", "history_id"):
                self._names[(model, row_id(record))] = f"{record.instance} (deleted)"
        for pk in missing:
            self._names.setdefault((model, pk), f"(unknown {model._meta.verbose_name})")

    def get(self, model, pk):
        self.load(model, [pk])
        return self._names[(model, pk)]


# -- one revision's values ----------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """What a reader sees as one value: a field, or a precise date's three columns."""

    name: str
    label: str
    fields: tuple

    def raw(self, obj):
        return tuple(getattr(obj, f.attname) for f in self.fields)

    def display(self, obj, names):
        if len(self.fields) == 3:
            return str(PreciseDate(*self.raw(obj)))
        (f,) = self.fields
        return display_value(f, getattr(obj, f.attname), names)


def shown_fields(model, exclude=()):
    """The editable fields of `model` as readers see them, in the model's order."""
    fields = [
        f for f in model._meta.fields if f.editable and not f.primary_key and f.name not in exclude
    ]
    by_name = {f.name: f for f in fields}
    groups = {}
    for f in fields:
        parts = (by_name.get(f"{f.name}_precision"), by_name.get(f"{f.name}_approximate"))
        if type(f) is models.DateField and all(parts):
            groups[f.name] = (f, *parts)
    grouped = {part.name for group in groups.values() for part in group[1:]}
    return [
        Shown(f.name, capfirst(f.verbose_name), groups.get(f.name, (f,)))
        for f in fields
        if f.name not in grouped
    ]


def display_value(f, value, names):
    if value is None or value == "" or value == []:
        return EMPTY
    if f.is_relation:
        return names.get(f.related_model, value)
    if f.choices:
        labels = dict(f.flatchoices)
        if isinstance(value, (list, tuple, set)):
            return ", ".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return moment(value)
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        text = f"{value:,}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def _load_names(names, shown, objects):
    for item in shown:
        for f in item.fields:
            if f.is_relation:
                names.load(f.related_model, {getattr(obj, f.attname) for obj in objects})


def values(obj, *, names=None, exclude=()):
    """[(label, display value)] of one revision (or instance), field by field."""
    names = names or Names()
    shown = shown_fields(model_of(obj), exclude)
    _load_names(names, shown, [obj])
    return [(item.label, item.display(obj, names)) for item in shown]


# -- what changed between two revisions ---------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def excerpts(self):
        """`before` and `after`, long texts cut to the passage that differs."""
        return excerpts(self.before, self.after)


def excerpts(before, after):
    if len(before) <= EXCERPT_OVER and len(after) <= EXCERPT_OVER:
        return before, after
    start = _common_length(before, after)
    end = _common_length(before[start:][::-1], after[start:][::-1])

    def cut(text):
        low = max(0, start - EXCERPT_CONTEXT)
        high = min(len(text), len(text) - end + EXCERPT_CONTEXT, low + EXCERPT_LONGEST)
        return ("…" if low else "") + text[low:high] + ("…" if high < len(text) else "")

    return cut(before), cut(after)


def _common_length(first, second):
    """How many leading characters two texts share."""
    for index, (a, b) in enumerate(zip(first, second, strict=False)):
        if a != b:
            return index
    return min(len(first), len(second))


def differs(old, new, exclude=()):
    """Whether two revisions of one object differ in any field (no query)."""
    return any(item.raw(old) != item.raw(new) for item in shown_fields(model_of(new), exclude))


def changed_labels(old, new, exclude=()):
    """The labels of the fields that differ between two revisions of one object (no query)."""
    return [
        item.label
        for item in shown_fields(model_of(new), exclude)
        if item.raw(old) != item.raw(new)
    ]


def field_changes(old, new, *, names=None, exclude=()):
    """What differs between two revisions of one object, field by field.

    `old` and `new` are historical records or instances of the same model.
    Related objects are named in one query per model (see `Names`).
    """
    names = names or Names()
    changed = [
        item for item in shown_fields(model_of(new), exclude) if item.raw(old) != item.raw(new)
    ]
    _load_names(names, changed, [old, new])
    return [
        FieldChange(item.label, item.display(old, names), item.display(new, names))
        for item in changed
    ]


# -- relations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """Revisioned rows of `model` pointing at an entry by the foreign key `fk`.

    `describe(records)` names the rows' revisions: {history_id: text}; by
    default each row's own `str()`.
    """

    title: str
    model: type
    fk: str
    describe: Callable | None = None

    @property
    def fk_attname(self):
        return self.model._meta.get_field(self.fk).attname

    def records(self, pk):
        """Every revision of every row that ever pointed at entry `pk`, oldest first.

        One query. Rows that moved to another entry are followed there, so
        that their move shows as a removal.
        """
        history = history_of(self.model)
        id_name = self.model._meta.pk.attname
        ever = history.filter(**{self.fk_attname: pk}).values(id_name)
        return list(
            history.filter(**{f"{id_name}__in": ever})
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )

    def rows(self, records, pk, include=None):
        """{row id: revision} of the rows pointing at `pk` once `include`d records are applied."""
        state = {}
        for record in records:
            if include is None or include(record):
                state[row_id(record)] = record
        return {
            key: record
            for key, record in state.items()
            if record.history_type != "-" and getattr(record, self.fk_attname) == pk
        }

    def names(self, records):
        if self.describe is not None:
            return self.describe(records)
        return {record.history_id: str(record.instance) for record in records}


def upto(history_id):
    """Include the records written up to `history_id`."""
    return lambda record: record.history_id <= history_id


def same_save(record, revision):
    return (
        record.history_user_id == revision.history_user_id
        and record.history_change_reason == revision.history_change_reason
        and abs(record.history_date - revision.history_date) <= SAME_SAVE
    )


def at(revision):
    """Include the relation records that make up an entry's `revision`.

    After the save that wrote it: its inline rows come moments later. For a
    deletion, the rows just before it: its cascade comes moments earlier.
    """
    if revision.history_type == "-":
        return lambda record: (
            record.history_date <= revision.history_date and not same_save(record, revision)
        )
    return lambda record: (
        record.history_date <= revision.history_date or same_save(record, revision)
    )


@dataclass
class RowChanges:
    """How a relation's rows differ between two states, rows named, never numbered."""

    title: str
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # [(name, [FieldChange])]

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


def row_changes(relation, before, after, *, names=None):
    """RowChanges from `before` to `after`, two {row id: revision} states of `relation`."""
    names = names or Names()
    added = [after[key] for key in after.keys() - before.keys()]
    removed = [before[key] for key in before.keys() - after.keys()]
    pairs = [
        (before[key], after[key], changes)
        for key in before.keys() & after.keys()
        if (changes := field_changes(before[key], after[key], names=names, exclude=[relation.fk]))
    ]
    described = relation.names([*added, *removed, *(new for _, new, _ in pairs)])
    return RowChanges(
        relation.title,
        sorted(described[r.history_id] for r in added),
        sorted(described[r.history_id] for r in removed),
        sorted((described[new.history_id], changes) for _, new, changes in pairs),
    )


@dataclass(frozen=True)
class Edit:
    """One save, as a reader names it: who, when, with which summary."""

    user: object
    date: datetime.datetime
    reason: str

    def __str__(self):
        summary = f" (“{self.reason}”)" if self.reason else " (no edit summary)"
        return f"{user_name(self.user)} on {moment(self.date)}{summary}"


def edits(records):
    """The saves that wrote `records` (any models), oldest first: one per user and summary."""
    latest = {}
    for record in sorted(records, key=lambda r: r.history_date):
        latest[(record.history_user_id, record.history_change_reason)] = record
    return [
        Edit(record.history_user, record.history_date, record.history_change_reason or "")
        for record in sorted(latest.values(), key=lambda r: r.history_date)
    ]


# -- putting rows back ----------------------------------------------------------------


def missing_targets(records, *, names, skip=()):
    """Messages for the objects `records` refer to that no longer exist.

    One query per related model; `skip` names foreign keys not to check.
    """
    if not records:
        return []
    model = model_of(records[0])
    keys = [
        f for f in model._meta.fields if f.is_relation and f.many_to_one and f.name not in skip
    ]
    problems = []
    for key in keys:
        ids = {getattr(r, key.attname) for r in records} - {None}
        existing = set(
            key.related_model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
        )
        gone = ids - existing
        names.load(key.related_model, gone)
        problems += [
            f"The {key.related_model._meta.verbose_name} “{names.get(key.related_model, pk)}” "
            "no longer exists; restore it first."
            for pk in sorted(gone)
        ]
    return problems


def validation_messages(error, model):
    """A ValidationError as sentences, each field error prefixed by the field's label."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for name, errors in error.message_dict.items():
        prefix = "" if name == NON_FIELD_ERRORS else f"{capfirst(_label(model, name))}: "
        messages += [f"{prefix}{message}" for message in errors]
    return messages


def _label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name.replace("_", " ")


@dataclass
class RowPlan:
    """What putting one relation back to a former state takes.

    `restore` holds the revisions to write back (rows added or changed since),
    `remove` the revisions of rows to delete (rows that were not there).
    """

    relation: Relation
    restore: list
    remove: list

    @classmethod
    def between(cls, relation, current, target):
        restore = [
            record
            for key, record in target.items()
            if key not in current or differs(current[key], record)
        ]
        remove = [record for key, record in current.items() if key not in target]
        return cls(relation, restore, remove)

    def problems(self, names):
        """Messages for rows that refer to what no longer exists: one query per foreign key."""
        missing = missing_targets(self.restore, names=names, skip=[self.relation.fk])
        return [f"{self.relation.title}: {message}" for message in missing]

    def check(self):
        """Messages for rows that would break a rule. A query or more per row: for POSTs only."""
        messages = []
        described = self.relation.names(self.restore)
        for record in self.restore:
            instance = record.instance
            try:
                instance.full_clean(exclude=_relation_fields(instance), validate_unique=False)
            except ValidationError as error:
                name = described[record.history_id]
                messages += [
                    f"{self.relation.title}: {name}: {text}"
                    for text in validation_messages(error, type(instance))
                ]
        return messages

    def apply(self):
        """Deletes, then writes back, row by row, so each is a revision of its own."""
        model = self.relation.model
        doomed = model._default_manager.filter(pk__in=[row_id(r) for r in self.remove])
        for row in doomed:
            row.delete()
        for record in self.restore:
            # With its pk set, save() updates the row if it exists, else inserts it.
            record.instance.save()


def _relation_fields(instance):
    """Foreign keys, checked by missing_targets() with names rather than by full_clean() with ids."""
    return [f.name for f in instance._meta.fields if f.is_relation]


# -- word by word ---------------------------------------------------------------------

# A word with the spaces after it, or leading spaces: joined, the tokens give the text back.
WORD = re.compile(r"\S+\s*|\s+")
# Longer texts show only the passages around their changes, with this many words either side.
DIFF_LONG = 120
DIFF_CONTEXT = 12
# difflib compares word lists in quadratic time at worst; past this many words a
# side, the diff marks the span between the common beginning and end instead.
DIFF_MOST_WORDS = 5000


@dataclass(frozen=True)
class WordDiff:
    """Two versions of a text as HTML: removed words in <del>, added ones in <ins>."""

    before: str
    after: str


def word_diff(before, after):
    """A WordDiff of two texts, word by word (difflib), every word escaped."""
    old, new = WORD.findall(before), WORD.findall(after)
    if max(len(old), len(new)) > DIFF_MOST_WORDS:
        opcodes = _ends_opcodes(old, new)
    else:
        opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    long = max(len(old), len(new)) > DIFF_LONG
    left, right = [], []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            first, last = index == 0, index == len(opcodes) - 1
            same = _context(old[i1:i2], first, last) if long else "".join(old[i1:i2])
            left.append(escape(same))
            right.append(escape(same))
            continue
        if i2 > i1:
            left.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            right.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return WordDiff(mark_safe("".join(left)), mark_safe("".join(right)))


def _context(words, first, last):
    """An unchanged run of a long text, cut to the words next to the changes."""
    keep_start = 0 if first else DIFF_CONTEXT
    keep_end = 0 if last else DIFF_CONTEXT
    if len(words) <= keep_start + keep_end + DIFF_CONTEXT:
        return "".join(words)
    head = "".join(words[:keep_start])
    tail = "".join(words[len(words) - keep_end :]) if keep_end else ""
    return f"{head}… {tail}"


def _ends_opcodes(old, new):
    """Opcodes marking everything between the common first and last words as replaced."""
    start = _common_length(old, new)
    end = _common_length(old[start:][::-1], new[start:][::-1])
    opcodes = []
    if start:
        opcodes.append(("equal", 0, start, 0, start))
    opcodes.append(("replace", start, len(old) - end, start, len(new) - end))
    if end:
        opcodes.append(("equal", len(old) - end, len(old), len(new) - end, len(new)))
    return opcodes
