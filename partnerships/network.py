"""The partner network (/network/) and each partner's neighbourhood (its page's
"Connections"): Morocco, its partners, their companies and the people of the wiki,
joined by what links them.

Morocco is not a row: every agreement, exercise, equipment deal and engagement is
Morocco's with its partners, so each of those joins the partner (or the person who
took part) to Morocco, the centre. Companies are joined to their home country
(Partner.parent), a supplying country to the maker of what it supplied, and people
to partners through the positions they hold and the engagements they took part in.

Read with a fixed number of grouped queries, whatever the size of the data; only
the PARTNERS_DRAWN best-linked partners and PEOPLE_DRAWN people are drawn, and the
page says how many of how many. Laid out with networkx (a seeded spring layout, so
the same data draws the same picture; a partner's neighbourhood on a shell layout
around it) and drawn as SVG with classes only, as the CSP allows no style: each
line's colour and dash pattern is in the "Network" section of static/css/site.css.
Every node is a link; the table of the same links is the picture's text equivalent.
Both are cached whole (partnerships.pictures), once per content version and language:
the words and the names are in the page's language (names as `entry.localized`
reads them, from the same rows), and on a right-to-left page the picture is
mirrored, as charts.Direction draws every picture.
"""

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace

import networkx as nx
from django.db.models import Count, F, Q, Window
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import (
    get_language,
    gettext_lazy,
    ngettext,
    npgettext,
    pgettext,
    pgettext_lazy,
)
from django.utils.translation import gettext as _

from . import pictures
from .charts import Direction, coordinate, in_words, svg_text
from .links import slug_url
from .models import (
    CountOf,
    EngagementPartner,
    EngagementPerson,
    Partner,
    Person,
    Position,
    Procurement,
)
from .translations import Localized

# At most this many partners and people on /network/: with generated data there are
# thousands, and a picture of them all is unreadable. The best-linked are drawn.
PARTNERS_DRAWN = 45
PEOPLE_DRAWN = 15
# At most this many neighbours (partners and people) around a partner on its page.
NEIGHBOURS_DRAWN = 20
# The grouped rows read to choose the people: bounded, so the reading is too.
LINK_ROWS_READ = 500
SEED = 20240412  # spring_layout's: the same data, the same picture
RING = 16  # partners in each ring of the layout's start
SPRING_K, SPRING_ITERATIONS = 2.0, 100

WIDTH, HEIGHT = 960, 720  # /network/'s viewBox; CSS scales it to its container
NEIGHBOURHOOD_WIDTH, NEIGHBOURHOOD_HEIGHT = 760, 460
MARGIN_X, MARGIN_Y = 130, 36  # room for the labels beside and below the nodes
# What a partner's node is drawn from: one row of a partner with its counts.
PARTNER_NODE = (
    "pk",
    "name",
    "name_fr",
    "name_ar",
    "country_code",
    "slug",
    "kind",
    "short_name",
    "agreement_count",
    "exercise_count",
    "equipment_count",
    "engagement_count",
)
MIN_HEIGHT = 160  # a neighbourhood cropped to its nodes is never flatter than this
LABEL_CHARS = 24
LINE_GAP = 4.0  # between the parallel lines of two nodes linked in several ways


def _listed_agreements(n):
    return npgettext(
        "a count in the network's table, then what it counts",
        "agreement of {a} and {b}, listed",
        "agreements of {a} and {b}, listed",
        n,
    )


def _listed_exercises(n):
    return npgettext(
        "a count in the network's table, then what it counts",
        "exercise of {a} and {b}, listed",
        "exercises of {a} and {b}, listed",
        n,
    )


def _listed_equipment(n):
    return npgettext(
        "a count in the network's table, then what it counts",
        "equipment deal of {a} and {b}, listed",
        "equipment deals of {a} and {b}, listed",
        n,
    )


def _listed_engagements(n):
    return npgettext(
        "a count in the network's table, then what it counts",
        "engagement of {a} and {b}, listed",
        "engagements of {a} and {b}, listed",
        n,
    )


def _listed_positions(n):
    return npgettext(
        "a count in the network's table, then what it counts",
        "position of {a} and {b}, listed",
        "positions of {a} and {b}, listed",
        n,
    )


@dataclass(frozen=True)
class LinkKind:
    name: str  # the CSS class's suffix: network-link-<name>
    legend: str  # the key's words
    short: str  # the table's
    # n -> the words after a count of n of them that link to a list: "agreements of
    # {a} and {b}, listed"; None where no list shows them.
    listed: object = None


