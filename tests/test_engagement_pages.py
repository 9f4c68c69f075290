"""Engagements' pages: an engagement with its partners and people taking part, each
with its markers, and the source's hedge shown as a hedge; the list, its filters
(partner, person, kind, hedge, years) and exports; the partner's page and timeline;
query counts that do not grow."""

import csv
import dataclasses
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships import views
from partnerships.dates import DatePrecision
from partnerships.models import Engagement, EngagementPartner, EngagementPerson

from .conftest import count_queries, make_citation, make_partner, make_source, page_text
from .history_factories import make_engagement, make_person

pytestmark = pytest.mark.django_db

MANY = 50
HOSTILE = '=cmd|" /C calc"!A0 <script>alert(1)</script>'


def month(year, number):
    return {"date": datetime.date(year, number, 1), "date_precision": DatePrecision.MONTH}


def wasmund_visit(**overrides):
    usa = make_partner(name="United States", slug="united-states")
    wasmund = make_person(name="Todd Wasmund", slug="todd-wasmund")
    visit = make_engagement(
        title="Todd Wasmund's visit to Morocco",
        slug="wasmund-visit",
        place="Rabat",
        hedge="reportedly",
        summary="He reportedly completed a two-day trip.[1]",
        partners=[(usa, "visitor")],
        people=[(wasmund, "visitor")],
        **{**month(2024, 2), **overrides},
    )
    return usa, wasmund, visit


def test_it_shows_an_engagement_with_its_hedge_partners_people_and_markers(client):
    usa, wasmund, visit = wasmund_visit()
    make_citation(
        visit,
        source=make_source(title="Military partnership grows"),
        facts=f"existence kind place partner:{usa.pk} person:{wasmund.pk}",
    )

    response = client.get("/engagements/wasmund-visit/")

    assert response.status_code == 200
    text = page_text(response)
    content = response.content.decode()
    # The hedge, shown as one, not as a plain fact.
    assert (
        "Reportedly The source does not assert this outright: it says it happened “reportedly”."
        in text
    )
    assert '<span class="hedge-badge">Reportedly</span>' in content
    assert "Kind Visit[1]" in text
    assert "Date February 2024[citation needed]" in text
    assert "Place Rabat[1]" in text
    assert "Partners taking part United States (visitor)[1]" in text
    assert "People taking part Todd Wasmund (visitor)[1]" in text
    assert '<a href="/people/todd-wasmund/">Todd Wasmund</a>' in content
    assert "partner and role: United States, person and role: Todd Wasmund" in text
    assert 'href="/engagements/wasmund-visit/history/"' in content


def test_an_asserted_engagement_shows_no_hedge(client):
    visit = make_engagement(title="Talks", place="")

    text = page_text(client.get(visit.get_absolute_url()))

    assert "does not assert" not in text and "Reportedly" not in text
    assert "Place unknown" in text
    assert "Partners taking part none recorded besides Morocco" in text


