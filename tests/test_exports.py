"""CSV and JSON exports: exactly the filtered rows, all pages, with their citations,
streamed in chunks whose queries and memory do not grow with the rows."""

import csv
import dataclasses
import datetime
import gc
import io
import json
import math
import tracemalloc
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from partnerships.dates import DatePrecision
from partnerships.lists.pages import PER_PAGE
from partnerships.models import Agreement, AgreementParty, Partner
from sources.models import Citation

from .conftest import (
    QUOTE,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
)

pytestmark = pytest.mark.django_db


def body(response):
    """The whole of a streamed export, read as a browser would download it."""
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(body(response))))
    return lines[0][0], [dict(zip(lines[1], line, strict=True)) for line in lines[2:]]


def read_json(response):
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


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
    make_citation(deal, source=source, stance="disputes", note="doubts the value")
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
    assert row["citations"] == (
        f"Military Ties: “{QUOTE}” [existence of the entry] (modernisation) | "
        f"Military Ties (disputes): “{QUOTE}” [existence of the entry] (doubts the value)"
    )


def test_it_exports_the_filtered_rows_as_json_with_their_citations(client, agreements):
    response = client.get("/agreements/?partner=israel&format=json")

    data = read_json(response)
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
        "facts": ["existence"],
        "fact_labels": ["existence of the entry"],
        "note": "modernisation",
        "stance": "supports",
    }
    assert row["citations"][1]["stance"] == "disputes"


def test_it_exports_every_page_not_just_the_first(client):
    for number in range(PER_PAGE + 5):
        make_agreement(title=f"Agreement {number}")

    _, rows = read_csv(client.get("/agreements/?format=csv"))

    assert len(rows) == PER_PAGE + 5
    assert len(read_json(client.get("/agreements/?format=json&page=2"))["agreements"]) == (
        PER_PAGE + 5
    )


@pytest.mark.parametrize("url", ["/partners/", "/exercises/", "/equipment/", "/sources/"])
def test_it_agrees_with_the_list_it_exports(client, url):
    entry = make_citation().partner
    make_agreement(parties=[entry])

    listed = client.get(url).context["page"].paginator.count
    data = read_json(client.get(url, {"format": "json"}))
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


def test_it_streams_both_formats_as_downloads(client, agreements):
    for fmt in ("csv", "json"):
        response = client.get(f"/agreements/?format={fmt}")

        assert response.streaming
        assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_it_writes_a_whole_document_when_nothing_matches(client, agreements):
    data = read_json(client.get("/agreements/?format=json&status=expired"))
    stamp, rows = read_csv(client.get("/agreements/?format=csv&status=expired"))

    assert data["count"] == 0
    assert data["agreements"] == []
    assert "0 agreements; filters: status=expired;" in stamp
    assert rows == []


def test_it_keeps_text_exactly_as_written(client):
    # Line and paragraph separators are left raw by JSON and must not be taken
    # for the line breaks the streamed document is indented at.
    summary = 'Said: "yes"\n\u2028 and \u2029 — in Tamazight ⵜⴰⵎⴰⵣⵉⵖⵜ, in Arabic ﷺ\\'
    make_agreement(title="Line breaks", summary=summary)

    (row,) = read_json(client.get("/agreements/?format=json"))["agreements"]
    _, (csv_row,) = read_csv(client.get("/agreements/?format=csv"))

    assert row["summary"] == summary
    assert csv_row["summary"] == summary.replace("\n", "\r\n") or csv_row["summary"] == summary


# -- bounded work -----------------------------------------------------------------------

CHUNK = 3

# One more row of each list, linked to `partner`, with what its export prefetches; a
# citation of an agreement or an exercise names its partner as a fact.
ADD_ROW = {
    "/partners/": lambda partner: make_citation(make_partner(), facts="existence parent"),
    "/agreements/": lambda partner: make_citation(
        make_agreement(parties=[partner]), facts=f"existence party:{partner.pk}"
    ),
    "/exercises/": lambda partner: make_citation(
        make_exercise(participants=[partner]), facts=f"participant:{partner.pk}"
    ),
    "/equipment/": lambda partner: make_citation(
        make_procurement(supplier=partner, agreement=make_agreement()), facts="supplier"
    ),
    "/sources/": lambda partner: make_citation(
        make_agreement(parties=[partner]), facts=f"date party:{partner.pk}"
    ),
}
# The queries each chunk of rows costs: its prefetches.
PER_CHUNK = {
    "/partners/": 1,  # citations with their sources
    "/agreements/": 2,  # parties, citations with their sources
    "/exercises/": 2,  # participations with their partners, citations with their sources
    "/equipment/": 1,  # citations with their sources
    # Citations with their entries, and the agreements' parties that name the partners
    # their link facts name (the exercises' participants too, where exercises are cited).
    "/sources/": 2,
}


