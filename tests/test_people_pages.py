"""People's pages: a person with their positions and engagements, each position with
its footnote markers; the list of people, its filters and exports; the partner's
page naming the people who hold positions in it; query counts that do not grow."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.dates import DatePrecision
from partnerships.models import Engagement, EngagementPerson, Position

from .conftest import (
    count_queries,
    make_citation,
    make_partner,
    make_source,
    page_text,
)
from .history_factories import make_engagement, make_person

pytestmark = pytest.mark.django_db

MANY = 50
HOSTILE = '=cmd|" /C calc"!A0 <script>alert(1)</script>'


def year(value):
    return {f"{value}_date": datetime.date(2014, 1, 1), f"{value}_date_precision": "year"}


def stoltenberg():
    nato = make_partner(name="NATO", slug="nato", kind="organization")
    person = make_person(
        name="Jens Stoltenberg",
        slug="jens-stoltenberg",
        summary="Secretary General of NATO.[1]",
        positions=[
            {"title": "Secretary General", "partner": nato, **year("start")},
            {
                "title": "Prime Minister",
                "body": "Norway",
                "start_date": datetime.date(2005, 10, 1),
                "start_date_precision": DatePrecision.MONTH,
                "end_date": datetime.date(2013, 1, 1),
                "end_date_precision": DatePrecision.YEAR,
            },
        ],
    )
    general, premier = Position.objects.filter(person=person).order_by("pk")
    return nato, person, general, premier


def test_it_shows_a_person_with_each_position_and_its_markers(client):
    _nato, person, general, _premier = stoltenberg()
    source = make_source(title="What is NATO's strategy")
    make_citation(person, source=source, facts=f"existence name position:{general.pk}")

    response = client.get("/people/jens-stoltenberg/")

    assert response.status_code == 200
    text = page_text(response)
    content = response.content.decode()
    assert "Person Jens Stoltenberg" in text
    assert "Name Jens Stoltenberg[1]" in text
    # Newest first, each at its precision, the partner linked, the body in words.
    assert "Secretary General, NATO (from 2014)[1]" in text
    assert "Prime Minister, Norway (from October 2005 to 2013)[citation needed]" in text
    assert '<a href="/partners/nato/">NATO</a>' in content
    assert text.index("Secretary General") < text.index("Prime Minister")
    assert "States: existence of the entry, name, position: Secretary General, NATO" in text
    assert "History of this page" in text
    assert 'href="/people/jens-stoltenberg/history/"' in content
    assert "Last changed" in text


def test_it_lists_the_engagements_a_person_took_part_in_with_their_role(client):
    _, person, _, _ = stoltenberg()
    make_engagement(
        title="Annual report",
        kind=Engagement.Kind.STATEMENT,
        date=datetime.date(2023, 3, 1),
        date_precision=DatePrecision.MONTH,
        people=[(person, "speaker")],
    )
    make_engagement(title="Talks in Rabat", hedge="reportedly", people=[person])

    text = page_text(client.get(person.get_absolute_url()))

    assert "Annual report — statement, March 2023; as speaker or author" in text
    assert "Talks in Rabat Reportedly — visit, undated; role not stated" in text


def test_a_person_page_escapes_what_it_shows(client):
    person = make_person(name=HOSTILE, positions=[{"title": "<b>Chief</b>", "body": "<i>x"}])
    make_citation(person)

    content = client.get(person.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content
    assert "<b>Chief</b>" not in content and "&lt;b&gt;Chief&lt;/b&gt;, &lt;i&gt;x" in content


def test_it_answers_404_for_an_unknown_person(client):
    assert client.get("/people/no-such-person/").status_code == 404


def test_it_shows_a_person_as_of_a_date(client):
    stoltenberg()

    response = client.get("/people/jens-stoltenberg/", {"as_of": "2099-01-01"})
    too_early = client.get("/people/jens-stoltenberg/", {"as_of": "1999-01-01"})
    not_a_date = client.get("/people/jens-stoltenberg/", {"as_of": "<script>"})

    assert response.status_code == 200
    assert "Jens Stoltenberg as it stood on 1 January 2099" in page_text(response)
    assert too_early.status_code == 404
    assert not_a_date.status_code == 400
    assert "<script>" not in not_a_date.content.decode()


def _assert_same_queries(client, django_assert_num_queries, url, grow):
    queries = count_queries(client, url)
    grow()
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    return response, queries


def test_it_shows_a_person_in_the_same_queries_for_1_or_50_of_everything(
    client, django_assert_num_queries
):
    nato, person, general, _ = stoltenberg()
    source = make_source()
    make_citation(person, source=source, facts=f"position:{general.pk}")
    make_engagement(people=[person], partners=[nato])

    def grow():
        for number in range(MANY):
            position = Position.objects.create(
                person=person, title=f"Post {number}", partner=nato if number % 2 else None
            )
            make_citation(person, source=source, facts=f"position:{position.pk}")
            make_engagement(people=[(person, "host")])

    response, queries = _assert_same_queries(
        client, django_assert_num_queries, person.get_absolute_url(), grow
    )

    # The person, positions, engagements, footnotes and the last change.
    assert queries == 5
    content = response.content.decode()
    assert content.count('<li id="cite-') == MANY + 1
    assert content.count("<li>Post ") == MANY
    assert f'href="/engagements/?person={person.slug}"' in content


# -- the list ----------------------------------------------------------------------------


def test_it_lists_people_with_their_positions_and_filters_them(client):
    _nato, person, _, _ = stoltenberg()
    make_person(name="Mohammed VI", positions=[{"title": "King", "body": "Morocco"}])
    make_engagement(people=[person])

    everyone = page_text(client.get("/people/"))
    at_nato = client.get("/people/", {"partner": "NATO"})
    by_text = page_text(client.get("/people/", {"q": "mohammed"}))

    assert "2 results" in everyone
    assert "Jens Stoltenberg Secretary General, NATO; Prime Minister, Norway 1" in everyone
    assert "Mohammed VI King, Morocco 0" in everyone
    # A partner typed by name is addressed by its slug.
    assert at_nato.status_code == 302
    assert at_nato["Location"] == "/people/?partner=nato"
    at_nato = page_text(client.get(at_nato["Location"]))
    assert "1 result matching the filters" in at_nato and "Mohammed" not in at_nato
    assert "1 result" in by_text and "Stoltenberg" not in by_text


def test_a_person_with_two_positions_in_a_partner_is_listed_once(client):
    nato = make_partner(name="NATO", slug="nato")
    make_person(
        positions=[{"title": "Deputy", "partner": nato}, {"title": "Head", "partner": nato}]
    )

    assert "1 result matching the filters" in page_text(client.get("/people/?partner=nato"))


GARBAGE = ["abc", "<script>alert(1)</script>", "x" * 5000, "\x00", "-1", "99999999999999999999"]


@pytest.mark.parametrize("name", ["q", "partner", "sort", "page", "format", "other"])
def test_it_answers_garbage_in_every_parameter_with_a_message_not_an_error(client, name):
    stoltenberg()

    for value in GARBAGE:
        response = client.get("/people/", {name: value})

        assert response.status_code in (200, 400), (name, value)
        content = response.content.decode()
        assert "<script>alert(1)</script>" not in content and "\x00" not in content
        if response.status_code == 400:
            assert 'role="alert"' in content


def test_it_explains_an_unknown_partner_beside_its_field(client):
    response = client.get("/people/", {"partner": "atlantis"})

    assert response.status_code == 400
    assert "There is no partner with this name in the wiki." in page_text(response)
    assert 'aria-describedby="id_partner_error"' in response.content.decode()


def test_it_exports_people_with_positions_and_citations_escaped(client):
    _nato, person, general, _ = stoltenberg()
    make_citation(person, facts=f"position:{general.pk}", note=HOSTILE)
    make_person(name=HOSTILE, slug="hostile")

    data = json.loads(b"".join(client.get("/people/?format=json").streaming_content))
    lines = list(
        csv.reader(
            io.StringIO(b"".join(client.get("/people/?format=csv").streaming_content).decode())
        )
    )

    rows = {row["name"]: row for row in data["people"]}
    jens = rows["Jens Stoltenberg"]
    assert jens["url"] == "http://testserver/people/jens-stoltenberg/"
    assert jens["positions"] == [
        "Secretary General, NATO (from 2014)",
        "Prime Minister, Norway (October 2005 to 2013)",
    ]
    (citation,) = jens["citations"]
    assert citation["facts"] == [f"position:{general.pk}"]
    assert citation["fact_labels"] == ["position: Secretary General, NATO (from 2014)"]
    assert rows[HOSTILE]["name"] == HOSTILE  # JSON keeps text exactly
    header, *cells = lines[1:]
    names = [dict(zip(header, row, strict=True))["name"] for row in cells]
    # A cell a spreadsheet would run as a formula is defused.
    assert "'" + HOSTILE in names
    assert "(" + HOSTILE not in "".join(line[0] for line in lines)


def test_it_exports_only_the_filtered_people(client):
    stoltenberg()
    make_person(name="Mohammed VI")

    data = json.loads(b"".join(client.get("/people/?format=json&partner=nato").streaming_content))

    assert [row["name"] for row in data["people"]] == ["Jens Stoltenberg"]
    assert data["count"] == 1 and data["filters"] == {"partner": "NATO"}


def _person_row():
    nato = make_partner()
    person = make_person(positions=[{"title": "Envoy", "partner": nato}, {"title": "Aide"}])
    make_citation(person)
    make_engagement(people=[person])


@pytest.mark.parametrize("query", ["", "?format=csv", "?format=json", "?q=person&sort=-name"])
def test_it_lists_and_exports_people_in_the_same_queries_for_1_or_50_rows(
    client, django_assert_num_queries, query
):
    _person_row()
    url = "/people/" + query

    def read():
        response = client.get(url)
        if response.streaming:
            response.body = b"".join(response.streaming_content)
        return response

    read()
    with CaptureQueriesContext(connection) as captured:
        read()
    for _ in range(MANY - 1):
        _person_row()
    with django_assert_num_queries(len(captured)):
        response = read()

    assert response.status_code == 200
    if query.startswith("?format"):
        assert response.body.count(b"http://testserver/people/") >= MANY
    else:
        assert len(response.context["rows"]) == 25


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_of_people_costs_the_same_queries_for_each_chunk(client, monkeypatch, fmt):
    import dataclasses

    from partnerships import views

    monkeypatch.setattr(views, "PEOPLE", dataclasses.replace(views.PEOPLE, export_chunk=2))
    measured = []
    for _ in range(6):
        _person_row()
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(f"/people/?format={fmt}").streaming_content)
        measured.append(len(captured))

    # Each chunk of 2 rows: its positions, engagements and citations.
    rows = range(1, 7)
    base = measured[0] - 3
    assert measured == [base + 3 * ((n + 1) // 2) for n in rows]


def test_a_list_of_people_reads_no_summary(client):
    _person_row()

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/people/")

    assert response.context["rows"]
    assert not [q["sql"] for q in captured if '"summary"' in q["sql"]]


# -- the partner's page ------------------------------------------------------------------


def test_a_partner_page_names_the_people_holding_positions_in_it(client):
    nato, _person, _, _ = stoltenberg()
    make_person(name="Mark Rutte", positions=[{"title": "Secretary General", "partner": nato}])

    text = page_text(client.get("/partners/nato/"))

    assert "People (2)" in text
    assert "Jens Stoltenberg — Secretary General (from 2014)" in text
    assert "Mark Rutte — Secretary General" in text
    assert "Prime Minister" not in text.split("People (2)")[1].split("Timeline")[0]


def test_a_partner_page_shows_its_people_in_the_same_queries_for_1_or_50(
    client, django_assert_num_queries
):
    nato = make_partner(name="NATO", slug="nato")
    make_person(positions=[{"title": "Envoy", "partner": nato}])

    def grow():
        for _ in range(MANY - 1):
            make_person(positions=[{"title": "Envoy", "partner": nato}])

    response, _ = _assert_same_queries(client, django_assert_num_queries, "/partners/nato/", grow)

    text = page_text(response)
    assert f"People ({MANY})" in text
    assert f'href="/people/?partner=nato">All {MANY} people' in response.content.decode()
    assert EngagementPerson.objects.count() == 0