LINK_KINDS = {
    kind.name: kind
    for kind in (
        LinkKind(
            "agreements",
            pgettext_lazy("the network's key", "Agreements"),
            pgettext_lazy("the network's table", "Agreements"),
            _listed_agreements,
        ),
        LinkKind(
            "exercises",
            pgettext_lazy("the network's key", "Exercises"),
            pgettext_lazy("the network's table", "Exercises"),
            _listed_exercises,
        ),
        LinkKind(
            "equipment",
            pgettext_lazy("the network's key", "Equipment deals (supplying country or maker)"),
            pgettext_lazy("the network's table", "Equipment deals"),
            _listed_equipment,
        ),
        LinkKind(
            "engagements",
            pgettext_lazy(
                "the network's key", "Engagements (visits, meetings, statements, courses)"
            ),
            pgettext_lazy("the network's table", "Engagements"),
            _listed_engagements,
        ),
        LinkKind(
            "home",
            pgettext_lazy("the network's key", "A company's home country"),
            pgettext_lazy("the network's table", "Home country"),
        ),
        LinkKind(
            "positions",
            pgettext_lazy("the network's key", "Positions held"),
            pgettext_lazy("the network's table", "Positions"),
            _listed_positions,
        ),
    )
}
KIND_ORDER = {name: number for number, name in enumerate(LINK_KINDS)}

# How each kind of node is drawn and named in the key; shape as well as colour.
NODE_KINDS = {
    "morocco": (pgettext_lazy("the network's key", "Morocco, the subject of this wiki"), "circle"),
    Partner.Kind.COUNTRY: (pgettext_lazy("the network's key", "Country"), "circle"),
    Partner.Kind.ORGANIZATION: (
        pgettext_lazy("the network's key", "Alliance or international organization"),
        "square",
    ),
    Partner.Kind.COMPANY: (pgettext_lazy("the network's key", "Defense company"), "diamond"),
    "person": (pgettext_lazy("the network's key", "Person"), "ring"),
}
MOROCCO = gettext_lazy("Morocco")


