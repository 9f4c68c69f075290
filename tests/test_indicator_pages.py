"""Indicators' pages: a series drawn as an SVG chart of its dated values beside a
table of every value (period, figure, the source's words, basis; projections
marked), each value with its markers; a rank shown as a rank; the list, its filters
and exports; query counts that do not grow."""

import csv
import dataclasses
import datetime
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships import views
from partnerships.dates import DatePrecision
from partnerships.models import IndicatorValue
from partnerships.templatetags.series import ordinal

from .conftest import count_queries, make_citation, make_partner, make_source, page_text
from .history_factories import make_indicator

pytestmark = pytest.mark.django_db

MANY = 50
HOSTILE = '=cmd|" /C calc"!A0 <script>alert(1)</script>'


def year(number, **rest):
    return {"period": datetime.date(number, 1, 1), "period_precision": DatePrecision.YEAR, **rest}


def spending(**overrides):
    indicator = make_indicator(
        name="Defense spending",
        slug="morocco-defense-spending",
        subject="Morocco",
        summary="Morocco's defense spending.[1]",
        values=[
            year(2023, value=Decimal("3.6"), basis="reported", as_stated="$3.6"),
            year(2028, value=Decimal("5.2"), basis="projection", as_stated="$5.2"),
            {"period": None, "value": Decimal("4"), "basis": "estimate", "as_stated": "about $4"},
        ],
        **overrides,
    )
    reported, projected, undated = IndicatorValue.objects.filter(indicator=indicator).order_by(
        "pk"
    )
    return indicator, reported, projected, undated


def svg_of(content):
    start = content.index("<svg")
    return ET.fromstring(content[start : content.index("</svg>") + 6])


def test_it_draws_the_dated_values_and_tables_every_value_with_its_markers(client):
    indicator, reported, projected, _undated = spending()
    make_citation(
        indicator,
        source=make_source(title="Military ties grow"),
        facts=f"existence subject unit currency value:{reported.pk} value:{projected.pk}",
    )

    response = client.get("/indicators/morocco-defense-spending/")

    assert response.status_code == 200
    content = response.content.decode()
    text = page_text(response)
    assert "Subject Morocco[1]" in text
    assert "Unit billion[1]" in text and "Currency US dollar (USD)[1]" in text
    # The chart: of the two dated values, named by its title and desc.
    svg = svg_of(content)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    assert svg.find(f"{ns}title").text == "Defense spending, Morocco (billion USD)"
    desc = svg.find(f"{ns}desc").text
    assert "1 value without a year, in the table only." in desc
    assert "2 values, from 3.6 billion USD in 2023 (reported)" in desc
    assert "to 5.2 billion USD in 2028 (projection)" in desc
    assert len(list(svg.iter(f"{ns}circle"))) + len(list(svg.iter(f"{ns}path"))) >= 2
    assert "1 without one is listed in the table only" in text
    # The table beside it: every value, the projection marked in words and by class.
    table = text[text.index("Every value of the series") :]
    assert "Period Value As stated in the source Basis" in table
    assert "2023 3.6 billion USD[1] “$3.6” Reported" in table
    assert "2028 5.2 billion USD[1] “$5.2” Projection" in table
    assert "year not stated 4 billion USD[citation needed] “about $4” Estimate" in table
    assert '<tr class="value-projection">' in content
    assert '<strong class="basis basis-projection">Projection</strong>' in content
    assert "value: 2028: 5.2 (projection)" in text  # the footnote names each value
    assert 'href="/indicators/morocco-defense-spending/history/"' in content


def test_a_rank_is_shown_as_a_rank_and_not_drawn(client):
    rank = make_indicator(
        name="Arms purchases, rank",
        measure="rank",
        unit="",
        currency="",
        values=[{"period": None, "value": Decimal("3"), "as_stated": "third largest"}],
    )

    response = client.get(rank.get_absolute_url())

    text = page_text(response)
    assert "<svg" not in response.content.decode()
    assert "A rank is a place in an order, not an amount: it is listed, not drawn." in text
    assert "year not stated 3rd[citation needed] “third largest” Reported" in text
    assert "Unit" not in text.split("Values")[0]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip


def test_a_single_dated_value_is_tabled_not_drawn(client):
    indicator = make_indicator(unit="countries", currency="", values=[year(2024, value=35)])

    response = client.get(indicator.get_absolute_url())

    assert "<svg" not in response.content.decode()
    assert "2024 35 countries" in page_text(response)


def test_an_indicator_page_escapes_what_it_shows(client):
    indicator = make_indicator(
        name=HOSTILE,
        subject="<b>s</b>",
        unit="<i>u</i>",
        values=[year(2020, value=1, as_stated="<script>"), year(2021, value=2)],
        partner=make_partner(name="<em>P</em>"),
    )

    content = client.get(indicator.get_absolute_url()).content.decode()

    assert "<script>" not in content.split("<body>")[1]
    assert "<b>s</b>" not in content and "<i>u</i>" not in content and "<em>P</em>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_it_answers_404_and_shows_an_indicator_as_of_a_date(client):
    spending()

    assert client.get("/indicators/nothing/").status_code == 404
    response = client.get("/indicators/morocco-defense-spending/", {"as_of": "2099-01-01"})
    assert response.status_code == 200
    assert "as it stood on 1 January 2099" in page_text(response)


def test_it_shows_an_indicator_in_the_same_queries_for_1_or_50_values_and_citations(
    client, django_assert_num_queries
):
    indicator, reported, _, _ = spending(partner=make_partner())
    source = make_source()
    make_citation(indicator, source=source, facts=f"value:{reported.pk}")
    url = indicator.get_absolute_url()
    queries = count_queries(client, url)

    for number in range(MANY):
        value = IndicatorValue.objects.create(
            indicator=indicator, value=number, basis="estimate", **year(1950 + number)
        )
        make_citation(indicator, source=source, facts=f"value:{value.pk}")

    with django_assert_num_queries(queries):
        response = client.get(url)

    # The indicator with its partner, its values, footnotes and the last change.
    assert queries == 4
    content = response.content.decode()
    assert content.count('<tr class="value-') == MANY + 3
    assert content.count('<li id="cite-') == MANY + 1


# -- the list ----------------------------------------------------------------------------


@pytest.fixture
def indicators():
    israel = make_partner(name="Israel", slug="israel")
    spending()
    make_indicator(
        name="Trade",
        subject="Israel-Morocco",
        partner=israel,
        values=[year(2023, value=Decimal("0.5"))],
    )
    make_indicator(
        name="Arms purchases, rank",
        measure="rank",
        unit="",
        currency="",
        values=[{"period": None, "value": 3}],
    )


def names(response):
    return [row.name for row in response.context["rows"]]


def test_it_lists_indicators_with_their_periods_and_latest_value(client, indicators):
    text = page_text(client.get("/indicators/"))

    assert "3 results" in text
    assert (
        "Defense spending Morocco Amount (billion USD) 3: 2023 to 2028 "
        "5.2 billion USD, 2028 Projection" in text
    )
    assert (
        "Trade Israel-Morocco (Israel) Amount (billion USD) 1: 2023 0.5 billion USD, 2023" in text
    )
    assert "Arms purchases, rank Morocco Rank (rank) 1: year not stated 3rd" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"partner": "israel"}, ["Trade"]),
        ({"measure": "rank"}, ["Arms purchases, rank"]),
        ({"basis": "projection"}, ["Defense spending"]),
        ({"q": "israel-morocco"}, ["Trade"]),
        ({"sort": "-name"}, ["Trade", "Defense spending", "Arms purchases, rank"]),
    ],
)
def test_it_filters_indicators(client, indicators, query, expected):
    response = client.get("/indicators/", query)

    assert response.status_code == 200
    assert names(response) == expected


GARBAGE = ["abc", "<script>alert(1)</script>", "x" * 5000, "\x00", "-1", "ﷺ🙂"]


@pytest.mark.parametrize("name", ["q", "partner", "measure", "basis", "sort", "page", "format"])
def test_it_answers_garbage_in_every_parameter_with_a_message_not_an_error(
    client, indicators, name
):
    for value in GARBAGE:
        response = client.get("/indicators/", {name: value})

        assert response.status_code in (200, 400), (name, value)
        content = response.content.decode()
        assert "<script>alert(1)</script>" not in content and "\x00" not in content
        if response.status_code == 400:
            assert 'role="alert"' in content