def test_an_engagement_page_escapes_what_it_shows(client):
    partner = make_partner(name=HOSTILE)
    visit = make_engagement(title=HOSTILE, place="<b>x</b>", hedge="<i>so</i>", partners=[partner])

    content = client.get(visit.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in content and "&lt;script&gt;" in content
    assert "<b>x</b>" not in content and "<i>so</i>" not in content


def test_it_answers_404_and_shows_an_engagement_as_of_a_date(client):
    wasmund_visit()

    assert client.get("/engagements/nothing/").status_code == 404
    response = client.get("/engagements/wasmund-visit/", {"as_of": "2099-12-31"})
    assert response.status_code == 200
    assert "as it stood on 31 December 2099" in page_text(response)
    assert client.get("/engagements/wasmund-visit/", {"as_of": "31/12"}).status_code == 400


def test_it_shows_an_engagement_in_the_same_queries_for_1_or_50_of_everything(
    client, django_assert_num_queries
):
    usa, _wasmund, visit = wasmund_visit()
    source = make_source()
    make_citation(visit, source=source, facts=f"partner:{usa.pk}")
    url = visit.get_absolute_url()
    queries = count_queries(client, url)

    for _ in range(MANY - 1):
        partner, person = make_partner(), make_person()
        EngagementPartner.objects.create(engagement=visit, partner=partner, role="host")
        EngagementPerson.objects.create(engagement=visit, person=person, role="host")
        make_citation(visit, source=source, facts=f"partner:{partner.pk} person:{person.pk}")

    with django_assert_num_queries(queries):
        response = client.get(url)

    # The engagement, its partners, its people, footnotes and the last change.
    assert queries == 5
    text = page_text(response)
    assert text.count("(host)[") == 2 * (MANY - 1)
    assert response.content.decode().count('<li id="cite-') == MANY


# -- the list ----------------------------------------------------------------------------


@pytest.fixture
def engagements():
    usa, wasmund, _visit = wasmund_visit()
    nato = make_partner(name="NATO", slug="nato", kind="organization")
    make_engagement(
        title="Counter-terrorism discussions",
        kind=Engagement.Kind.MEETING,
        partners=[nato],
        **month(2019, 6),
    )
    make_engagement(title="Atlantic initiative", kind=Engagement.Kind.INITIATIVE)
    return usa, wasmund, nato


def titles(response):
    return [row.title for row in response.context["rows"]]


def test_it_lists_engagements_newest_first_with_the_hedge_shown(client, engagements):
    response = client.get("/engagements/")

    assert titles(response) == [
        "Todd Wasmund's visit to Morocco",
        "Counter-terrorism discussions",
        "Atlantic initiative",
    ]
    text = page_text(response)
    assert (
        "Todd Wasmund's visit to Morocco Reportedly Visit February 2024 Rabat "
        "United States (visitor)" in text
    )
    assert "Atlantic initiative Initiative unknown unknown none recorded" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"partner": "nato"}, ["Counter-terrorism discussions"]),
        ({"person": "todd-wasmund"}, ["Todd Wasmund's visit to Morocco"]),
        ({"kind": "initiative"}, ["Atlantic initiative"]),
        ({"hedged": "hedged"}, ["Todd Wasmund's visit to Morocco"]),
        ({"hedged": "asserted"}, ["Counter-terrorism discussions", "Atlantic initiative"]),
        ({"year_from": "2020"}, ["Todd Wasmund's visit to Morocco"]),
        ({"year_to": "2020"}, ["Counter-terrorism discussions"]),
        ({"q": "rabat"}, ["Todd Wasmund's visit to Morocco"]),
        (
            {"sort": "title"},
            [
                "Atlantic initiative",
                "Counter-terrorism discussions",
                "Todd Wasmund's visit to Morocco",
            ],
        ),
    ],
)
def test_it_filters_engagements(client, engagements, query, expected):
    response = client.get("/engagements/", query)

    assert response.status_code == 200
    assert titles(response) == expected


def test_it_takes_a_person_by_name_and_addresses_them_by_slug(client, engagements):
    response = client.get("/engagements/", {"person": "todd wasmund"})

    assert response.status_code == 302
    assert response["Location"] == "/engagements/?person=todd-wasmund"


GARBAGE = ["abc", "<script>alert(1)</script>", "x" * 5000, "\x00", "-1", "2024.5", "ﷺ🙂"]
PARAMETERS = ["q", "partner", "person", "kind", "hedged", "year_from", "year_to", "sort", "page"]


@pytest.mark.parametrize("name", [*PARAMETERS, "format", "other"])
def test_it_answers_garbage_in_every_parameter_with_a_message_not_an_error(
    client, engagements, name
):
    for value in GARBAGE:
        response = client.get("/engagements/", {name: value})

        assert response.status_code in (200, 400), (name, value)
        content = response.content.decode()
        assert "<script>alert(1)</script>" not in content and "\x00" not in content
        if response.status_code == 400:
            assert 'role="alert"' in content


def test_it_explains_an_unknown_person_and_a_year_that_is_not_one(client):
    response = client.get("/engagements/", {"person": "nobody", "year_from": "abc"})

    assert response.status_code == 400
    text = page_text(response)
    assert "There is no person with this name in the wiki." in text
    assert "Enter a year, such as 2022." in text
    assert response.context["rows"] == []


def _body(response):
    return b"".join(response.streaming_content).decode()


def test_it_exports_the_filtered_engagements_with_hedge_and_citations(client, engagements):
    usa, wasmund, _ = engagements
    visit = Engagement.objects.get(slug="wasmund-visit")
    make_citation(visit, facts=f"existence partner:{usa.pk} person:{wasmund.pk}", note=HOSTILE)

    data = json.loads(_body(client.get("/engagements/?format=json&hedged=hedged")))

    (row,) = data["engagements"]
    assert data["count"] == 1
    assert (row["date"], row["date_as_stated"], row["hedge"]) == (
        "2024-02",
        "February 2024",
        "reportedly",
    )
    assert row["partners"] == ["United States (visitor)"]
    assert row["people"] == ["Todd Wasmund (visitor)"]
    (citation,) = row["citations"]
    assert citation["fact_labels"] == [
        "existence of the entry",
        "partner and role: United States",
        "person and role: Todd Wasmund",
    ]
    assert citation["note"] == HOSTILE


