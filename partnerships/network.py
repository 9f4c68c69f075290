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
Both are cached whole (partnerships.pictures), once per content version.
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

from . import pictures
from .charts import coordinate, svg_text
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


@dataclass(frozen=True)
class LinkKind:
    name: str  # the CSS class's suffix: network-link-<name>
    legend: str  # the key's words
    short: str  # the table's
    one: str
    many: str


LINK_KINDS = {
    kind.name: kind
    for kind in (
        LinkKind("agreements", "Agreements", "Agreements", "agreement", "agreements"),
        LinkKind("exercises", "Exercises", "Exercises", "exercise", "exercises"),
        LinkKind(
            "equipment",
            "Equipment deals (supplying country or maker)",
            "Equipment deals",
            "equipment deal",
            "equipment deals",
        ),
        LinkKind(
            "engagements",
            "Engagements (visits, meetings, statements, courses)",
            "Engagements",
            "engagement",
            "engagements",
        ),
        LinkKind("home", "A company's home country", "Home country", "", ""),
        LinkKind("positions", "Positions held", "Positions", "position", "positions"),
    )
}
KIND_ORDER = {name: number for number, name in enumerate(LINK_KINDS)}

# How each kind of node is drawn and named in the key; shape as well as colour.
NODE_KINDS = {
    "morocco": ("Morocco, the subject of this wiki", "circle"),
    Partner.Kind.COUNTRY: ("Country", "circle"),
    Partner.Kind.ORGANIZATION: ("Alliance or international organization", "square"),
    Partner.Kind.COMPANY: ("Defense company", "diamond"),
    "person": ("Person", "ring"),
}


@dataclass(frozen=True)
class Node:
    key: str  # "morocco", "partner:12", "person:3"
    kind: str  # a key of NODE_KINDS
    name: str
    slug: str
    url: str
    short_name: str = ""
    links: int = 0  # how many links it has in all, which sizes it

    @property
    def kind_label(self):
        return NODE_KINDS[self.kind][0]

    @property
    def label(self):
        """What the picture writes: the short name when there is one."""
        name = self.short_name or self.name
        return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"

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
    def words(self):
        """What is counted: "agreement", "engagements"; empty for a home country."""
        kind = LINK_KINDS[self.kind]
        return kind.one if self.count == 1 else kind.many

    @property
    def text(self):
        return f"{self.count} {self.words}".strip()


