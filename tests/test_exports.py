"""CSV and JSON exports: exactly the filtered rows, all pages, with their citations."""

import csv
import io
from decimal import Decimal

import pytest

from partnerships.lists.pages import PER_PAGE

from .conftest import QUOTE, make_agreement, make_citation, make_partner, make_source

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    return lines[0][0], [dict(zip(lines[1], line, strict=True)) for line in lines[2:]]


@pytest.fixture
def agreements():
    israel = make_partner(name="Israel", slug="israel")
    source = make_source(title="Military Ties")
    deal = make_agreement(
        title="$500 million deal",
        parties=[israel],
        value_amount=Decimal("500000000"),
        value_currency="USD",
    )
    make_citation(deal, source=source)
    make_citation(deal, source=source, stance="disputes", supports="doubts the value")
    make_citation(make_agreement(title="Border security", parties=[make_partner()]))
    return deal


def test_it_exports_the_filtered_rows_as_csv_with_their_citations(client, agreements):
    response = client.get("/agreements/?partner=israel&format=csv")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="agreements-')
    stamp, rows = read_csv(response)
    assert stamp.startswith("# Exported from the Morocco defense partnerships wiki on ")
    assert "1 agreements; filters: partner=Israel;" in stamp
    assert [row["title"] for row in rows] == ["$500 million deal"]
    row = rows[0]
    assert row["parties"] == "Israel"
    assert row["value"] == "500000000"
    assert row["currency"] == "USD"
    assert row["url"] == f"http://testserver/agreements/{agreements.slug}/"
    assert row["citations"] == (f"Military Ties: “{QUOTE}” | Military Ties (disputes): “{QUOTE}”")


def test_it_exports_the_filtered_rows_as_json_with_their_citations(client, agreements):
    response = client.get("/agreements/?partner=israel&format=json")

    data = response.json()
    assert data["exported"].startswith("Exported from the Morocco defense partnerships wiki on ")
    assert data["exported_at"]
    assert data["filters"] == {"partner": "Israel"}
    assert data["count"] == 1
    (row,) = data["agreements"]
    assert row["title"] == "$500 million deal"
    assert row["parties"] == ["Israel"]
    assert row["citations"][0] == {
        "source": "Military Ties",
        "source_url": f"/sources/{agreements.citations.first().source.slug}/",
        "quote": QUOTE,
        "supports": "modernisation",
        "stance": "supports",
    }
    assert row["citations"][1]["stance"] == "disputes"


def test_it_exports_every_page_not_just_the_first(client):
    for number in range(PER_PAGE + 5):
        make_agreement(title=f"Agreement {number}")

    _, rows = read_csv(client.get("/agreements/?format=csv"))

    assert len(rows) == PER_PAGE + 5
    assert len(client.get("/agreements/?format=json&page=2").json()["agreements"]) == PER_PAGE + 5


@pytest.mark.parametrize("url", ["/partners/", "/exercises/", "/equipment/", "/sources/"])
def test_it_agrees_with_the_list_it_exports(client, url):
    entry = make_citation().partner
    make_agreement(parties=[entry])

    listed = client.get(url).context["page"].paginator.count
    data = client.get(url, {"format": "json"}).json()
    _, rows = read_csv(client.get(url, {"format": "csv"}))

    assert data["count"] == listed == len(rows)


def test_it_refuses_to_export_with_invalid_filters(client, agreements):
    response = client.get("/agreements/?partner=atlantis&format=csv")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "There is no partner with this name in the wiki." in response.content.decode()


def test_it_defuses_spreadsheet_formulas(client):
    make_agreement(title='=HYPERLINK("http://evil")')

    _, rows = read_csv(client.get("/agreements/?format=csv"))

    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'
