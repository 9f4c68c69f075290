"""The partner network: /network/ and a partner's neighbourhood ({% partner_neighbourhood %})."""

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from partnerships import network
from partnerships.models import Partner, Position

from .conftest import (
    count_queries,
    make_agreement,
    make_exercise,
    make_partner,
    make_procurement,
    page_text,
)
from .history_factories import make_engagement, make_person

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
MANY = 50
# Tables the network is read from: a request served from the picture cache reads none.
GRAPH_TABLES = re.compile(
    r"partnerships_(partner|agreement|exercise|procurement|person|position|engagement)",
)


@pytest.fixture
def world():
    """Morocco's partners of every kind, a company and its home country, a person with a
    position and an engagement: every kind of link once at least."""
    israel = make_partner(name="Israel", slug="israel")
    spain = make_partner(name="Spain", slug="spain")
    nato = make_partner(
        name="North Atlantic Treaty Organization",
        slug="nato",
        short_name="NATO",
        kind=Partner.Kind.ORGANIZATION,
    )
    iai = make_partner(
        name="Israel Aerospace Industries",
        slug="iai",
        short_name="IAI",
        kind=Partner.Kind.COMPANY,
        parent=israel,
    )
    make_agreement(parties=[israel, spain])
    make_agreement(parties=[israel])
    make_exercise(participants=[nato, spain])
    make_procurement(supplier=israel, manufacturer=iai)
    person = make_person(
        name="Jens Stoltenberg",
        slug="jens-stoltenberg",
        positions=[{"title": "Secretary General", "partner": nato}],
    )
    make_engagement(partners=[nato], people=[person])
    # Nothing on record links it: it is left out.
    make_partner(name="Egypt", slug="egypt")
    return {"israel": israel, "spain": spain, "nato": nato, "iai": iai, "person": person}


def svg_of(content):
    """The network's <svg> element, parsed: it must be well-formed XML."""
    markup = re.search(r"<svg xmlns=.*?</svg>", content, re.S).group(0)
    return ET.fromstring(markup)


def drawn_nodes(svg):
    """[(href, its title)] of the node links."""
    group = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "network-nodes")
    return [(a.get("href"), a.find(f"{SVG}title").text) for a in group.findall(f"{SVG}a")]


def drawn_lines(svg):
    """Counter of the lines' kinds."""
    kinds = Counter()
    for line in svg.iter(f"{SVG}line"):
        kind = re.search(r"network-link-(\w+)", line.get("class")).group(1)
        kinds[kind] += 1
    return kinds