def test_it_defuses_formulas_and_keeps_markup_as_text_in_exports(client):
    make_engagement(title=HOSTILE, place="@SUM(A1)", summary="<script>x</script>")

    lines = list(csv.reader(io.StringIO(_body(client.get("/engagements/?format=csv")))))
    data = json.loads(_body(client.get("/engagements/?format=json")))

    row = dict(zip(lines[1], lines[2], strict=True))
    assert row["title"] == "'" + HOSTILE
    assert row["place"] == "'@SUM(A1)"
    assert data["engagements"][0]["title"] == HOSTILE
    assert data["engagements"][0]["summary"] == "<script>x</script>"


def _engagement_row():
    make_citation(
        make_engagement(partners=[make_partner()], people=[make_person()], **month(2022, 1))
    )


@pytest.mark.parametrize("query", ["", "?format=csv", "?format=json", "?kind=visit&sort=-date"])
def test_it_lists_and_exports_engagements_in_the_same_queries_for_1_or_50_rows(
    client, django_assert_num_queries, query
):
    _engagement_row()
    url = "/engagements/" + query

    def read():
        response = client.get(url)
        if response.streaming:
            response.body = _body(response)
        return response

    read()
    with CaptureQueriesContext(connection) as captured:
        read()
    for _ in range(MANY - 1):
        _engagement_row()
    with django_assert_num_queries(len(captured)):
        response = read()

    assert response.status_code == 200
    if query.startswith("?format"):
        assert response.body.count("http://testserver/engagements/") >= MANY
    else:
        assert len(response.context["rows"]) == 25


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_of_engagements_costs_the_same_queries_for_each_chunk(client, monkeypatch, fmt):
    monkeypatch.setattr(
        views, "ENGAGEMENTS", dataclasses.replace(views.ENGAGEMENTS, export_chunk=2)
    )
    measured = []
    for _ in range(6):
        _engagement_row()
        with CaptureQueriesContext(connection) as captured:
            _body(client.get(f"/engagements/?format={fmt}"))
        measured.append(len(captured))

    # Each chunk of 2 rows: its partners, its people and its citations.
    base = measured[0] - 3
    assert measured == [base + 3 * ((n + 1) // 2) for n in range(1, 7)]


def test_a_list_of_engagements_reads_no_summary(client):
    _engagement_row()

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/engagements/")

    assert response.context["rows"]
    assert not [q["sql"] for q in captured if '"summary"' in q["sql"]]


# -- the partner's page ------------------------------------------------------------------


def test_a_partner_page_shows_its_engagements_and_puts_them_on_its_timeline(client):
    usa, _, _visit = wasmund_visit()
    make_engagement(title="Undated statement", kind="statement", partners=[(usa, "speaker")])

    response = client.get("/partners/united-states/")

    text = page_text(response)
    assert "Engagements (2)" in text
    assert "Todd Wasmund's visit to Morocco Reportedly — visit, February 2024; as visitor" in text
    assert "Undated statement — statement, undated; as speaker or author" in text
    # Drawn to scale first, the undated statement listed beside the axis; then the list.
    chart, timeline = text[text.index("Timeline Skip the chart") :].split(
        "Not on the axis, as no year is stated: Undated statement (no date stated)"
    )
    assert "February 2024: Todd Wasmund's visit to Morocco" in chart
    assert (
        "February 2024 Visit (reportedly), in Rabat: Todd Wasmund's visit to Morocco" in timeline
    )
    assert "Undated statement" not in timeline.split("See this timeline")[0]


def test_a_busy_partners_page_links_to_all_its_engagements(client, django_assert_num_queries):
    usa, _, _ = wasmund_visit()
    url = "/partners/united-states/"
    queries = count_queries(client, url)

    for number in range(MANY - 1):
        make_engagement(partners=[usa], **month(2000 + number % 20, 1 + number % 12))

    with django_assert_num_queries(queries):
        response = client.get(url)

    text = page_text(response)
    assert f"Engagements ({MANY})" in text
    assert "The latest 10, newest first." in text
    assert (
        f'href="/engagements/?partner=united-states">All {MANY} engagements'
        in response.content.decode()
    )
