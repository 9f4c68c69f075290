"""The facts of each type of entry that a citation can support or dispute.

A citation names the facts its quote states (Wikidata's references on each
statement): fields of its entry ("date", "value"), one of its links ("party:12",
the partner with key 12 as a party to the agreement; "participant:12", a
partner's part and role in an exercise), or "existence", the entry itself. They
are stored on the citation as one line of keys, space-separated, in the order
declared here ("existence date value party:12"): a line a regular expression can
check in the database (Citation's constraints) and a history diff can compare.

Declared once, read by the citation's validation and its admin form, the entry
pages' footnote markers, the exports, the history diff and the quality report.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

EXISTENCE = "existence"


@dataclass(frozen=True)
class Fact:
    key: str  # "date": how a citation names it
    label: str  # "date concluded": how readers see it named, in the page's language (lazy)
    # The entry's attributes that hold its value; the fact is unknown when all are empty.
    fields: tuple = ()
    # Values that claim nothing a quote must state: a status of "reported" says only
    # that a source reports the entry, which the entry's own citations show.
    unclaimed: tuple = ()

    def value_of(self, entry):
        """Whether `entry` has a value for this fact that a quote must state."""
        if self.key == EXISTENCE:
            return True
        values = [getattr(entry, name) for name in self.fields]
        return any(value not in (None, "", [], ()) for value in values) and not (
            len(values) == 1 and values[0] in self.unclaimed
        )


@dataclass(frozen=True)
class LinkFact:
    """A fact for each row linked to the entry: "party:12", the partner with key 12 as a
    party; "position:7", the person's position with key 7."""

    prefix: str  # "party"
    label: str  # "party", in the page's language (lazy)
    rows: str  # the entry's link rows: "party_links"
    # What a key's number names: the link row's foreign key to it ("partner",
    # "person"), or "" for the link row itself (a person's position, an
    # indicator's value).
    target: str = "partner"
    # The model (of partnerships) whose rows the numbers name, for naming them.
    named: str = "partner"

    @property
    def noun(self):
        """What a key's number names, in words: "partner", "value"."""
        return {"indicatorvalue": "value"}.get(self.named, self.named)

    def key(self, linked_id):
        return f"{self.prefix}:{linked_id}"

    @property
    def column(self):
        """The link row's column that holds the number a key names."""
        return f"{self.target}_id" if self.target else "id"

    def links_of(self, entry):
        """The entry's link rows (AgreementParty, Position, …), as a manager."""
        return getattr(entry, self.rows)

    def linked_ids(self, entry):
        return set(self.links_of(entry).values_list(self.column, flat=True))


_EXISTS = Fact(EXISTENCE, pgettext_lazy("a fact of an entry", "existence of the entry"))
_REPORTED = ("reported",)