@dataclass(frozen=True)
class Picture:
    """What a page shows of a network: the SVG, its table's rows, and what was left out."""

    id: str
    subject: str  # whose network: "Morocco", or the partner's name
    title: str
    description: str
    svg: SafeString
    links: tuple
    # Sentences with a link each, for what is not drawn: [(before, link text, url)].
    more: tuple = ()
    partners_shown: int = 0
    partners_total: int = 0
    people_shown: int = 0
    people_total: int = 0
    link_kinds: tuple = field(default_factory=tuple)
    node_kinds: tuple = field(default_factory=tuple)


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
    title = "Morocco's defense partner network"
    description = (
        f"Morocco at the centre, joined to {_counted(len(partners), 'partner')} and "
        f"{_counted(len(people), 'person', 'people')} by agreements, exercises, equipment deals, "
        "engagements, home countries and positions; a thicker line stands for more links. "
        "The table after the picture lists every line."
    )
    positions = _spring(nodes, links)
    more = []
    if len(partners) < partners_total:
        more.append(
            (
                "The partners not drawn are in",
                f"the list of all {partners_total}, sortable by their links",
                reverse("partnerships:partner-list"),
            )
        )
    if len(people) < people_total:
        more.append(
            (
                "The people not drawn are in",
                f"the list of all {people_total}",
                reverse("partnerships:person-list"),
            )
        )
    return Picture(
        id="network",
        subject="Morocco",
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
    for person, _, _, count in rows:
        score[person] += count
    chosen = sorted(score, key=lambda pk: (-score[pk], pk))[:people_drawn]
    people = {
        row["pk"]: _person_node(row["pk"], row["name"], row["slug"], score[row["pk"]])
        for row in Person.objects.filter(pk__in=chosen)
        .order_by("name", "pk")
        .values("pk", "name", "slug")
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
            "parent__name",
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
    companies = list(
        Partner.objects.filter(parent=pk)
        .order_by("name", "pk")
        .values("pk", "name", "slug", "kind", "short_name")[: drawn + 1]
    )
    if len(companies) > drawn:
        truncated.append(("its companies", "its page", centre.url))
    for company in companies[:drawn]:
        node = _partner_node(company)
        partners[node.key] = node
        links.append(Link(centre, node, "home", 1))

    columns = ("pk", "name", "slug", "kind", "short_name")
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
        truncated.append(
            (
                "makers and suppliers",
                "its equipment deals",
                _filtered("procurement", partner=centre),
            )
        )
    for deal in deals[:drawn]:
        other = "manufacturer" if deal["supplier__pk"] == pk else "supplier"
        node = _partner_node(_prefixed(deal, other))
        node = partners.setdefault(node.key, node)
        links.append(Link(centre, node, "equipment", deal["n"]))

    person_columns = ("person", "person__name", "person__slug")
    officials = list(
        Position.objects.filter(partner=pk)
        .values(*person_columns)
        .annotate(n=Count("pk"))
        .order_by("-n", "person__name", "person")[: drawn + 1]
    )
    if len(officials) > drawn:
        truncated.append(
            ("people", "the people holding positions in it", _filtered("person", partner=centre))
        )
    took_part = list(
        EngagementPerson.objects.filter(engagement__partner_links__partner=pk)
        .values(*person_columns)
        .annotate(n=Count("engagement", distinct=True))
        .order_by("-n", "person__name", "person")[: drawn + 1]
    )
    if len(took_part) > drawn:
        truncated.append(("people", "its engagements", _filtered("engagement", partner=centre)))
    people = {}
    person_links = []
    for kind, rows in (("positions", officials[:drawn]), ("engagements", took_part[:drawn])):
        for person_row in rows:
            node = people.get(person_row["person"]) or _person_node(
                person_row["person"], person_row["person__name"], person_row["person__slug"]
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
        truncated.append(
            ("people", "the people holding positions in it", _filtered("person", partner=centre))
        )
    neighbours = neighbours[:drawn] + ranked[:room]
    kept = {node.key for node in neighbours} | {morocco.key, centre.key}
    links = [link for link in links + person_links if link.target.key in kept]
    nodes = [centre, morocco, *neighbours]
    links = _in_order(nodes, links)

    title = f"Connections of {row['name']}"
    partners_shown = sum(1 for node in neighbours if node.kind != "person")
    people_shown = len(neighbours) - partners_shown
    joined = ["Morocco"] if any(morocco in (link.source, link.target) for link in links) else []
    if partners_shown:
        joined.append(_counted(partners_shown, "other partner"))
    if people_shown:
        joined.append(_counted(people_shown, "person", "people"))
    description = (
        f"{row['name']} at the centre, joined to {_listed(joined)}. "
        "The table after the picture lists every line."
        if joined
        else f"{row['name']}: no links on record."
    )
    more = tuple(
        (f"Only the {drawn} best-linked neighbours are drawn; for all its {what}, see", text, url)
        for what, text, url in _unique(truncated)
    )
    if len(links) == 0:
        svg = SafeString("")
    else:
        positions, height = _cropped(_shell(centre, [morocco, *neighbours]))
        svg = _svg(
            "connections", title, description, nodes, links, positions, NEIGHBOURHOOD_WIDTH, height
        )
    return Picture(
        id="connections",
        subject=row["name"],
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


# -- nodes and links -------------------------------------------------------------------


def _morocco():
    return Node("morocco", "morocco", "Morocco", "", reverse("partnerships:home"))


def _partner_node(row):
    return Node(
        f"partner:{row['pk']}",
        row["kind"],
        row["name"],
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
    return f"{_list_url(listed, get_script_prefix())}?{query}"


@functools.lru_cache(maxsize=32)
def _list_url(listed, prefix):
    # Once per list and script prefix: a network links to a list two hundred times.
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
    return tuple(kind for name, kind in LINK_KINDS.items() if name in used)


def _node_kinds_used(nodes):
    used = {node.kind for node in nodes}
    return tuple(
        (kind, label, shape) for kind, (label, shape) in NODE_KINDS.items() if kind in used
    )


def _counted(number, one, many=None):
    return f"{number} {one if number == 1 else many or one + 's'}"


def _listed(words):
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)


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
    (the table lists them)."""
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
        _node(node, *positions[node.key], centre_x) for node in nodes if node.key in positions
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="network-svg" viewBox="0 0 {} {}" '
        'role="group" aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<g class="network-links" aria-hidden="true">{}</g>'
        '<g class="network-nodes">{}</g></svg>',
        width,
        height,
        svg_id,
        svg_id,
        svg_id,
        svg_text(title),
        svg_id,
        svg_text(description),
        mark_safe("".join(lines)),  # every part was built by format_html
        mark_safe("".join(drawn)),
    )


def _node(node, x, y, centre_x):
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
    # Beside the node, away from the centre, so labels spread out as the nodes do.
    if node.kind == "morocco" or abs(x - centre_x) < 40:
        side, label_x, label_y = "middle", x, y + radius + 14
    elif x > centre_x:
        side, label_x, label_y = "start", x + radius + 4, y + 4.5
    else:
        side, label_x, label_y = "end", x - radius - 4, y + 4.5
    return format_html(
        '<a href="{}" class="network-node-link"><title>{}, {}</title>{}'
        '<text class="network-label network-label-{}{}" x="{}" y="{}">{}</text></a>',
        node.url,
        svg_text(node.full_name),
        svg_text(
            node.kind_label.lower() if node.kind != "morocco" else "the subject of this wiki"
        ),
        mark,
        side,
        " network-label-centre" if node.kind == "morocco" else "",
        coordinate(label_x),
        coordinate(label_y),
        svg_text(node.label),
    )
