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

EXISTENCE = "existence"


@dataclass(frozen=True)
class Fact:
    key: str  # "date": how a citation names it
    label: str  # "concluded date": how readers see it named
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
    label: str  # "party"
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


_EXISTS = Fact(EXISTENCE, "existence of the entry")
_REPORTED = ("reported",)

FACTS = {
    "partner": (
        _EXISTS,
        Fact("kind", "kind", ("kind",)),
        Fact("membership", "Morocco's membership", ("membership",)),
        Fact("short_name", "short name", ("short_name",)),
        Fact("aliases", "other names", ("aliases",)),
        Fact("parent", "home country", ("parent_id",)),
    ),
    "agreement": (
        _EXISTS,
        Fact("kind", "kind", ("kind",)),
        Fact("status", "status", ("status",), _REPORTED),
        Fact("date", "date concluded", ("date", "date_month")),
        Fact("start_date", "start", ("start_date", "start_date_month")),
        Fact("end_date", "end", ("end_date", "end_date_month")),
        Fact("value", "value", ("value_amount",)),
    ),
    "exercise": (
        _EXISTS,
        Fact("series", "series", ("series",)),
        Fact("start_date", "start", ("start_date", "start_date_month")),
        Fact("end_date", "end", ("end_date", "end_date_month")),
        Fact("location", "location", ("location",)),
        Fact("domains", "domains", ("domains",)),
    ),
    "person": (
        _EXISTS,
        Fact("name", "name", ("name",)),
    ),
    "engagement": (
        _EXISTS,
        Fact("kind", "kind", ("kind",)),
        Fact("date", "date", ("date", "date_month")),
        Fact("end_date", "end", ("end_date", "end_date_month")),
        Fact("place", "place", ("place",)),
    ),
    "indicator": (
        _EXISTS,
        Fact("subject", "subject", ("subject", "partner_id")),
        Fact("unit", "unit", ("unit",)),
        Fact("currency", "currency", ("currency",)),
    ),
    "procurement": (
        _EXISTS,
        Fact("system", "system", ("system",)),
        Fact("category", "category", ("category",)),
        Fact("supplier", "supplier", ("supplier_id",)),
        Fact("manufacturer", "maker", ("manufacturer_id",)),
        Fact("agreement", "agreement", ("agreement_id",)),
        Fact("quantity", "quantity", ("quantity",)),
        Fact("order_date", "order date", ("order_date", "order_date_month")),
        Fact("delivery_date", "delivery date", ("delivery_date", "delivery_date_month")),
        Fact("status", "status", ("status",), _REPORTED),
        Fact("value", "value", ("value_amount",)),
    ),
}

# The entry types whose links are facts of their own, each link's in declared order.
LINKS = {
    "agreement": (LinkFact("party", "party", "party_links"),),
    "exercise": (LinkFact("participant", "participant and role", "participations"),),
    "person": (LinkFact("position", "position", "positions", target="", named="position"),),
    "engagement": (
        LinkFact("partner", "partner and role", "partner_links"),
        LinkFact("person", "person and role", "person_links", target="person", named="person"),
    ),
    "indicator": (LinkFact("value", "value", "values", target="", named="indicatorvalue"),),
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
            "Say which facts this quote states: tick at least one, or “existence of the "
            "entry” when it states only that the entry exists."
        )
    known = facts_of(entry_field)
    for key in keys:
        if key in known:
            continue
        link = link_of(entry_field, key)
        if link is None:
            found.append(f"“{key}” is not a fact of this kind of entry.")
        elif linked is not None and link[1] not in linked.get(link[0].prefix, ()):
            found.append(
                f"The {link[0].noun} a “{link[0].label}” fact names is not linked to this "
                "entry: cite it once it is saved on the entry."
            )
    return found


def label(entry_field, key, names=None):
    """How readers see a key named: "date concluded", "party: Israel". `names` maps
    (the named model, number) to a name: ("partner", 12) → "Israel"."""
    fact = facts_of(entry_field).get(key)
    if fact is not None:
        return fact.label
    found = link_of(entry_field, key)
    if found is None:
        return key
    link, number = found
    name = (names or {}).get((link.named, number), f"a {link.noun} no longer linked")
    return f"{link.label}: {name}"
