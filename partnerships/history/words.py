"""How history's sentences name an entry's type and count its relation rows, in the
page's language.

French and Arabic nouns have genders, and Arabic counts have six forms: a
sentence cannot be glued from a type's name and a number. Each entry type's
noun ("agreement"), with its article ("the agreement") and with "this" ("this
agreement"), and each relation's counted phrases ("added 2 parties") are written
out whole here, by the registry's entry type name and relation token
(partnerships/entry_types.py, sources/entry_types.py). A type or relation not
listed is named in English words built from its declaration.
"""

from dataclasses import dataclass

from django.utils.translation import ngettext_lazy, pgettext_lazy


@dataclass(frozen=True)
class EntryWords:
    noun: str  # "agreement"
    the: str  # "the agreement"
    this: str  # "this agreement"


ENTRY_WORDS = {
    "partner": EntryWords(
        pgettext_lazy("entry type", "partner"),
        pgettext_lazy("entry type", "the partner"),
        pgettext_lazy("entry type", "this partner"),
    ),
    "agreement": EntryWords(
        pgettext_lazy("entry type", "agreement"),
        pgettext_lazy("entry type", "the agreement"),
        pgettext_lazy("entry type", "this agreement"),
    ),
    "exercise": EntryWords(
        pgettext_lazy("entry type", "exercise"),
        pgettext_lazy("entry type", "the exercise"),
        pgettext_lazy("entry type", "this exercise"),
    ),
    "equipment": EntryWords(
        pgettext_lazy("entry type", "equipment"),
        pgettext_lazy("entry type", "the equipment"),
        pgettext_lazy("entry type", "this equipment"),
    ),
    "person": EntryWords(
        pgettext_lazy("entry type", "person"),
        pgettext_lazy("entry type", "the person"),
        pgettext_lazy("entry type", "this person"),
    ),
    "engagement": EntryWords(
        pgettext_lazy("entry type", "engagement"),
        pgettext_lazy("entry type", "the engagement"),
        pgettext_lazy("entry type", "this engagement"),
    ),
    "indicator": EntryWords(
        pgettext_lazy("entry type", "indicator"),
        pgettext_lazy("entry type", "the indicator"),
        pgettext_lazy("entry type", "this indicator"),
    ),
    "source": EntryWords(
        pgettext_lazy("entry type", "source"),
        pgettext_lazy("entry type", "the source"),
        pgettext_lazy("entry type", "this source"),
    ),
}


def entry_words(name):
    """The EntryWords of the entry type named `name`."""
    found = ENTRY_WORDS.get(name)
    return found or EntryWords(name, f"the {name}", f"this {name}")


@dataclass(frozen=True)
class RowWords:
    """A relation's rows counted, by what a save did to them."""

    # "added 2 parties": what an entry's history says a save did.
    added: object
    removed: object
    changed: object
    # "party added", "2 parties added": what recent changes says of rows saved alone.
    one_added: object
    one_removed: object
    one_changed: object
    were_added: object
    were_removed: object
    were_changed: object

    def did(self, verb, count):
        """ "added 2 parties" (`verb`: "added", "removed" or "changed")."""
        return getattr(self, verb) % {"count": count}

    def done(self, verb, count=None):
        """ "party added", without a count; "2 parties added" with one."""
        if count is None:
            return str(getattr(self, f"one_{verb}"))
        return getattr(self, f"were_{verb}") % {"count": count}