def _body(response):
    return b"".join(response.streaming_content).decode()


def test_it_exports_the_filtered_indicators_with_every_value_and_citations(client, indicators):
    indicator = views.Indicator.objects.get(slug="morocco-defense-spending")
    projected = indicator.values.get(basis="projection")
    make_citation(indicator, facts=f"subject value:{projected.pk}")

    data = json.loads(_body(client.get("/indicators/?format=json&basis=projection")))
    lines = list(csv.reader(io.StringIO(_body(client.get("/indicators/?format=csv&q=defense")))))

    (row,) = data["indicators"]
    assert (row["measure"], row["unit"], row["currency"]) == ("Amount", "billion", "USD")
    assert row["values"][1] == {
        "period": "2028",
        "period_as_stated": "2028",
        "value": "5.2",
        "display": "5.2 billion USD",
        "as_stated": "$5.2",
        "basis": "Projection",
    }
    assert row["values"][2]["period_as_stated"] == "year not stated"
    assert row["citations"][0]["fact_labels"] == ["subject", "value: 2028: 5.2 (projection)"]
    csv_row = dict(zip(lines[1], lines[2], strict=True))
    assert csv_row["values"].startswith("period: 2023; period_as_stated: 2023; value: 3.6;")
    assert "basis: Projection" in csv_row["values"]


def test_it_defuses_formulas_and_keeps_markup_as_text_in_exports(client):
    make_indicator(
        name=HOSTILE, subject="+SUM(A1)", values=[year(2020, value=1, as_stated="=1+1")]
    )

    lines = list(csv.reader(io.StringIO(_body(client.get("/indicators/?format=csv")))))
    data = json.loads(_body(client.get("/indicators/?format=json")))

    row = dict(zip(lines[1], lines[2], strict=True))
    assert row["name"] == "'" + HOSTILE and row["subject"] == "'+SUM(A1)"
    assert data["indicators"][0]["name"] == HOSTILE
    assert data["indicators"][0]["values"][0]["as_stated"] == "=1+1"


def _indicator_row():
    indicator = make_indicator(
        partner=make_partner(),
        values=[year(2020, value=1), year(2030, value=2, basis="projection")],
    )
    make_citation(indicator)


@pytest.mark.parametrize(
    "query", ["", "?format=csv", "?format=json", "?measure=amount&sort=-name"]
)
def test_it_lists_and_exports_indicators_in_the_same_queries_for_1_or_50_rows(
    client, django_assert_num_queries, query
):
    _indicator_row()
    url = "/indicators/" + query

    def read():
        response = client.get(url)
        if response.streaming:
            response.body = _body(response)
        return response

    read()
    with CaptureQueriesContext(connection) as captured:
        read()
    for _ in range(MANY - 1):
        _indicator_row()
    with django_assert_num_queries(len(captured)):
        response = read()

    assert response.status_code == 200
    if query.startswith("?format"):
        assert response.body.count("http://testserver/indicators/") >= MANY
    else:
        assert len(response.context["rows"]) == 25


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_of_indicators_costs_the_same_queries_for_each_chunk(client, monkeypatch, fmt):
    monkeypatch.setattr(views, "INDICATORS", dataclasses.replace(views.INDICATORS, export_chunk=2))
    measured = []
    for _ in range(6):
        _indicator_row()
        with CaptureQueriesContext(connection) as captured:
            _body(client.get(f"/indicators/?format={fmt}"))
        measured.append(len(captured))

    # Each chunk of 2 rows: its values and its citations.
    base = measured[0] - 2
    assert measured == [base + 2 * ((n + 1) // 2) for n in range(1, 7)]


def test_a_list_of_indicators_reads_no_summary(client):
    _indicator_row()

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/indicators/")

    assert response.context["rows"]
    assert not [q["sql"] for q in captured if '"summary"' in q["sql"]]


def test_the_home_page_counts_people_engagements_and_indicators(client, indicators):
    text = page_text(client.get("/"))

    assert "0 people 0 engagements 3 indicators" in text
    assert 'href="/indicators/"' in client.get("/").content.decode()