def exported(client, url):
    """(queries, rows) of the whole export at `url`, read to its end."""
    with CaptureQueriesContext(connection) as queries:
        text = body(client.get(url))
    if "format=json" in url:
        data = json.loads(text)
        rows = next(value for value in data.values() if isinstance(value, list))
        assert data["count"] == len(rows)
        return len(queries), len(rows)
    return len(queries), max(len(list(csv.reader(io.StringIO(text)))) - 2, 0)


# Where each list's ListKind is declared, for a test to give it smaller chunks.
KINDS = {
    "/partners/": "partnerships.views.PARTNERS",
    "/agreements/": "partnerships.views.AGREEMENTS",
    "/exercises/": "partnerships.views.EXERCISES",
    "/equipment/": "partnerships.views.PROCUREMENTS",
    "/sources/": "sources.views.SOURCES",
}


def export_in_chunks_of(monkeypatch, url, rows):
    kind = import_string(KINDS[url])
    monkeypatch.setattr(KINDS[url], dataclasses.replace(kind, export_chunk=rows))


@pytest.mark.parametrize("url", ADD_ROW)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_it_costs_the_same_queries_for_every_chunk_of_rows(client, monkeypatch, url, fmt):
    export_in_chunks_of(monkeypatch, url, CHUNK)
    partner = make_partner()
    address = f"{url}?format={fmt}"
    ADD_ROW[url](partner)
    exported(client, address)  # warm-up

    measured = []
    for _ in range(3 * CHUNK):
        measured.append(exported(client, address))
        ADD_ROW[url](partner)

    queries, rows = measured[0]
    base = queries - PER_CHUNK[url] * math.ceil(rows / CHUNK)
    assert [queries for queries, _ in measured] == [
        base + PER_CHUNK[url] * math.ceil(rows / CHUNK) for _, rows in measured
    ]
    assert measured[-1][1] > 2 * CHUNK  # three chunks and more were read


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_it_streams_in_memory_that_does_not_grow_with_the_export(client, monkeypatch, fmt):
    export_in_chunks_of(monkeypatch, "/agreements/", 50)
    rows = 2000
    partner, source = make_partner(), make_source()
    summary = "A generated summary long enough to make a large export. " * 150  # ~8 KB
    agreements = Agreement.objects.bulk_create(
        Agreement(
            title=f"Generated agreement {number}",
            slug=f"generated-agreement-{number}",
            kind=Agreement.Kind.COOPERATION,
            summary=summary,
        )
        for number in range(rows)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, partner=partner) for agreement in agreements
    )
    Citation.objects.bulk_create(
        Citation(agreement=agreement, source=source, quote=QUOTE, note="existence")
        for agreement in agreements
    )
    del agreements
    # What a first request imports and caches is not the export's to answer for.
    body(client.get(f"/agreements/?format={fmt}&q=nothing"))
    gc.collect()

    tracemalloc.start()
    try:
        response = client.get(f"/agreements/?format={fmt}")
        size = sum(len(piece) for piece in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # Buffered, the export alone would take `size` bytes; streamed, a worker holds
    # one chunk of 50 rows, one piece of text to send and the request's own objects.
    assert size > 15_000_000
    assert peak < size / 4, f"peak {peak:,} bytes for an export of {size:,}"


# -- the facts each citation states, and dates without a year -------------------------------


@pytest.fixture
def cited_facts():
    """A deal whose citations state its date, value and party, one disputing the value."""
    israel = make_partner(name="Israel", slug="israel")
    spain = make_partner(name="Spain", slug="spain")
    deal = make_agreement(
        title="$500 million deal",
        parties=[israel, spain],
        date=datetime.date(2022, 2, 1),
        date_precision=DatePrecision.MONTH,
        value_amount=Decimal("500000000"),
        value_currency="USD",
    )
    source = make_source(title="Military Ties")
    make_citation(deal, source=source, facts=f"date value party:{israel.pk}", note="")
    make_citation(deal, source=source, facts="value", stance="disputes", note="doubts the value")
    nato = make_partner(name="NATO", slug="nato", kind=Partner.Kind.ORGANIZATION)
    lion = make_exercise(name="African Lion", slug="african-lion", participants=[nato])
    make_citation(lion, source=source, facts=f"existence participant:{nato.pk}")
    return israel, nato


def test_it_exports_the_facts_each_citation_states_by_key_and_by_name(client, cited_facts):
    israel, _ = cited_facts

    (deal,) = read_json(client.get("/agreements/?format=json&partner=spain"))["agreements"]
    (lion,) = read_json(client.get("/exercises/?format=json"))["exercises"]

    stating, disputing = deal["citations"]
    assert stating["facts"] == ["date", "value", f"party:{israel.pk}"]
    assert stating["fact_labels"] == ["date concluded", "value", "party: Israel"]
    assert (stating["note"], stating["stance"]) == ("", "supports")
    assert disputing["facts"] == ["value"]
    assert disputing["fact_labels"] == ["value"]
    assert (disputing["note"], disputing["stance"]) == ("doubts the value", "disputes")
    assert lion["citations"][0]["fact_labels"] == [
        "existence of the entry",
        "participant and role: NATO",
    ]


def test_it_names_a_partner_no_longer_linked_as_such(client, cited_facts):
    israel, _ = cited_facts
    AgreementParty.objects.filter(partner=israel).delete()

    (deal,) = read_json(client.get("/agreements/?format=json"))["agreements"]

    assert deal["citations"][0]["fact_labels"] == [
        "date concluded",
        "value",
        "party: a partner no longer linked",
    ]


def test_it_exports_a_sources_citations_with_their_facts(client, cited_facts):
    israel, nato = cited_facts

    (source,) = read_json(client.get("/sources/?format=json"))["sources"]

    by_entry = {citation["entry"]: citation for citation in source["citations"]}
    assert by_entry["African Lion"]["facts"] == ["existence", f"participant:{nato.pk}"]
    deal = [c for c in source["citations"] if c["entry"] == "$500 million deal"]
    assert [c["facts"] for c in deal] == [["date", "value", f"party:{israel.pk}"], ["value"]]
    assert deal[1]["note"] == "doubts the value" and deal[1]["stance"] == "disputes"
    # The partners a link fact names are read with each chunk's citations.
    assert deal[0]["fact_labels"] == ["date concluded", "value", "party: Israel"]
    assert by_entry["African Lion"]["fact_labels"] == [
        "existence of the entry",
        "participant and role: NATO",
    ]


def test_it_exports_a_month_without_a_year_as_no_year(client):
    make_agreement(
        title="Undated-year pact",
        date=None,
        date_precision=DatePrecision.MONTH_NO_YEAR,
        date_month=2,
    )
    make_agreement(
        title="Dated pact", date=datetime.date(2021, 1, 1), date_precision=DatePrecision.YEAR
    )
    make_exercise(
        name="Spring drill",
        start_date_precision=DatePrecision.MONTH_NO_YEAR,
        start_date_month=4,
        start_date_approximate=True,
    )

    rows = read_json(client.get("/agreements/?format=json"))["agreements"]
    _, csv_rows = read_csv(client.get("/agreements/?format=csv"))
    (drill,) = read_json(client.get("/exercises/?format=json"))["exercises"]
    since_1900 = read_json(client.get("/agreements/?format=json&year_from=1900"))["agreements"]

    # Sorted with the undated rows, after every dated one.
    assert [row["title"] for row in rows] == ["Dated pact", "Undated-year pact"]
    pact = rows[1]
    assert (pact["date"], pact["date_as_stated"]) == ("--02", "February, year not stated")
    assert (rows[0]["date"], rows[0]["date_as_stated"]) == ("2021", "2021")
    assert (pact["start"], pact["start_as_stated"]) == ("", "")
    assert drill["start"] == "--04"
    assert drill["start_as_stated"] == "April, year not stated (approximate)"
    # A spreadsheet would read --02 as the number 2: the cell is kept as text.
    assert csv_rows[1]["date"] == "'--02"
    assert csv_rows[1]["date_as_stated"] == "February, year not stated"
    # No year to filter on.
    assert [row["title"] for row in since_1900] == ["Dated pact"]


def test_it_exports_equipment_and_sources_dates_as_stated(client):
    make_procurement(
        system="Barak MX",
        order_date=datetime.date(2022, 6, 1),
        order_date_precision=DatePrecision.MONTH,
        delivery_date_precision=DatePrecision.MONTH_NO_YEAR,
        delivery_date_month=11,
    )
    make_source(
        title="Dated report",
        publication_date=datetime.date(2023, 12, 5),
        publication_date_precision=DatePrecision.DAY,
    )

    (deal,) = read_json(client.get("/equipment/?format=json"))["equipment"]
    (source,) = read_json(client.get("/sources/?format=json"))["sources"]

    assert (deal["ordered"], deal["ordered_as_stated"]) == ("2022-06", "June 2022")
    assert (deal["delivered"], deal["delivered_as_stated"]) == (
        "--11",
        "November, year not stated",
    )
    assert (source["published"], source["published_as_stated"]) == (
        "2023-12-05",
        "5 December 2023",
    )


def test_the_sources_export_names_what_a_new_types_link_fact_names(client):
    from partnerships.models import IndicatorValue, Person, Position

    from .history_factories import make_indicator

    series = make_indicator(
        values=[
            {
                "period": datetime.date(2028, 1, 1),
                "period_precision": DatePrecision.YEAR,
                "value": Decimal("5.2"),
                "basis": IndicatorValue.Basis.PROJECTION,
            }
        ]
    )
    person = Person.objects.create(name="Jens Stoltenberg", slug="jens-stoltenberg")
    held = Position.objects.create(person=person, title="Secretary General")
    source = make_source()
    make_citation(series, source=source, facts=f"value:{series.values.get().pk}")
    make_citation(person, source=source, facts=f"position:{held.pk}")

    exported = json.loads(b"".join(client.get("/sources/", {"format": "json"}).streaming_content))

    (row,) = [row for row in exported["sources"] if row["title"] == source.title]
    labels = sorted(label for c in row["citations"] for label in c["fact_labels"])
    assert labels == ["position: Secretary General", "value: 2028: 5.2 (projection)"]