FACTS = {
    "partner": (
        _EXISTS,
        Fact("kind", pgettext_lazy("a fact of an entry", "kind"), ("kind",)),
        Fact(
            "membership",
            pgettext_lazy("a fact of an entry", "Morocco's membership"),
            ("membership",),
        ),
        Fact("short_name", pgettext_lazy("a fact of an entry", "short name"), ("short_name",)),
        Fact("aliases", pgettext_lazy("a fact of an entry", "other names"), ("aliases",)),
        Fact("parent", pgettext_lazy("a fact of an entry", "home country"), ("parent_id",)),
    ),
    "agreement": (
        _EXISTS,
        Fact("kind", pgettext_lazy("a fact of an entry", "kind"), ("kind",)),
        Fact("status", pgettext_lazy("a fact of an entry", "status"), ("status",), _REPORTED),
        Fact(
            "date", pgettext_lazy("a fact of an entry", "date concluded"), ("date", "date_month")
        ),
        Fact(
            "start_date",
            pgettext_lazy("a fact of an entry", "start"),
            ("start_date", "start_date_month"),
        ),
        Fact(
            "end_date", pgettext_lazy("a fact of an entry", "end"), ("end_date", "end_date_month")
        ),
        Fact("value", pgettext_lazy("a fact of an entry", "value"), ("value_amount",)),
    ),
    "exercise": (
        _EXISTS,
        Fact("series", pgettext_lazy("a fact of an entry", "series"), ("series",)),
        Fact(
            "start_date",
            pgettext_lazy("a fact of an entry", "start"),
            ("start_date", "start_date_month"),
        ),
        Fact(
            "end_date", pgettext_lazy("a fact of an entry", "end"), ("end_date", "end_date_month")
        ),
        Fact("location", pgettext_lazy("a fact of an entry", "location"), ("location",)),
        Fact("domains", pgettext_lazy("a fact of an entry", "domains"), ("domains",)),
    ),
    "person": (
        _EXISTS,
        Fact("name", pgettext_lazy("a fact of an entry", "name"), ("name",)),
    ),
    "engagement": (
        _EXISTS,
        Fact("kind", pgettext_lazy("a fact of an entry", "kind"), ("kind",)),
        Fact("date", pgettext_lazy("a fact of an entry", "date"), ("date", "date_month")),
        Fact(
            "end_date", pgettext_lazy("a fact of an entry", "end"), ("end_date", "end_date_month")
        ),
        Fact("place", pgettext_lazy("a fact of an entry", "place"), ("place",)),
    ),
    "indicator": (
        _EXISTS,
        Fact("subject", pgettext_lazy("a fact of an entry", "subject"), ("subject", "partner_id")),
        Fact("unit", pgettext_lazy("a fact of an entry", "unit"), ("unit",)),
        Fact("currency", pgettext_lazy("a fact of an entry", "currency"), ("currency",)),
    ),
    "procurement": (
        _EXISTS,
        Fact("system", pgettext_lazy("a fact of an entry", "system"), ("system",)),
        Fact("category", pgettext_lazy("a fact of an entry", "category"), ("category",)),
        Fact("supplier", pgettext_lazy("a fact of an entry", "supplier"), ("supplier_id",)),
        Fact("manufacturer", pgettext_lazy("a fact of an entry", "maker"), ("manufacturer_id",)),
        Fact("agreement", pgettext_lazy("a fact of an entry", "agreement"), ("agreement_id",)),
        Fact("quantity", pgettext_lazy("a fact of an entry", "quantity"), ("quantity",)),
        Fact(
            "order_date",
            pgettext_lazy("a fact of an entry", "order date"),
            ("order_date", "order_date_month"),
        ),
        Fact(
            "delivery_date",
            pgettext_lazy("a fact of an entry", "delivery date"),
            ("delivery_date", "delivery_date_month"),
        ),
        Fact("status", pgettext_lazy("a fact of an entry", "status"), ("status",), _REPORTED),
        Fact("value", pgettext_lazy("a fact of an entry", "value"), ("value_amount",)),
    ),
}

# The entry types whose links are facts of their own, each link's in declared order.
LINKS = {
    "agreement": (LinkFact("party", pgettext_lazy("a fact of an entry", "party"), "party_links"),),
    "exercise": (
        LinkFact(
            "participant",
            pgettext_lazy("a fact of an entry", "participant and role"),
            "participations",
        ),
    ),
    "person": (
        LinkFact(
            "position",
            pgettext_lazy("a fact of an entry", "position"),
            "positions",
            target="",
            named="position",
        ),
    ),
    "engagement": (
        LinkFact(
            "partner", pgettext_lazy("a fact of an entry", "partner and role"), "partner_links"
        ),
        LinkFact(
            "person",
            pgettext_lazy("a fact of an entry", "person and role"),
            "person_links",
            target="person",
            named="person",
        ),
    ),
    "indicator": (
        LinkFact(
            "value",
            pgettext_lazy("a fact of an entry", "value"),
            "values",
            target="",
            named="indicatorvalue",
        ),
    ),
}


def facts_of(entry_field):
    """{key: Fact} of an entry type ("agreement"), in their declared order."""
    return {fact.key: fact for fact in FACTS[entry_field]}


def links_of(entry_field):
    """The link facts of an entry type: () when its links are not facts."""
    return LINKS.get(entry_field, ())


def pattern(entry_field):
    """A regular expression matching a valid line of keys for `entry_field`."""
    keys = [re.escape(fact.key) for fact in FACTS[entry_field]]
    keys += [f"{link.prefix}:[1-9][0-9]*" for link in links_of(entry_field)]
    one = f"({'|'.join(keys)})"
    return f"^{one}( {one})*$"


