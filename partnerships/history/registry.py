"""The registry of entry types: each declared once, read by everything that has history.

An entry type is a kind of page with a history of its own (partners,
agreements, exercises, equipment, sources). Its *relations* are the revisioned
rows edited on its form that point at it by a foreign key (an agreement's
parties, an entry's citations): their revisions are part of the entry's saves,
come back with it on a revert or a restore, and make an edit conflict when
someone else changes them. Its *links* are rows of other entries that name it
(the agreements a partner is a party to), listed on its admin history page.

The declarations live beside the models (partnerships/entry_types.py,
sources/entry_types.py) and are registered when the apps are ready. The admin's
history pages, recent changes, the entry history, compare, revert, restore,
as-of, search and exports read them from here; adding a type is one declaration.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from .. import facts as fact_rules
from ..links import slug_url
from .names import Names, history_of
from .words import entry_words, row_words

QUOTE_SHOWN = 90


@dataclass(frozen=True)
class RelationType:
    """Revisioned rows of `model` that point at an entry by the foreign key `fk`.

    `other` is the foreign key that names a row (the partner of a party); rows
    without one are citations, named by their quote.
    """

    title: str  # "Parties": a heading on history pages
    model: type
    fk: str
    other: str | None = None
    token: str = ""  # how a URL names one of its revisions: "party" in "party-12"
    singular: str = ""
    plural: str = ""
    # How history names a row without `other` that is not a citation (a position, a
    # value): (revision, Names) → text, naming what it refers to through Names.
    name_row: Callable | None = None

    @property
    def is_citations(self):
        return self.model._meta.label_lower == "sources.citation"

    @property
    def fk_attname(self):
        return self.model._meta.get_field(self.fk).attname

    @property
    def revision_type(self):
        """The tracked model's name, which names its history table."""
        return self.model._meta.model_name

    @property
    def history(self):
        return history_of(self.model)

    def noun(self, count):
        return self.singular if count == 1 else self.plural

    @property
    def words(self):
        """Its rows counted in the page's language: words.RowWords."""
        return row_words(self)

    def token_of(self, history_id):
        return f"{self.token}-{history_id}"

    def describe(self, records, names=None, *, short=False):
        """{history_id: how history names the row}, in one query per model named.

        In full, a citation is its quote, the facts it states by name and its
        stance; `short`, as a line of recent changes names it, only the facts and
        its note. The partners its link facts name ("party:12") are named in one
        query for all `records`.
        """
        names = names or Names()
        if self.is_citations:
            linked = fact_link_names(records, names)
            return {record.history_id: citation_text(record, linked, short) for record in records}
        if self.other is None:
            return self.name_rows(records, names)
        target = self.model._meta.get_field(self.other)
        names.load(target.related_model, {getattr(r, target.attname) for r in records})
        described = {}
        for record in records:
            text = names.get(target.related_model, getattr(record, target.attname))
            if hasattr(record, "get_role_display"):
                role = record.get_role_display().lower()
                text = _("%(name)s as %(role)s") % {"name": text, "role": role}
            described[record.history_id] = text
        return described

    def name_rows(self, records, names):
        """{history_id: name} of rows named by `name_row` (a position, a value): what they
        refer to (a position's partner) named first, in one query per model."""
        load_references(self.model, records, names, exclude=(self.fk,))
        return {record.history_id: self.name_row(record, names) for record in records}


def load_references(model, records, names, exclude=()):
    """Loads into `names` what the foreign keys of `records` (rows or revisions of
    `model`) point at, but those in `exclude`: one query per model pointed at."""
    for field in model._meta.concrete_fields:
        if field.is_relation and field.name not in exclude:
            ids = {getattr(record, field.attname, None) for record in records}
            names.load(field.related_model, ids - {None})


def row_namer(model):
    """The RelationType that names rows of `model` by its `name_row` (a position, a
    value), or None."""
    return next(
        (
            relation
            for entry_type in entry_types
            for relation in entry_type.relations
            if relation.model is model and relation.name_row is not None
        ),
        None,
    )


def cited_entry_field(record):
    """Which entry a citation (or its revision) is of: "agreement", …, or None."""
    return next((name for name in fact_rules.FACTS if getattr(record, f"{name}_id", None)), None)


