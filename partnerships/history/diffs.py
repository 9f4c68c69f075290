"""Values as readers see them, and what changed between two revisions.

Works on any model tracked by django-simple-history: values are shown as
readers see them (choice labels, related objects by name, deleted ones from
their history, dates at their precision), never raw ids. The admin uses it to
explain an edit conflict and preview a revert; the public history and compare
pages to show revisions and their differences, word by word.
"""

import datetime
import difflib
import functools
import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..dates import PreciseDate
from ..numbers import format_number
from .names import Names, moment
from .registry import fact_labels, fact_link_names

# An empty value, as readers see it (compared with display() texts: str(EMPTY)).
EMPTY = gettext_lazy("(empty)")

# Texts longer than this are shown cut to the passage that changed.
EXCERPT_OVER = 200
EXCERPT_CONTEXT = 60
EXCERPT_LONGEST = 400


def model_of(obj):
    """The tracked model of a historical record, or the model of an instance."""
    return getattr(obj, "instance_type", type(obj))


# -- one revision's values ----------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """What a reader sees as one value: a field, or a precise date's four columns."""

    name: str
    label: str
    fields: tuple
    # Reads the stored values in C (operator.attrgetter): an entry's history page
    # compares some twenty of these for each of its fifty saves.
    _getter: object = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        getter = operator.attrgetter(*(f.attname for f in self.fields))
        object.__setattr__(self, "_getter", getter)

    def raw(self, obj):
        """The stored value, or a precise date's four as a tuple: for comparing."""
        return self._getter(obj)

    def display(self, obj, names):
        if len(self.fields) == 4:
            return str(PreciseDate(*self.raw(obj)))
        (f,) = self.fields
        if is_fact_line(f):
            return fact_line(obj, names)
        return display_value(f, getattr(obj, f.attname), names)


def is_fact_line(f):
    """Whether `f` is a citation's line of fact keys ("existence date party:12"), shown
    by the facts' names."""
    return f.name == "facts" and f.model._meta.label_lower == "sources.citation"


def fact_line(obj, names):
    """A citation's facts by name: "date concluded, party: Israel". The partners its link
    facts name are read from `names`, loaded beforehand (load_names) or else here."""
    if not obj.facts:
        return str(EMPTY)
    return fact_labels(obj, fact_link_names([obj], names))


def shown_fields(model, exclude=()):
    """The editable fields of `model` as readers see them, in the model's order.

    Worked out once per model and exclusion: an entry's history page asks for
    them for each of its fifty saves (1.3 ms a page on generated data)."""
    return _shown_fields(model, tuple(exclude))


@functools.cache
def _shown_fields(model, exclude):
    fields = [
        f for f in model._meta.fields if f.editable and not f.primary_key and f.name not in exclude
    ]
    by_name = {f.name: f for f in fields}
    groups = {}
    for f in fields:
        parts = (
            by_name.get(f"{f.name}_precision"),
            by_name.get(f"{f.name}_approximate"),
            by_name.get(f"{f.name}_month"),
        )
        if type(f) is models.DateField and all(parts):
            groups[f.name] = (f, *parts)
    grouped = {part.name for group in groups.values() for part in group[1:]}
    return tuple(
        Shown(f.name, field_label(f, by_name), groups.get(f.name, (f,)))
        for f in fields
        if f.name not in grouped
    )


# The languages of an entry's translated fields (partnerships/translations.py):
# "name_fr" is the name in French.
LANGUAGE_NAMES = {"fr": gettext_lazy("French"), "ar": gettext_lazy("Arabic")}


def field_label(f, by_name):
    """A field's label, in the page's language when drawn (a lazy text): its verbose
    name; a translation of an entry's field, "Name (French)", from the field's own."""
    base, _sep, code = f.name.rpartition("_")
    translated = by_name.get(base)
    if code in LANGUAGE_NAMES and base in getattr(f.model, "TRANSLATED_FIELDS", ()) and translated:
        return format_lazy(
            gettext_lazy("{field} ({language})"),
            field=capfirst(translated.verbose_name),
            language=LANGUAGE_NAMES[code],
        )
    return capfirst(f.verbose_name)


def display_value(f, value, names):
    if value is None or value == "" or value == []:
        return str(EMPTY)
    if f.is_relation:
        return names.get(f.related_model, value)
    if f.choices:
        labels = dict(f.flatchoices)
        if isinstance(value, (list, tuple, set)):
            return ", ".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return moment(value)
    if isinstance(value, datetime.date):
        return str(PreciseDate(value, "day"))
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def load_names(names, shown, objects):
    """Names of what `objects` refer to in the `shown` fields: one query per related model."""
    wanted = {}
    for item in shown:
        for f in item.fields:
            if f.is_relation:
                ids = wanted.setdefault(f.related_model, set())
                ids.update(getattr(obj, f.attname) for obj in objects)
    for model, ids in wanted.items():
        names.load(model, ids)
    if any(is_fact_line(f) for item in shown for f in item.fields):
        fact_link_names(objects, names)  # what its link facts name


def values(obj, *, names=None, exclude=()):
    """[(label, display value)] of one revision (or instance), field by field."""
    names = names or Names()
    shown = shown_fields(model_of(obj), exclude)
    load_names(names, shown, [obj])
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
    load_names(names, changed, [old, new])
    return [
        FieldChange(item.label, item.display(old, names), item.display(new, names))
        for item in changed
    ]


# -- what changed in a relation's rows ---------------------------------------------


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
    """RowChanges from `before` to `after`, two {row id: revision} states of a RelationType."""
    names = names or Names()
    if relation.is_citations:  # what their link facts name, in one query per model
        fact_link_names([*before.values(), *after.values()], names)
    added = [after[key] for key in after.keys() - before.keys()]
    removed = [before[key] for key in before.keys() - after.keys()]
    pairs = [
        (before[key], after[key], changes)
        for key in before.keys() & after.keys()
        if (changes := field_changes(before[key], after[key], names=names, exclude=[relation.fk]))
    ]
    described = relation.describe([*added, *removed, *(new for _, new, _ in pairs)], names)
    return RowChanges(
        relation.title,
        sorted(described[r.history_id] for r in added),
        sorted(described[r.history_id] for r in removed),
        sorted((described[new.history_id], changes) for _, new, changes in pairs),
    )


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