def split(line):
    return [key for key in (line or "").split() if key]


def link_of(entry_field, key):
    """(LinkFact, number) of a link fact ("party:12" → (party, 12)), else None."""
    prefix, colon, number = key.partition(":")
    if not colon or not number.isdigit() or number.startswith("0"):
        return None
    link = next((link for link in links_of(entry_field) if link.prefix == prefix), None)
    return None if link is None else (link, int(number))


def link_id(entry_field, key):
    """The partner's key that a link fact names ("party:12" → 12), else None (also for
    a link to anything but a partner)."""
    found = link_of(entry_field, key)
    if found is None or found[0].named != "partner":
        return None
    return found[1]


def joined(entry_field, keys):
    """The stored line of `keys`: each once, fields in their declared order, then links
    in their declared order, by number."""
    order = {key: place for place, key in enumerate(facts_of(entry_field))}
    prefixes = {link.prefix: place for place, link in enumerate(links_of(entry_field))}
    unique = set(keys)
    fields = sorted((k for k in unique if k in order), key=order.__getitem__)

    def link_order(key):
        found = link_of(entry_field, key)
        if found is None:
            return (len(prefixes), 0, key)
        return (prefixes[found[0].prefix], found[1], key)

    links = sorted((k for k in unique if k not in order), key=link_order)
    return " ".join(fields + links)


def problems(entry_field, keys, linked):
    """What is wrong with `keys` as facts of an entry of `entry_field` whose links are
    `linked`, {prefix: the numbers its rows name} (None when not known): a list of
    sentences."""
    found = []
    if not keys:
        found.append(
            _(
                "Say which facts this quote states: tick at least one, or “existence of the "
                "entry” when it states only that the entry exists."
            )
        )
    known = facts_of(entry_field)
    for key in keys:
        if key in known:
            continue
        link = link_of(entry_field, key)
        if link is None:
            found.append(_("“%(key)s” is not a fact of this kind of entry.") % {"key": key})
        elif linked is not None and link[1] not in linked.get(link[0].prefix, ()):
            found.append(NOT_LINKED[link[0].named] % {"fact": link[0].label})
    return found


# Why a link fact cannot be cited yet, by what its number names (LinkFact.named).
NOT_LINKED = {
    "partner": pgettext_lazy(
        "a citation's fact",
        "The partner a “%(fact)s” fact names is not linked to this entry: cite it once it "
        "is saved on the entry.",
    ),
    "person": pgettext_lazy(
        "a citation's fact",
        "The person a “%(fact)s” fact names is not linked to this entry: cite it once it "
        "is saved on the entry.",
    ),
    "position": pgettext_lazy(
        "a citation's fact",
        "The position a “%(fact)s” fact names is not linked to this entry: cite it once it "
        "is saved on the entry.",
    ),
    "indicatorvalue": pgettext_lazy(
        "a citation's fact",
        "The value a “%(fact)s” fact names is not linked to this entry: cite it once it "
        "is saved on the entry.",
    ),
}

# What a link fact names when its row is gone (the citation outlived the link).
NO_LONGER_LINKED = {
    "partner": pgettext_lazy("a fact of an entry", "a partner no longer linked"),
    "person": pgettext_lazy("a fact of an entry", "a person no longer linked"),
    "position": pgettext_lazy("a fact of an entry", "a position no longer linked"),
    "indicatorvalue": pgettext_lazy("a fact of an entry", "a value no longer linked"),
}


def label(entry_field, key, names=None):
    """How readers see a key named, in the page's language: "date concluded", "party:
    Israel". `names` maps (the named model, number) to a name: ("partner", 12) →
    "Israel"."""
    fact = facts_of(entry_field).get(key)
    if fact is not None:
        return str(fact.label)
    found = link_of(entry_field, key)
    if found is None:
        return key
    link, number = found
    name = (names or {}).get((link.named, number))
    if name is None:
        name = NO_LONGER_LINKED[link.named]
    # Translators: a fact that names a linked entry: "party: Israel", "person and role:
    # Nasser Bourita".
    return pgettext("a linked fact and what it names", "%(fact)s: %(name)s") % {
        "fact": link.label,
        "name": name,
    }