ROW_WORDS = {
    "citation": RowWords(
        ngettext_lazy("added %(count)s citation", "added %(count)s citations", "count"),
        ngettext_lazy("removed %(count)s citation", "removed %(count)s citations", "count"),
        ngettext_lazy("changed %(count)s citation", "changed %(count)s citations", "count"),
        pgettext_lazy("saved alone", "citation added"),
        pgettext_lazy("saved alone", "citation removed"),
        pgettext_lazy("saved alone", "citation changed"),
        ngettext_lazy("%(count)s citation added", "%(count)s citations added", "count"),
        ngettext_lazy("%(count)s citation removed", "%(count)s citations removed", "count"),
        ngettext_lazy("%(count)s citation changed", "%(count)s citations changed", "count"),
    ),
    "party": RowWords(
        ngettext_lazy("added %(count)s party", "added %(count)s parties", "count"),
        ngettext_lazy("removed %(count)s party", "removed %(count)s parties", "count"),
        ngettext_lazy("changed %(count)s party", "changed %(count)s parties", "count"),
        pgettext_lazy("saved alone", "party added"),
        pgettext_lazy("saved alone", "party removed"),
        pgettext_lazy("saved alone", "party changed"),
        ngettext_lazy("%(count)s party added", "%(count)s parties added", "count"),
        ngettext_lazy("%(count)s party removed", "%(count)s parties removed", "count"),
        ngettext_lazy("%(count)s party changed", "%(count)s parties changed", "count"),
    ),
    "participant": RowWords(
        ngettext_lazy("added %(count)s participant", "added %(count)s participants", "count"),
        ngettext_lazy("removed %(count)s participant", "removed %(count)s participants", "count"),
        ngettext_lazy("changed %(count)s participant", "changed %(count)s participants", "count"),
        pgettext_lazy("saved alone", "participant added"),
        pgettext_lazy("saved alone", "participant removed"),
        pgettext_lazy("saved alone", "participant changed"),
        ngettext_lazy("%(count)s participant added", "%(count)s participants added", "count"),
        ngettext_lazy("%(count)s participant removed", "%(count)s participants removed", "count"),
        ngettext_lazy("%(count)s participant changed", "%(count)s participants changed", "count"),
    ),
    "position": RowWords(
        ngettext_lazy("added %(count)s position", "added %(count)s positions", "count"),
        ngettext_lazy("removed %(count)s position", "removed %(count)s positions", "count"),
        ngettext_lazy("changed %(count)s position", "changed %(count)s positions", "count"),
        pgettext_lazy("saved alone", "position added"),
        pgettext_lazy("saved alone", "position removed"),
        pgettext_lazy("saved alone", "position changed"),
        ngettext_lazy("%(count)s position added", "%(count)s positions added", "count"),
        ngettext_lazy("%(count)s position removed", "%(count)s positions removed", "count"),
        ngettext_lazy("%(count)s position changed", "%(count)s positions changed", "count"),
    ),
    "partner": RowWords(
        ngettext_lazy(
            "added %(count)s partner taking part",
            "added %(count)s partners taking part",
            "count",
        ),
        ngettext_lazy(
            "removed %(count)s partner taking part",
            "removed %(count)s partners taking part",
            "count",
        ),
        ngettext_lazy(
            "changed %(count)s partner taking part",
            "changed %(count)s partners taking part",
            "count",
        ),
        pgettext_lazy("saved alone", "partner taking part added"),
        pgettext_lazy("saved alone", "partner taking part removed"),
        pgettext_lazy("saved alone", "partner taking part changed"),
        ngettext_lazy(
            "%(count)s partner taking part added",
            "%(count)s partners taking part added",
            "count",
        ),
        ngettext_lazy(
            "%(count)s partner taking part removed",
            "%(count)s partners taking part removed",
            "count",
        ),
        ngettext_lazy(
            "%(count)s partner taking part changed",
            "%(count)s partners taking part changed",
            "count",
        ),
    ),
    "person": RowWords(
        ngettext_lazy(
            "added %(count)s person taking part", "added %(count)s people taking part", "count"
        ),
        ngettext_lazy(
            "removed %(count)s person taking part",
            "removed %(count)s people taking part",
            "count",
        ),
        ngettext_lazy(
            "changed %(count)s person taking part",
            "changed %(count)s people taking part",
            "count",
        ),
        pgettext_lazy("saved alone", "person taking part added"),
        pgettext_lazy("saved alone", "person taking part removed"),
        pgettext_lazy("saved alone", "person taking part changed"),
        ngettext_lazy(
            "%(count)s person taking part added", "%(count)s people taking part added", "count"
        ),
        ngettext_lazy(
            "%(count)s person taking part removed",
            "%(count)s people taking part removed",
            "count",
        ),
        ngettext_lazy(
            "%(count)s person taking part changed",
            "%(count)s people taking part changed",
            "count",
        ),
    ),
    "value": RowWords(
        ngettext_lazy("added %(count)s value", "added %(count)s values", "count"),
        ngettext_lazy("removed %(count)s value", "removed %(count)s values", "count"),
        ngettext_lazy("changed %(count)s value", "changed %(count)s values", "count"),
        pgettext_lazy("saved alone", "value added"),
        pgettext_lazy("saved alone", "value removed"),
        pgettext_lazy("saved alone", "value changed"),
        ngettext_lazy("%(count)s value added", "%(count)s values added", "count"),
        ngettext_lazy("%(count)s value removed", "%(count)s values removed", "count"),
        ngettext_lazy("%(count)s value changed", "%(count)s values changed", "count"),
    ),
}


class EnglishRowWords:
    """The counted phrases of a relation not in ROW_WORDS, from its declared nouns."""

    def __init__(self, relation):
        self.relation = relation

    def did(self, verb, count):
        return f"{verb} {count} {self.relation.noun(count)}"

    def done(self, verb, count=None):
        if count is None:
            return f"{self.relation.singular} {verb}"
        return f"{count} {self.relation.noun(count)} {verb}"


def row_words(relation):
    """The RowWords of `relation` (a RelationType)."""
    return ROW_WORDS.get(relation.token) or EnglishRowWords(relation)
