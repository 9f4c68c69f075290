"""The partner box's suggestions: a small JSON answer for the script that fills the
box's list as a reader types, and the timeline's box, which takes a name too."""

import json

import pytest

from .conftest import make_agreement, make_partner, page_text

pytestmark = pytest.mark.django_db

URL = "/partners/suggest.json"


def suggest(client, text):
    response = client.get(URL, {"q": text})
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def test_it_suggests_partners_whose_name_starts_with_the_text_first(client):
    make_partner(name="Israel", slug="israel")
    make_partner(name="Israel Aerospace Industries", slug="iai", short_name="IAI", kind="company")
    make_partner(name="State of Israel Defense Forces", slug="idf", kind="organization")
    make_partner(name="Spain", slug="spain")

    response, data = suggest(client, "isr")

    assert response.status_code == 200
    assert data == {
        "partners": [
            {"name": "Israel", "slug": "israel"},
            {"name": "Israel Aerospace Industries", "slug": "iai"},
            {"name": "State of Israel Defense Forces", "slug": "idf"},
        ]
    }


def test_it_suggests_by_short_name_and_slug_too(client):
    make_partner(
        name="North Atlantic Treaty Organization",
        slug="north-atlantic-treaty-organization",
        short_name="NATO",
        kind="organization",
    )
    make_partner(name="United States", slug="united-states")

    assert suggest(client, "nat")[1]["partners"] == [
        {
            "name": "North Atlantic Treaty Organization",
            "slug": "north-atlantic-treaty-organization",
        }
    ]
    assert suggest(client, "united-st")[1]["partners"] == [
        {"name": "United States", "slug": "united-states"}
    ]


def test_it_suggests_at_most_ten(client):
    for number in range(15):
        make_partner(name=f"Company {number:02}", kind="company")

    names = [partner["name"] for partner in suggest(client, "company")[1]["partners"]]

    assert names == [f"Company {number:02}" for number in range(10)]


@pytest.mark.parametrize("text", ["", "   ", "%", "_", "zzz", ".*"])
def test_it_suggests_nothing_for_text_no_partner_matches(client, text):
    make_partner(name="Israel", slug="israel")

    response, data = suggest(client, text)

    assert response.status_code == 200
    assert data == {"partners": []}


def test_it_escapes_names_for_json_and_for_html(client):
    name = '<script>alert("x")</script> & \\ \u2028 ﷺ'
    make_partner(name=name, slug="odd")

    response, data = suggest(client, "<script>")

    assert data == {"partners": [{"name": name, "slug": "odd"}]}
    # Nothing an HTML parser could act on, should the answer ever be read as HTML.
    assert b"<" not in response.content
    assert b">" not in response.content
    assert b"&" not in response.content


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("isr\x00ael", "A partner's name cannot contain a NUL character."),
        ("x" * 201, "Type at most 200 characters of a partner's name (this has 201)."),
    ],
)
def test_it_refuses_bad_text_with_a_message(client, text, message):
    response, data = suggest(client, text)

    assert response.status_code == 400
    assert data == {"error": message}


def test_it_answers_only_reads(client):
    assert client.post(URL, {"q": "isr"}).status_code == 405
    assert client.head(URL, {"q": "isr"}).status_code == 200


@pytest.mark.parametrize("partners", [1, 50])
def test_it_suggests_in_one_query_however_many_partners_match(
    client, django_assert_num_queries, partners
):
    for number in range(partners):
        make_partner(name=f"Israel {number}")

    with django_assert_num_queries(1):
        response = client.get(URL, {"q": "israel"})
    assert len(json.loads(response.content)["partners"]) == min(partners, 10)


def test_it_asks_nothing_of_the_database_for_empty_text(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(URL, {"q": ""})


# -- the timeline's partner box ------------------------------------------------------------


@pytest.fixture
def israel_deal():
    israel = make_partner(name="Israel", slug="israel", aliases="State of Israel")
    make_agreement(
        title="Hermes agreement",
        parties=[israel],
        date="2021-01-01",
        date_precision="year",
    )
    make_agreement(title="Border security", date="2019-01-01", date_precision="year")


@pytest.mark.parametrize("typed", ["israel", "Israel", "ISRAEL", "state of israel"])
def test_it_filters_the_timeline_by_a_partner_named_any_way(client, israel_deal, typed):
    response = client.get("/timeline/", {"partner": typed})

    text = page_text(client.get(response["Location"]) if response.status_code == 302 else response)
    assert "Hermes agreement" in text
    assert "Border security" not in text


def test_it_offers_the_timeline_a_box_not_a_list_of_every_partner(client, israel_deal):
    make_partner(name="Unlisted partner")

    content = client.get("/timeline/").content.decode()

    assert "Unlisted partner" not in content
    assert '<input type="text" name="partner"' in content
    assert '<script src="/static/js/partner-suggestions.js" defer></script>' in content
