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
    """A fact for each partner linked to the entry: "party:12"."""

    prefix: str  # "party"
    label: str  # "party"
    rows: str  # the entry's link rows, each with its partner: "party_links"

    def key(self, partner_id):
        return f"{self.prefix}:{partner_id}"

    def links_of(self, entry):
        """The entry's link rows (AgreementParty, ExerciseParticipant), as a manager."""
        return getattr(entry, self.rows)


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

# The entry types whose links are facts of their own, and the link model's keys.
LINKS = {
    "agreement": LinkFact("party", "party", "party_links"),
    "exercise": LinkFact("participant", "participant and role", "participations"),
}


def facts_of(entry_field):
    """{key: Fact} of an entry type ("agreement"), in their declared order."""
    return {fact.key: fact for fact in FACTS[entry_field]}


def pattern(entry_field):
    """A regular expression matching a valid line of keys for `entry_field`."""
    keys = [re.escape(fact.key) for fact in FACTS[entry_field]]
    if entry_field in LINKS:
        keys.append(f"{LINKS[entry_field].prefix}:[1-9][0-9]*")
    one = f"({'|'.join(keys)})"
    return f"^{one}( {one})*$"


def split(line):
    return [key for key in (line or "").split() if key]


def link_id(entry_field, key):
    """The partner's key that a link fact names ("party:12" → 12), else None."""
    link = LINKS.get(entry_field)
    if link is None or not key.startswith(f"{link.prefix}:"):
        return None
    number = key.removeprefix(f"{link.prefix}:")
    return int(number) if number.isdigit() and not number.startswith("0") else None


def joined(entry_field, keys):
    """The stored line of `keys`: each once, fields in their declared order, then links
    by partner key."""
    order = {key: place for place, key in enumerate(facts_of(entry_field))}
    unique = set(keys)
    fields = sorted((k for k in unique if k in order), key=order.__getitem__)
    links = sorted(
        (k for k in unique if k not in order), key=lambda k: (link_id(entry_field, k) or 0, k)
    )
    return " ".join(fields + links)


def problems(entry_field, keys, linked_ids):
    """What is wrong with `keys` as facts of an entry of `entry_field` whose links name
    the partners `linked_ids` (None when not known): a list of sentences."""
    found = []
    if not keys:
        found.append(
            "Say which facts this quote states: tick at least one, or “existence of the "
            "entry” when it states only that the entry exists."
        )
    known = facts_of(entry_field)
    link = LINKS.get(entry_field)
    for key in keys:
        if key in known:
            continue
        partner = link_id(entry_field, key)
        if partner is None:
            found.append(f"“{key}” is not a fact of this kind of entry.")
        elif linked_ids is not None and partner not in linked_ids:
            found.append(
                f"The partner a “{link.label}” fact names is not linked to this entry: "
                "cite a party or participant once it is saved on the entry."
            )
    return found


def label(entry_field, key, partner_names=None):
    """How readers see a key named: "date concluded", "party: Israel"."""
    fact = facts_of(entry_field).get(key)
    if fact is not None:
        return fact.label
    partner = link_id(entry_field, key)
    if partner is None:
        return key
    name = (partner_names or {}).get(partner, "a partner no longer linked")
    return f"{LINKS[entry_field].label}: {name}"