@dataclass(frozen=True)
class Node:
    key: str  # "morocco", "partner:12", "person:3"
    kind: str  # a key of NODE_KINDS
    name: str  # in the page's language where it has one: a translations.Localized
    slug: str
    url: str
    short_name: str = ""
    links: int = 0  # how many links it has in all, which sizes it

    @property
    def kind_label(self):
        return NODE_KINDS[self.kind][0]

    @property
    def label(self):
        """What the picture writes: the short name when there is one, unless the name is
        in the page's language and short enough (the short name, as stored, is English)."""
        name = self.short_name if self._short_label else self.name
        return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"

    @property
    def _short_label(self):
        return bool(self.short_name) and not (
            self._name_in_page_language and len(self.name) <= LABEL_CHARS
        )

    @property
    def _name_in_page_language(self):
        language = get_language() or "en"
        return language != "en" and getattr(self.name, "lang", "en") == language

    @property
    def label_is_english(self):
        """Whether the label is English text on a French or Arabic page."""
        if (get_language() or "en") == "en":
            return False
        return self._short_label or not self._name_in_page_language

    @property
    def full_name(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


@dataclass(frozen=True)
class Link:
    """One line of the picture and one row of its table: `source` is the end nearer the
    centre (Morocco, then the best-linked partners, then people)."""

    source: Node
    target: Node
    kind: str  # a key of LINK_KINDS
    count: int
    url: str = ""  # the list of exactly these entries, where the lists can filter so

    @property
    def kind_label(self):
        return LINK_KINDS[self.kind].short

    @property
    def listed(self):
        """The words after its count in the table, for a screen reader: "agreements of
        Morocco and Spain, listed"."""
        words = LINK_KINDS[self.kind].listed
        if words is None:
            return ""
        return format_html(
            words(self.count),
            a=format_html("<bdi>{}</bdi>", self.source.name),
            b=format_html("<bdi>{}</bdi>", self.target.name),
        )


@dataclass(frozen=True)
class Picture:
    """What a page shows of a network: the SVG, its table's rows, and what was left out."""

    id: str
    subject: str  # whose network: "Morocco", or the partner's name
    title: str
    description: str
    svg: SafeString
    links: tuple
    # A sentence with a link for each thing not drawn, as HTML.
    more: tuple = ()
    partners_shown: int = 0
    partners_total: int = 0
    people_shown: int = 0
    people_total: int = 0
    link_kinds: tuple = field(default_factory=tuple)  # (KeyLine, …)
    node_kinds: tuple = field(default_factory=tuple)  # ((kind, label, shape), …)

    @property
    def partners_counted(self):
        """ "4 partners" drawn, for the page's description."""
        return ngettext("%(count)s partner", "%(count)s partners", self.partners_shown) % {
            "count": self.partners_shown
        }

    @property
    def people_counted(self):
        return ngettext("%(count)s person", "%(count)s people", self.people_shown) % {
            "count": self.people_shown
        }

    @property
    def partners_drawn(self):
        """ "4 of 5 partners": how many of them all are drawn."""
        return ngettext(
            "%(shown)s of %(total)s partner",
            "%(shown)s of %(total)s partners",
            self.partners_total,
        ) % {"shown": self.partners_shown, "total": self.partners_total}

    @property
    def people_drawn(self):
        return ngettext(
            "%(shown)s of %(total)s person", "%(shown)s of %(total)s people", self.people_total
        ) % {"shown": self.people_shown, "total": self.people_total}


@dataclass(frozen=True)
class KeyLine:
    """A kind of line as the key names it: its CSS class's suffix and its words."""

    name: str
    legend: str


# -- the whole network ------------------------------------------------------------


def network(request):
    """/network/: the whole network, the best-linked partners and people."""
    bounds = (PARTNERS_DRAWN, PEOPLE_DRAWN)
    picture = pictures.cached(
        "network", (*bounds, get_script_prefix()), lambda: whole_network(*bounds)
    )
    return render(request, "partnerships/network.html", {"picture": picture})


def whole_network(partners_drawn, people_drawn):
    """The Picture of Morocco's network: eight queries for any amount of data."""
    morocco = _morocco()
    partner_rows = list(
        Partner.objects.with_counts()
        .annotate(
            engagement_count=CountOf(EngagementPartner, "partner"),
            official_count=CountOf(Position, "partner"),
            company_count=CountOf(Partner, "parent"),
        )
        .annotate(
            links=F("agreement_count")
            + F("exercise_count")
            + F("equipment_count")
            + F("engagement_count")
            + F("official_count")
            + F("company_count"),
            partners_total=Window(Count("pk")),
        )
        .order_by("-links", "name", "pk")
        .values(*PARTNER_NODE, "links", "partners_total")[:partners_drawn]
    )
    partners_total = partner_rows[0]["partners_total"] if partner_rows else 0
    people_total = Person.objects.count()
    # A partner with nothing on record links to nothing: it is left out, not drawn alone.
    partner_rows = [row for row in partner_rows if row["links"]]
    partners = {row["pk"]: _partner_node(row) for row in partner_rows}
    ids = list(partners)

    links = []
    for row in partner_rows:
        links += _morocco_links(morocco, partners[row["pk"]], row)
    for company, country in Partner.objects.filter(pk__in=ids, parent__in=ids).values_list(
        "pk", "parent"
    ):
        links.append(Link(partners[company], partners[country], "home", 1))
    supplied = (
        Procurement.objects.filter(supplier__in=ids, manufacturer__in=ids)
        .values("supplier", "manufacturer")
        .annotate(n=Count("pk"))
        .order_by("-n", "supplier", "manufacturer")[:LINK_ROWS_READ]
    )
    for row in supplied:
        links.append(
            Link(partners[row["supplier"]], partners[row["manufacturer"]], "equipment", row["n"])
        )

    people, people_links = _people(ids, people_drawn)
    for person_pk, partner_pk, kind, count in people_links:
        person = people[person_pk]
        if partner_pk is None:
            links.append(
                Link(morocco, person, kind, count, _filtered("engagement", person=person))
            )
            continue
        partner = partners[partner_pk]
        url = (
            _filtered("engagement", partner=partner, person=person)
            if kind == "engagements"
            else ""
        )
        links.append(Link(partner, person, kind, count, url))

    nodes = [morocco, *partners.values(), *people.values()]
    links = _in_order(nodes, links)
    title = _("Morocco's defense partner network")
    description = _(
        "Morocco at the centre, joined to %(partners)s and %(people)s by agreements, "
        "exercises, equipment deals, engagements, home countries and positions; a thicker "
        "line stands for more links. The table after the picture lists every line."
    ) % {
        "partners": ngettext("%(count)s partner", "%(count)s partners", len(partners))
        % {"count": len(partners)},
        "people": ngettext("%(count)s person", "%(count)s people", len(people))
        % {"count": len(people)},
    }
    positions = _spring(nodes, links)
    more = []
    if len(partners) < partners_total:
        more.append(
            format_html(
                _(
                    'The partners not drawn are in <a href="{url}">the list of all {count}, '
                    "sortable by their links</a>."
                ),
                url=reverse("partnerships:partner-list"),
                count=partners_total,
            )
        )
    if len(people) < people_total:
        more.append(
            format_html(
                _('The people not drawn are in <a href="{url}">the list of all {count}</a>.'),
                url=reverse("partnerships:person-list"),
                count=people_total,
            )
        )
    return Picture(
        id="network",
        subject=morocco.name,
        title=title,
        description=description,
        svg=_svg("network", title, description, nodes, links, positions, WIDTH, HEIGHT),
        links=tuple(links),
        more=tuple(more),
        partners_shown=len(partners),
        partners_total=partners_total,
        people_shown=len(people),
        people_total=people_total,
        link_kinds=_kinds_used(links),
        node_kinds=_node_kinds_used(nodes),
    )


def _people(partner_ids, people_drawn):
    """({pk: Node}, [(person, partner or None for Morocco, kind, count)]) of the
    `people_drawn` people with the most links to Morocco and the drawn partners."""
    by_position = (
        Position.objects.filter(partner__in=partner_ids)
        .values("person", "partner")
        .annotate(n=Count("pk"))
        .order_by("-n", "person", "partner")[:LINK_ROWS_READ]
    )
    with_partner = (
        EngagementPerson.objects.filter(engagement__partner_links__partner__in=partner_ids)
        .values("person", partner=F("engagement__partner_links__partner"))
        .annotate(n=Count("engagement", distinct=True))
        .order_by("-n", "person", "partner")[:LINK_ROWS_READ]
    )
    # Every engagement is Morocco's: taking part in one links a person to Morocco.
    with_morocco = (
        EngagementPerson.objects.values("person")
        .annotate(n=Count("pk"))
        .order_by("-n", "person")[:LINK_ROWS_READ]
    )
    rows = [(row["person"], row["partner"], "positions", row["n"]) for row in by_position]
    rows += [(row["person"], row["partner"], "engagements", row["n"]) for row in with_partner]
    rows += [(row["person"], None, "engagements", row["n"]) for row in with_morocco]
    score = defaultdict(int)
    for person, _partner, _kind, count in rows:
        score[person] += count
    chosen = sorted(score, key=lambda pk: (-score[pk], pk))[:people_drawn]
    people = {
        row["pk"]: _person_node(row["pk"], _person_name(row), row["slug"], score[row["pk"]])
        for row in Person.objects.filter(pk__in=chosen)
        .order_by("name", "pk")
        .values("pk", "name", "name_fr", "name_ar", "slug")
    }
    # In the order of their links: the best-linked nearer the top of the table.
    people = {pk: people[pk] for pk in chosen if pk in people}
    return people, [row for row in rows if row[0] in people]


# -- a partner's neighbourhood ------------------------------------------------------


def neighbourhood(partner):
    """The Picture of `partner`'s own links, cached per partner."""
    return pictures.cached(
        "neighbourhood",
        (partner.pk, NEIGHBOURS_DRAWN, get_script_prefix()),
        lambda: partner_network(partner.pk, NEIGHBOURS_DRAWN),
    )


def partner_network(pk, drawn):
    """The Picture of one partner, Morocco and what is linked to the partner, one hop:
    five queries for any amount of data, or one for a partner that no longer exists."""
    row = (
        Partner.objects.filter(pk=pk)
        .with_counts()
        .annotate(engagement_count=CountOf(EngagementPartner, "partner"))
        .values(
            *PARTNER_NODE,
            "parent",
            *(f"parent__{column}" for column in PARTNER_NODE[1:5]),
            "parent__slug",
            "parent__kind",
            "parent__short_name",
        )
        .first()
    )
    if row is None:
        return None
    morocco = _morocco()
    centre = replace(
        _partner_node(row),
        links=row["agreement_count"]
        + row["exercise_count"]
        + row["equipment_count"]
        + row["engagement_count"],
    )
    links = _morocco_links(morocco, centre, row)
    partners = {}  # pk: (Node, [(kind, count)])
    truncated = []

    if row["parent"] is not None:
        home = _partner_node(_prefixed(row, "parent", pk=row["parent"]))
        partners[home.key] = home
        links.append(Link(centre, home, "home", 1))
    columns = ("pk", "name", "name_fr", "name_ar", "country_code", "slug", "kind", "short_name")
    companies = list(
        Partner.objects.filter(parent=pk).order_by("name", "pk").values(*columns)[: drawn + 1]
    )
    if len(companies) > drawn:
        truncated.append(("companies", centre.url))
    for company in companies[:drawn]:
        node = _partner_node(company)
        partners[node.key] = node
        links.append(Link(centre, node, "home", 1))

    deals = list(
        Procurement.objects.filter(Q(supplier=pk, manufacturer__isnull=False) | Q(manufacturer=pk))
        .values(
            *(f"supplier__{c}" for c in columns),
            *(f"manufacturer__{c}" for c in columns),
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "supplier__name", "manufacturer__name")[: drawn + 1]
    )
    if len(deals) > drawn:
        truncated.append(("makers", _filtered("procurement", partner=centre)))
    for deal in deals[:drawn]:
        other = "manufacturer" if deal["supplier__pk"] == pk else "supplier"
        node = _partner_node(_prefixed(deal, other))
        node = partners.setdefault(node.key, node)
        links.append(Link(centre, node, "equipment", deal["n"]))

    person_columns = (
        "person",
        "person__name",
        "person__name_fr",
        "person__name_ar",
        "person__slug",
    )
    officials = list(
        Position.objects.filter(partner=pk)
        .values(*person_columns)
        .annotate(n=Count("pk"))
        .order_by("-n", "person__name", "person")[: drawn + 1]
    )
    if len(officials) > drawn:
        truncated.append(("officials", _filtered("person", partner=centre)))
    took_part = list(
        EngagementPerson.objects.filter(engagement__partner_links__partner=pk)
        .values(*person_columns)
        .annotate(n=Count("engagement", distinct=True))
        .order_by("-n", "person__name", "person")[: drawn + 1]
    )
    if len(took_part) > drawn:
        truncated.append(("engaged", _filtered("engagement", partner=centre)))
    people = {}
    person_links = []
    for kind, rows in (("positions", officials[:drawn]), ("engagements", took_part[:drawn])):
        for person_row in rows:
            node = people.get(person_row["person"]) or _person_node(
                person_row["person"],
                _person_name(_prefixed(person_row, "person")),
                person_row["person__slug"],
            )
            people[person_row["person"]] = node
            url = (
                _filtered("engagement", partner=centre, person=node)
                if kind == "engagements"
                else ""
            )
            person_links.append(Link(centre, node, kind, person_row["n"], url))

    # Partners first, then the people with the most links, to the bound.
    neighbours = [*partners.values()]
    score = defaultdict(int)
    for link in person_links:
        score[link.target.key] += link.count
    ranked = sorted(people.values(), key=lambda node: (-score[node.key], node.name, node.key))
    room = max(drawn - len(neighbours), 0)
    if len(neighbours) > drawn or len(ranked) > room:
        truncated.append(("officials", _filtered("person", partner=centre)))
    neighbours = neighbours[:drawn] + ranked[:room]
    kept = {node.key for node in neighbours} | {morocco.key, centre.key}
    links = [link for link in links + person_links if link.target.key in kept]
    nodes = [centre, morocco, *neighbours]
    links = _in_order(nodes, links)

    name = str(centre.name)
    title = _("Connections of %(name)s") % {"name": name}
    partners_shown = sum(1 for node in neighbours if node.kind != "person")
    people_shown = len(neighbours) - partners_shown
    joined = []
    if any(morocco in (link.source, link.target) for link in links):
        joined.append(pgettext("in a list of what a partner is joined to", "Morocco"))
    if partners_shown:
        joined.append(
            ngettext("%(count)s other partner", "%(count)s other partners", partners_shown)
            % {"count": partners_shown}
        )
    if people_shown:
        joined.append(
            ngettext("%(count)s person", "%(count)s people", people_shown)
            % {"count": people_shown}
        )
    description = (
        _(
            "%(name)s at the centre, joined to %(joined)s. The table after the picture lists "
            "every line."
        )
        % {"name": name, "joined": in_words(joined)}
        if joined
        else _("%(name)s: no links on record.") % {"name": name}
    )
    more = tuple(_not_drawn(what, url, drawn) for what, url in _unique(truncated))
    if len(links) == 0:
        svg = SafeString("")
    else:
        positions, height = _cropped(_shell(centre, [morocco, *neighbours]))
        svg = _svg(
            "connections", title, description, nodes, links, positions, NEIGHBOURHOOD_WIDTH, height
        )
    return Picture(
        id="connections",
        subject=centre.name,
        title=title,
        description=description,
        svg=svg,
        links=tuple(links),
        more=more,
        partners_shown=partners_shown,
        people_shown=people_shown,
        link_kinds=_kinds_used(links),
        node_kinds=_node_kinds_used(nodes) if links else (),
    )


def _not_drawn(what, url, drawn):
    """The sentence with a link to all of `what` a partner's picture leaves out."""
    if what == "companies":
        words = _(
            "Only the {count} best-linked neighbours are drawn; for all its companies, see "
            '<a href="{url}">its page</a>.'
        )
    elif what == "makers":
        words = _(
            "Only the {count} best-linked neighbours are drawn; for all its makers and "
            'suppliers, see <a href="{url}">its equipment deals</a>.'
        )
    elif what == "engaged":
        words = _(
            "Only the {count} best-linked neighbours are drawn; for all its people, see "
            '<a href="{url}">its engagements</a>.'
        )
    else:
        words = _(
            "Only the {count} best-linked neighbours are drawn; for all its people, see "
            '<a href="{url}">the people holding positions in it</a>.'
        )
    return format_html(words, count=drawn, url=url)


# -- nodes and links -------------------------------------------------------------------


def _morocco():
    name = Localized(str(MOROCCO), get_language() or "en")
    return Node("morocco", "morocco", name, "", reverse("partnerships:home"))


def _partner_name(row):
    """A partner's name in the page's language, from its row's PARTNER_NODE columns."""
    return Partner(
        name=row["name"],
        name_fr=row["name_fr"],
        name_ar=row["name_ar"],
        country_code=row["country_code"],
        kind=row["kind"],
    ).localized.name


def _person_name(row):
    return Person(name=row["name"], name_fr=row["name_fr"], name_ar=row["name_ar"]).localized.name


def _partner_node(row):
    return Node(
        f"partner:{row['pk']}",
        row["kind"],
        _partner_name(row),
        row["slug"],
        slug_url("partnerships:partner-detail", row["slug"]),
        row["short_name"],
        row.get("links", 0),
    )


def _person_node(pk, name, slug, links=0):
    return Node(
        f"person:{pk}",
        "person",
        name,
        slug,
        slug_url("partnerships:person-detail", slug),
        "",
        links,
    )


def _prefixed(row, prefix, **extra):
    """The columns of `row` named prefix__…, without the prefix: a joined partner's."""
    start = f"{prefix}__"
    found = {
        name.removeprefix(start): value for name, value in row.items() if name.startswith(start)
    }
    return {**found, **extra}


def _morocco_links(morocco, partner, row):
    counts = (
        ("agreements", row["agreement_count"], "agreement"),
        ("exercises", row["exercise_count"], "exercise"),
        ("equipment", row["equipment_count"], "procurement"),
        ("engagements", row["engagement_count"], "engagement"),
    )
    return [
        Link(morocco, partner, kind, count, _filtered(listed, partner=partner))
        for kind, count, listed in counts
        if count
    ]


def _filtered(listed, **nodes):
    """The address of the `listed` list filtered to these nodes (partner=, person=),
    which shows exactly the entries a link counts."""
    query = "&".join(f"{name}={node.slug}" for name, node in nodes.items())
    return f"{_list_url(listed, get_script_prefix(), get_language())}?{query}"


@functools.lru_cache(maxsize=32)
def _list_url(listed, prefix, language):
    # Once per list, script prefix and language (/fr/… has its own): a network links to
    # a list two hundred times.
    return reverse(f"partnerships:{listed}-list")


def _in_order(nodes, links):
    """The links in the table's order, each from its end nearer the top of `nodes`: by
    their ends' places, then kind."""
    place = {node.key: number for number, node in enumerate(nodes)}
    turned = [
        replace(link, source=link.target, target=link.source)
        if place[link.target.key] < place[link.source.key]
        else link
        for link in links
    ]
    return sorted(
        turned,
        key=lambda link: (place[link.source.key], place[link.target.key], KIND_ORDER[link.kind]),
    )


def _kinds_used(links):
    used = {link.kind for link in links}
    return tuple(
        KeyLine(name, str(kind.legend)) for name, kind in LINK_KINDS.items() if name in used
    )


def _node_kinds_used(nodes):
    used = {node.kind for node in nodes}
    return tuple(
        (kind, str(label), shape) for kind, (label, shape) in NODE_KINDS.items() if kind in used
    )


def _unique(pairs):
    seen = set()
    return [pair for pair in pairs if not (pair in seen or seen.add(pair))]


# -- layout ------------------------------------------------------------------------------


def _weights(links):
    """{(a, b): total count} per pair of nodes, whatever the kinds."""
    pairs = defaultdict(int)
    for link in links:
        pairs[(link.source.key, link.target.key)] += link.count
    return pairs


def _spring(nodes, links):
    """{key: (x, y)} in the viewBox, Morocco fixed at its centre.

    The spring layout starts from rings around Morocco (the best-linked partners
    nearest, people outermost), so that a star of many partners spreads out round
    the centre instead of bunching where its random start put it; the springs then
    draw linked nodes together (a company near its home country, a person near the
    partners they serve)."""
    graph = nx.Graph()
    graph.add_nodes_from(node.key for node in nodes)
    graph.add_edges_from(_weights(links))
    if len(graph) == 1:
        return {"morocco": (WIDTH / 2, HEIGHT / 2)}
    partners = [node.key for node in nodes if node.kind not in ("morocco", "person")]
    people = [node.key for node in nodes if node.kind == "person"]
    rings = [partners[start : start + RING] for start in range(0, len(partners), RING)]
    shells = [["morocco"], *rings, *([people] if people else [])]
    start = nx.shell_layout(graph, nlist=[shell for shell in shells if shell])
    layout = nx.spring_layout(
        graph,
        pos=start,
        fixed=["morocco"],
        k=SPRING_K / math.sqrt(len(graph)),
        iterations=SPRING_ITERATIONS,
        seed=SEED,
    )
    return _fitted(layout, "morocco", WIDTH, HEIGHT)


def _shell(centre, ring):
    graph_layout = nx.shell_layout(
        [centre.key, *(node.key for node in ring)],
        nlist=[[centre.key], [node.key for node in ring]],
        rotate=0,
    )
    return _fitted(graph_layout, centre.key, NEIGHBOURHOOD_WIDTH, NEIGHBOURHOOD_HEIGHT)


FLAT = 1e-6


def _cropped(positions, height=NEIGHBOURHOOD_HEIGHT):
    """The positions moved up and the picture's height cut to what they use: a partner
    with two neighbours, all on one line, is a strip, not a tall empty panel."""
    top = min(y for _, y in positions.values()) - MARGIN_Y
    bottom = max(y for _, y in positions.values()) + MARGIN_Y
    used = max(bottom - top, MIN_HEIGHT)
    if used >= height:
        return positions, height
    shift = top - (used - (bottom - top)) / 2
    return {key: (x, y - shift) for key, (x, y) in positions.items()}, used


def _fitted(layout, centre, width, height):
    """The layout stretched to fill the viewBox within its margins, `centre` in the middle."""
    cx, cy = layout[centre]
    reach_x = max((abs(x - cx) for x, _ in layout.values()), default=0)
    reach_y = max((abs(y - cy) for _, y in layout.values()), default=0)
    # An axis the nodes barely spread along (two neighbours either side of the
    # centre: a rounding error of a sine) is not stretched to fill the picture.
    scale_x = (width / 2 - MARGIN_X) / reach_x if reach_x > FLAT else None
    scale_y = (height / 2 - MARGIN_Y) / reach_y if reach_y > FLAT else None
    scale_x = scale_x or scale_y or 1
    scale_y = scale_y or scale_x
    # SVG's y runs down: a layout's "up" is drawn up.
    return {
        key: (width / 2 + (x - cx) * scale_x, height / 2 - (y - cy) * scale_y)
        for key, (x, y) in layout.items()
    }


# -- drawing -------------------------------------------------------------------------------


def _radius(node):
    if node.kind == "morocco":
        return 17
    if node.kind == "person":
        return 6
    return min(6 + 1.6 * math.sqrt(node.links), 14)


def _weight_class(count):
    return 1 if count == 1 else 2 if count <= 3 else 3 if count <= 9 else 4


def _svg(svg_id, title, description, nodes, links, positions, width, height):
    """The <svg>: a titled group of node links over the lines, which are decoration
    (the table lists them). Mirrored on a right-to-left page: laid out as on any other,
    each x is written through a charts.Direction."""
    direction = Direction(width)
    positions = {key: (direction.x(x), y) for key, (x, y) in positions.items()}
    lines = []
    by_pair = defaultdict(list)
    for link in links:
        by_pair[(link.source.key, link.target.key)].append(link)
    for (a, b), pair_links in by_pair.items():
        (x1, y1), (x2, y2) = positions[a], positions[b]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        # Several kinds between two nodes: parallel lines side by side.
        nx_, ny_ = -(y2 - y1) / length, (x2 - x1) / length
        for number, link in enumerate(pair_links):
            shift = (number - (len(pair_links) - 1) / 2) * LINE_GAP
            lines.append(
                format_html(
                    '<line class="network-link network-link-{} network-weight-{}" '
                    'x1="{}" y1="{}" x2="{}" y2="{}"/>',
                    link.kind,
                    _weight_class(link.count),
                    coordinate(x1 + nx_ * shift),
                    coordinate(y1 + ny_ * shift),
                    coordinate(x2 + nx_ * shift),
                    coordinate(y2 + ny_ * shift),
                )
            )
    centre_x = width / 2
    drawn = [
        _node(node, *positions[node.key], centre_x, direction)
        for node in nodes
        if node.key in positions
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="network-svg" viewBox="0 0 {} {}" '
        'direction="{}" role="group" aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<g class="network-links" aria-hidden="true">{}</g>'
        '<g class="network-nodes">{}</g></svg>',
        width,
        height,
        direction.name,
        svg_id,
        svg_id,
        svg_id,
        svg_text(title),
        svg_id,
        svg_text(description),
        mark_safe("".join(lines)),  # every part was built by format_html
        mark_safe("".join(drawn)),
    )


def _node(node, x, y, centre_x, direction):
    radius = _radius(node)
    shape = NODE_KINDS[node.kind][1]
    css = f"network-node network-node-{node.kind}"
    if shape == "square":
        mark = format_html(
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>',
            css,
            coordinate(x - radius * 0.9),
            coordinate(y - radius * 0.9),
            coordinate(radius * 1.8),
            coordinate(radius * 1.8),
        )
    elif shape == "diamond":
        r = radius * 1.15
        mark = format_html(
            '<polygon class="{}" points="{},{} {},{} {},{} {},{}"/>',
            css,
            coordinate(x),
            coordinate(y - r),
            coordinate(x + r),
            coordinate(y),
            coordinate(x),
            coordinate(y + r),
            coordinate(x - r),
            coordinate(y),
        )
    else:
        mark = format_html(
            '<circle class="{}" cx="{}" cy="{}" r="{}"/>',
            css,
            coordinate(x),
            coordinate(y),
            coordinate(radius),
        )
    # Beside the node, away from the centre, so labels spread out as the nodes do. The
    # CSS anchors a label by its class, at its start or end, which the svg's direction
    # turns: on a right-to-left picture a label's start is its right-hand end.
    if node.kind == "morocco" or abs(x - centre_x) < 40:
        side, label_x, label_y = "middle", x, y + radius + 14
    elif x > centre_x:  # the label runs rightwards from the node
        side, label_x, label_y = "end" if direction.rtl else "start", x + radius + 4, y + 4.5
    else:
        side, label_x, label_y = "start" if direction.rtl else "end", x - radius - 4, y + 4.5
    kind = (
        NODE_KINDS[node.kind][0].lower()
        if node.kind != "morocco"
        else pgettext("the Morocco node's tooltip", "the subject of this wiki")
    )
    return format_html(
        '<a href="{}" class="network-node-link"><title>{}</title>{}'
        '<text class="network-label network-label-{}{}" x="{}" y="{}"{}>{}</text></a>',
        node.url,
        pgettext("a node's tooltip in the network: its name and kind", "%(name)s, %(kind)s")
        % {"name": svg_text(node.full_name), "kind": kind},
        mark,
        side,
        " network-label-centre" if node.kind == "morocco" else "",
        coordinate(label_x),
        coordinate(label_y),
        mark_safe(' lang="en"') if node.label_is_english else "",
        direction.text(node.label),
    )