def table_rows(content):
    """[(kind, [cell texts], [hrefs])] of the table of links."""
    rows = []
    for kind, body in re.findall(r'<tr class="network-row-(\w+)">(.*?)</tr>', content, re.S):
        cells = [
            " ".join(re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>', " ", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        ]
        rows.append((kind, cells, re.findall(r'href="([^"]+)"', body)))
    return rows


# -- /network/ ----------------------------------------------------------------------------


def test_it_draws_morocco_its_partners_companies_and_people_each_a_link(client, world):
    response = client.get("/network/")

    assert response.status_code == 200
    content = response.content.decode()
    nodes = dict(drawn_nodes(svg_of(content)))
    assert nodes == {
        "/": "Morocco, the subject of this wiki",
        "/partners/israel/": "Israel, country",
        "/partners/spain/": "Spain, country",
        "/partners/nato/": "North Atlantic Treaty Organization (NATO), "
        "alliance or international organization",
        "/partners/iai/": "Israel Aerospace Industries (IAI), defense company",
        "/people/jens-stoltenberg/": "Jens Stoltenberg, person",
    }
    assert "/partners/egypt/" not in content
    text = page_text(response)
    assert "Drawn: 4 of 5 partners and 1 of 1 person" in text
    assert 'href="/partners/">the list of all 5, sortable by their links</a>' in content


def test_its_svg_has_no_style_a_name_and_a_description(client, world):
    content = client.get("/network/").content.decode()
    svg = svg_of(content)

    assert 'style="' not in content and "<style" not in content
    assert not any(element.get("style") is not None for element in svg.iter())
    assert svg.get("role") == "group"
    assert svg.get("viewBox") == f"0 0 {network.WIDTH} {network.HEIGHT}"
    assert svg.find(f"{SVG}title").text == "Morocco's defense partner network"
    assert svg.find(f"{SVG}desc").text.startswith("Morocco at the centre, joined to 4 partners")
    assert svg.get("aria-labelledby") == "network-title"
    assert svg.get("aria-describedby") == "network-desc"
    # The lines are decoration beside the table; the node links are not hidden.
    hidden = [g for g in svg.iter(f"{SVG}g") if g.get("aria-hidden") == "true"]
    assert [g.get("class") for g in hidden] == ["network-links"]


def test_its_lines_are_styled_by_kind_and_weighted_by_how_many(client, world):
    svg = svg_of(client.get("/network/").content.decode())

    assert drawn_lines(svg) == {
        "agreements": 2,  # Israel (2), Spain (1)
        "exercises": 2,  # NATO, Spain
        "equipment": 3,  # Morocco–Israel, Morocco–IAI, Israel–IAI
        "engagements": 3,  # Morocco–NATO, NATO–Stoltenberg, Morocco–Stoltenberg
        "home": 1,  # IAI–Israel
        "positions": 1,  # Stoltenberg–NATO
    }
    classes = [line.get("class") for line in svg.iter(f"{SVG}line")]
    assert "network-link network-link-agreements network-weight-2" in classes  # Israel's 2
    assert "network-link network-link-agreements network-weight-1" in classes  # Spain's 1


def test_its_key_names_every_kind_of_line_and_node_drawn(client, world):
    content = client.get("/network/").content.decode()
    key = content.split('<figcaption class="network-key">')[1].split("</figcaption>")[0]

    for words in (
        "Agreements",
        "Exercises",
        "Equipment deals (supplying country or maker)",
        "Engagements (visits, meetings, statements, courses)",
        "A company&#x27;s home country",
        "Positions held",
        "Morocco, the subject of this wiki",
        "Country",
        "Alliance or international organization",
        "Defense company",
        "Person",
    ):
        assert words in key
    for kind in network.LINK_KINDS:
        assert f'class="network-link network-link-{kind} network-weight-2"' in key
    assert 'style="' not in key


def test_its_table_lists_the_same_links_as_the_picture(client, world):
    content = client.get("/network/").content.decode()
    rows = table_rows(content)

    assert Counter(kind for kind, _, _ in rows) == drawn_lines(svg_of(content))
    cells = [cells for _, cells, _ in rows]
    assert ["Morocco", "Israel", "Agreements", "2"] in cells
    assert ["Israel", "Israel Aerospace Industries", "Home country", "1"] in cells
    assert ["Israel", "Israel Aerospace Industries", "Equipment deals", "1"] in cells
    assert ["North Atlantic Treaty Organization", "Jens Stoltenberg", "Positions", "1"] in cells
    # Each end is a link to its page; a count links to the list of exactly what it counts.
    hrefs = {tuple(cells[:3]): links for _, cells, links in rows}
    assert hrefs[("Morocco", "Israel", "Agreements")] == [
        "/",
        "/partners/israel/",
        "/agreements/?partner=israel",
    ]
    assert hrefs[("North Atlantic Treaty Organization", "Jens Stoltenberg", "Engagements")] == [
        "/partners/nato/",
        "/people/jens-stoltenberg/",
        "/engagements/?partner=nato&amp;person=jens-stoltenberg",
    ]
    assert hrefs[("Morocco", "Jens Stoltenberg", "Engagements")][-1] == (
        "/engagements/?person=jens-stoltenberg"
    )
    # The counts lead to lists that show as many.
    assert len(client.get("/agreements/?partner=israel").context["rows"]) == 2


def test_it_escapes_names_and_isolates_their_direction(client):
    hostile = make_partner(name='<script>alert("x")</script> & co', slug="hostile")
    arabic = make_partner(name="جامعة الدول العربية", slug="arab-league", kind="organization")
    make_agreement(parties=[hostile, arabic])

    content = client.get("/network/").content.decode()

    assert "<script>" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in content
    assert '<a href="/partners/arab-league/"><bdi>جامعة الدول العربية</bdi></a>' in content
    svg_of(content)  # still well-formed


def test_it_lays_out_the_same_data_the_same_way(client, world):
    first = svg_of(client.get("/network/").content.decode())
    second = svg_of(client.get("/network/").content.decode())

    assert ET.tostring(first) == ET.tostring(second)


def test_it_draws_no_more_than_its_bounds_and_says_how_many(client, monkeypatch, world):
    monkeypatch.setattr(network, "PARTNERS_DRAWN", 2)
    monkeypatch.setattr(network, "PEOPLE_DRAWN", 1)
    make_person(slug="unlinked-official", positions=[{"title": "Minister", "body": "Ministry"}])
    for _ in range(3):  # Israel: 4 agreements, the best-linked
        make_agreement(parties=[world["israel"]])

    response = client.get("/network/")
    content = response.content.decode()

    # Israel (4 agreements, a deal, a company), NATO (an exercise, an engagement, an
    # official); not Spain (an agreement, an exercise) nor IAI (a deal).
    nodes = [href for href, _ in drawn_nodes(svg_of(content))]
    assert nodes == ["/", "/partners/israel/", "/partners/nato/", "/people/jens-stoltenberg/"]
    assert "Drawn: 2 of 5 partners and 1 of 2 people" in page_text(response)
    assert 'href="/people/">the list of all 2</a>' in content
    assert "/partners/spain/" not in content and "/partners/iai/" not in content


def test_it_says_so_when_nothing_is_linked(client):
    make_partner(name="Egypt", slug="egypt")

    response = client.get("/network/")

    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    assert "Nothing is linked yet" in page_text(response)


def test_it_reads_the_network_in_the_same_queries_for_1_or_50_of_everything(
    client, django_assert_num_queries, world
):
    few = count_queries(client, "/network/")
    source = world["israel"]
    for number in range(MANY):
        partner = make_partner()
        company = make_partner(kind=Partner.Kind.COMPANY, parent=partner)
        make_agreement(parties=[partner, source])
        make_exercise(participants=[partner])
        make_procurement(supplier=partner, manufacturer=company)
        person = make_person(positions=[{"title": "Envoy", "partner": partner}])
        make_engagement(partners=[partner, world["nato"]], people=[person])
        Position.objects.create(person=world["person"], title=f"Post {number}", partner=partner)

    with django_assert_num_queries(few):
        response = client.get("/network/")

    # The partners (counted and ranked), the people's total, the home countries, the
    # supplier–maker pairs, the people's positions, engagements with partners and
    # engagements in all, and the chosen people's names.
    assert few == 8
    svg = svg_of(response.content.decode())
    assert len(drawn_nodes(svg)) == 1 + network.PARTNERS_DRAWN + network.PEOPLE_DRAWN
    assert f"of {5 + 2 * MANY} partners" in page_text(response)


def test_with_the_picture_cache_a_second_request_reads_no_graph(client, settings, world):
    settings.PICTURE_CACHE_SECONDS = 60
    caches[settings.PAGE_CACHE_ALIAS].clear()
    first = client.get("/network/")

    with CaptureQueriesContext(connection) as queries:
        second = client.get("/network/")

    assert second.content == first.content
    assert [q["sql"] for q in queries if GRAPH_TABLES.search(q["sql"])] == []
    # A save draws it again.
    make_agreement(parties=[make_partner(name="Portugal", slug="portugal")])
    assert "/partners/portugal/" in client.get("/network/").content.decode()


# -- a partner's neighbourhood -----------------------------------------------------------


def neighbourhood(partner):
    template = Template("{% load network %}{% partner_neighbourhood partner %}")
    return template.render(Context({"partner": partner}))


def test_its_neighbourhood_is_a_section_with_the_partner_morocco_and_its_links(world):
    content = neighbourhood(world["israel"])

    assert content.strip().startswith('<section class="network-section"')
    assert 'aria-labelledby="connections-heading"' in content
    assert '<h2 id="connections-heading">Connections</h2>' in content
    svg = svg_of(content)
    assert svg.find(f"{SVG}title").text == "Connections of Israel"
    assert not any(element.get("style") is not None for element in svg.iter())
    assert dict(drawn_nodes(svg)) == {
        "/partners/israel/": "Israel, country",
        "/": "Morocco, the subject of this wiki",
        "/partners/iai/": "Israel Aerospace Industries (IAI), defense company",
    }
    rows = table_rows(content)
    assert Counter(kind for kind, _, _ in rows) == drawn_lines(svg)
    assert [cells for _, cells, _ in rows] == [
        ["Israel", "Morocco", "Agreements", "2"],
        ["Israel", "Morocco", "Equipment deals", "1"],
        ["Israel", "Israel Aerospace Industries", "Equipment deals", "1"],
        ["Israel", "Israel Aerospace Industries", "Home country", "1"],
    ]
    assert "Key: each node links to its page" in content


def test_its_neighbourhood_joins_people_by_position_and_engagement(world):
    content = neighbourhood(world["nato"])

    rows = [cells for _, cells, _ in table_rows(content)]
    assert ["North Atlantic Treaty Organization", "Jens Stoltenberg", "Engagements", "1"] in rows
    assert ["North Atlantic Treaty Organization", "Jens Stoltenberg", "Positions", "1"] in rows
    assert '<a href="/people/jens-stoltenberg/" class="network-node-link">' in content


def test_a_partner_with_no_links_has_a_section_that_says_so(world):
    content = neighbourhood(Partner.objects.get(slug="egypt"))

    assert "<svg" not in content
    assert "Connections" in content
    assert "No agreement, exercise, equipment deal, engagement, company or position" in content


def test_its_neighbourhood_costs_the_same_queries_for_1_or_50_neighbours(
    django_assert_num_queries, world
):
    israel = world["israel"]
    with CaptureQueriesContext(connection) as few:
        neighbourhood(israel)
    for _ in range(MANY):
        company = make_partner(kind=Partner.Kind.COMPANY, parent=israel)
        make_procurement(supplier=israel, manufacturer=company)
        make_person(positions=[{"title": "Attaché", "partner": israel}])
        make_engagement(partners=[israel], people=[make_person()])

    with django_assert_num_queries(len(few)):
        content = neighbourhood(israel)

    # The partner with its counts and home country, its companies, its makers and
    # suppliers, its officials, and the people in its engagements.
    assert len(few) == 5
    assert len(drawn_nodes(svg_of(content))) == 2 + network.NEIGHBOURS_DRAWN
    assert "Only the 20 best-linked neighbours are drawn" in content
    assert 'href="/people/?partner=israel"' in content


def test_its_neighbourhood_is_cached_per_partner(settings, world):
    settings.PICTURE_CACHE_SECONDS = 60
    caches[settings.PAGE_CACHE_ALIAS].clear()
    israel_first, nato_first = neighbourhood(world["israel"]), neighbourhood(world["nato"])

    with CaptureQueriesContext(connection) as queries:
        assert neighbourhood(world["israel"]) == israel_first
        assert neighbourhood(world["nato"]) == nato_first

    assert [q["sql"] for q in queries if GRAPH_TABLES.search(q["sql"])] == []
    assert israel_first != nato_first


def test_a_neighbourhood_on_one_line_is_a_strip_not_a_tall_panel(world):
    """NATO's two neighbours lie either side of it: the picture is cut to their height."""
    content = neighbourhood(world["nato"])
    height = float(re.search(r'viewBox="0 0 760 ([\d.]+)"', content).group(1))

    assert height < 200
    # Every node still lies inside it, its label below it included.
    picture = content[content.index('viewBox="0 0 760') :].split("</svg>")[0]
    centres = [float(y) for y in re.findall(r'<circle[^>]* cy="([\d.-]+)"', picture)]
    assert centres and all(20 <= y <= height - 20 for y in centres)