def fact_link_names(records, names):
    """{(named model, number): name} of what the link facts of citations `records` (or
    their revisions) name ("party:12" → ("partner", 12) → "Israel"): one query per
    model named, none when no fact names anything; a deleted one is named from its
    history."""
    wanted = defaultdict(set)
    for record in records:
        entry_field = cited_entry_field(record)
        for key in fact_rules.split(record.facts):
            if found := fact_rules.link_of(entry_field, key):
                wanted[found[0].named].add(found[1])
    linked = {}
    for named, ids in wanted.items():
        model = apps.get_model("partnerships", named)
        names.load(model, ids)
        linked.update({(named, pk): names.get(model, pk) for pk in ids})
    return linked


def fact_labels(record, linked):
    """A citation's facts as readers see them named: "date concluded, value, party:
    Israel"; `linked` is fact_link_names()'s."""
    entry_field = cited_entry_field(record)
    keys = fact_rules.split(record.facts)
    if entry_field is None:
        return ", ".join(keys)
    return ", ".join(fact_rules.label(entry_field, key, linked) for key in keys)


def citation_text(record, linked, short=False):
    """How history names a citation's revision (`record`: anything with its columns as
    attributes); `linked` is fact_link_names()'s."""
    facts = fact_labels(record, linked)
    disputes = record.stance == "disputes"
    if short:
        text = _("disputes %(facts)s") % {"facts": facts} if disputes else facts
        if record.note:
            return _("%(facts)s — “%(note)s”") % {"facts": text, "note": record.note}
        return text
    quote = record.quote
    if len(quote) > QUOTE_SHOWN:
        quote = quote[: QUOTE_SHOWN - 3] + "…"
    if disputes:
        return _("“%(quote)s” for %(facts)s — disputes") % {"quote": quote, "facts": facts}
    return _("“%(quote)s” for %(facts)s") % {"quote": quote, "facts": facts}


@dataclass(frozen=True)
class EntryType:
    name: str  # "agreement": in filters, in the change log and the feed
    path: str  # "agreements": the URL segment
    title: str  # "Agreements"
    model: type
    label_field: str  # the field that names an entry: "title"
    url_name: str  # its page: "partnerships:agreement-detail"
    relations: tuple = ()
    links: tuple = ()
    search: object = None  # partnerships.search.Searched: how search reads it, if it does

    @property
    def history(self):
        return history_of(self.model)

    @property
    def revision_type(self):
        return self.model._meta.model_name

    @property
    def words(self):
        """How sentences name an entry of this type in the page's language: words.EntryWords."""
        return entry_words(self.name)

    def label_of(self, obj):
        """The name of an entry, or of one of its revisions."""
        return getattr(obj, self.label_field) or ""

    def relation(self, token):
        """The relation a revision token's prefix names ("party"), or None."""
        return next((r for r in self.relations if r.token == token), None)

    def relation_for(self, revision_type):
        """The relation whose history table `revision_type` names, or None."""
        return next((r for r in self.relations if r.revision_type == revision_type), None)

    def detail_url(self, slug):
        try:
            return slug_url(self.url_name, slug)
        except NoReverseMatch:
            return ""

    def history_url(self, slug, view="entry-history", *args):
        return slug_url(f"partnerships:{view}", slug, *args, fixed=(self.path,))


class Registry:
    def __init__(self):
        self._types = []

    def register(self, entry_type):
        for known in self._types:
            if {known.name, known.path} & {entry_type.name, entry_type.path}:
                raise ValueError(f"An entry type named {entry_type.name} is registered twice.")
            if known.model is entry_type.model:
                raise ValueError(f"{entry_type.model.__name__} has two entry types.")
        self._types.append(entry_type)
        return entry_type

    def __iter__(self):
        return iter(self._types)

    def by_name(self, name):
        return next((t for t in self._types if t.name == name), None)

    def by_path(self, path):
        return next((t for t in self._types if t.path == path), None)

    def for_model(self, model):
        return next((t for t in self._types if t.model is model), None)

    def owner_of(self, obj):
        """(EntryType, pk) of the entry a revisioned object (or revision) belongs to.

        An entry belongs to itself; a relation row to the entry its foreign key
        points at. None for anything else.
        """
        model = getattr(obj, "instance_type", type(obj))
        for entry_type in self._types:
            if entry_type.model is model:
                return entry_type, getattr(obj, model._meta.pk.attname)
            for relation in entry_type.relations:
                if relation.model is model and getattr(obj, relation.fk_attname) is not None:
                    return entry_type, getattr(obj, relation.fk_attname)
        return None


entry_types = Registry()
