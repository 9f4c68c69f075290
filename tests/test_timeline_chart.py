"""The timeline drawn to scale: placement at each date's precision, lanes, the count
bars of a crowded lane, entries with no year beside it, its cost and its cache."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from partnerships import timeline_chart
from partnerships.dates import DatePrecision, PreciseDate
from partnerships.timeline_chart import Scale, chart, extent, position

from .conftest import (
    count_queries,
    make_agreement,
    make_exercise,
    make_partner,
    make_procurement,
    page_text,
)
from .history_factories import make_engagement

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# The chart's reads: the counts per lane and year, the marks, the entries with no year.
CHART_READS = 3


def at(value, precision, prefix, approximate=False):
    return {
        prefix: value,
        f"{prefix}_precision": precision,
        f"{prefix}_approximate": approximate,
    }


def year(y, prefix="date"):
    return at(datetime.date(y, 1, 1), DatePrecision.YEAR, prefix)


def month(y, m, prefix="date"):
    return at(datetime.date(y, m, 1), DatePrecision.MONTH, prefix)


def day(y, m, d, prefix="date"):
    return at(datetime.date(y, m, d), DatePrecision.DAY, prefix)


def parsed(svg):
    """The SVG as XML: it must be well-formed, whatever the entries are named."""
    return ET.fromstring(str(svg))


def mark_of(svg, name):
    """The shape of the mark whose <title> names `name`."""
    for link in parsed(svg).iter(f"{SVG}a"):
        title = link.find(f"{SVG}title")
        if title is not None and name in title.text:
            return link, next(child for child in link if child.tag != f"{SVG}title")
    raise AssertionError(f"no mark for {name}")


def numbers(element, *names):
    return [float(element.get(name)) for name in names]


# -- placement ------------------------------------------------------------------------


def test_a_year_spans_1_january_to_31_december():
    start, end = extent(PreciseDate(datetime.date(2021, 1, 1), DatePrecision.YEAR))
    assert (start, end) == (2021.0, 2022.0)
    assert end == position(datetime.date(2021, 12, 31)) + 1 / 365


def test_a_month_spans_that_month_and_a_day_is_a_point():
    start, end = extent(PreciseDate(datetime.date(2024, 2, 1), DatePrecision.MONTH))
    assert start == position(datetime.date(2024, 2, 1))
    assert end == position(datetime.date(2024, 3, 1))
    assert end - start == pytest.approx(29 / 366)  # a leap year's February
    start, end = extent(PreciseDate(datetime.date(2024, 2, 10), DatePrecision.DAY))
    assert start == end
    assert position(datetime.date(2024, 2, 10)) < start < position(datetime.date(2024, 2, 11))


def test_it_draws_each_entry_at_its_precision():
    make_agreement(title="Whole year", **year(2021))
    make_agreement(title="In March", **month(2022, 3))
    make_agreement(title="On a day", **day(2023, 6, 15))
    drawn = chart()
    scale = Scale(2021, 2023)

    link, shape = mark_of(drawn.svg, "Whole year")
    assert shape.tag == f"{SVG}rect" and "tl-year" in shape.get("class")
    x, width = numbers(shape, "x", "width")
    assert x == pytest.approx(scale.x(2021), abs=0.06)
    assert x + width == pytest.approx(scale.x(2022), abs=0.1)
    assert link.get("href") == "/agreements/" + link.get("href").split("/")[2] + "/"
    assert link.find(f"{SVG}title").text == "2021: Whole year (Cooperation agreement concluded)"

    _, shape = mark_of(drawn.svg, "In March")
    assert "tl-month" in shape.get("class")
    x, width = numbers(shape, "x", "width")
    march = [scale.x(when) for when in extent(PreciseDate(datetime.date(2022, 3, 1), "month"))]
    assert (x + width / 2) == pytest.approx((march[0] + march[1]) / 2, abs=0.1)

    _, shape = mark_of(drawn.svg, "On a day")
    assert shape.tag == f"{SVG}path" and "tl-day" in shape.get("class")
    # A diamond whose top point is over the day.
    top_x = float(re.match(r"M([\d.]+) ", shape.get("d")).group(1))
    point = extent(PreciseDate(datetime.date(2023, 6, 15), "day"))[0]
    assert top_x == pytest.approx(scale.x(point), abs=0.06)


def test_later_events_lie_further_right_and_an_approximate_date_is_dashed():
    make_exercise(name="First", **day(2020, 1, 5, "start_date"))
    make_exercise(name="Second", **day(2020, 1, 9, "start_date"))
    make_exercise(
        name="Third", **at(datetime.date(2021, 5, 1), DatePrecision.MONTH, "start_date", True)
    )
    svg = chart().svg

    xs = [
        float(re.match(r"M([\d.]+) ", mark_of(svg, name)[1].get("d")).group(1))
        for name in ("First", "Second")
    ]
    assert xs[0] < xs[1]
    link, third = mark_of(svg, "Third")
    assert float(third.get("x")) > xs[1]
    assert "tl-approximate" in third.get("class")
    assert link.find(f"{SVG}title").text == "May 2021 (approximate): Third (Exercise held)"


def test_gaps_are_drawn_to_scale_and_named():
    make_agreement(title="Early", **year(1994))
    make_agreement(title="Late", **year(2021))
    drawn = chart()
    scale = Scale(1994, 2021)

    _, early = mark_of(drawn.svg, "Early")
    _, late = mark_of(drawn.svg, "Late")
    early_x, early_width = numbers(early, "x", "width")
    late_x = float(late.get("x"))
    assert early_x == pytest.approx(scale.x(1994), abs=0.06)
    # 27 years from one to the other: 27 times the width of a year.
    assert (late_x - early_x) / early_width == pytest.approx(27, rel=0.01)
    assert "26 years without a dated event" in drawn.svg
    assert "No dated event in 1995–2020." in drawn.caption
    labels = [
        t.text for t in parsed(drawn.svg).iter(f"{SVG}text") if t.get("class") == "tl-year-label"
    ]
    assert labels[0] == "1994" and "2020" in labels


def test_a_crowded_row_packs_overlapping_marks_into_rows():
    for n in range(3):
        make_agreement(title=f"Pact {n}", **year(2010))
    svg = chart().svg
    ys = {float(mark_of(svg, f"Pact {n}")[1].get("y")) for n in range(3)}
    assert len(ys) == 3


# -- lanes and bars -------------------------------------------------------------------


def test_it_has_a_lane_per_type_with_its_count_and_a_desc():
    make_agreement(**year(2001))
    make_agreement(**year(2003), **year(2005, "end_date"))
    make_procurement(**month(2002, 4, "order_date"))
    make_engagement(**day(2004, 2, 2))
    drawn = chart()
    root = parsed(drawn.svg)

    lanes = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tl-lane-label"]
    assert lanes == ["Agreements", "Equipment deals", "Engagements"]
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("5 dated events from 2001 to 2005, by type: Agreements 3,")
    assert root.get("aria-labelledby") == "timeline-chart-title timeline-chart-desc"
    assert re.fullmatch(r"0 0 960 [\d.]+", root.get("viewBox"))


def test_a_lane_with_too_many_events_is_drawn_as_counts_per_year(monkeypatch):
    monkeypatch.setattr(timeline_chart, "MARKS", 5)
    for n in range(8):
        make_agreement(title=f"Pact {n}", **year(2000 + n % 4))
    make_exercise(name="Lion", **year(2001, "start_date"))
    drawn = chart()

    assert "Pact 0" not in drawn.svg
    mark_of(drawn.svg, "Lion")  # the small lane is still drawn one by one
    bars = [
        link
        for link in parsed(drawn.svg).iter(f"{SVG}a")
        if link.find(f"{SVG}rect") is not None and "tl-bar" in link.find(f"{SVG}rect").get("class")
    ]
    assert [b.get("href") for b in bars] == [
        f"/timeline/?type=agreement&from={y}" for y in range(2000, 2004)
    ]
    assert bars[0].find(f"{SVG}title").text == "2000: 2 events of Agreements; see them in the list"
    heights = {float(b.find(f"{SVG}rect").get("height")) for b in bars}
    assert heights == {timeline_chart.BARS}  # two a year each
    assert "Agreements has too many events to draw one by one" in drawn.caption
    assert "8 events, counted per year" in drawn.svg
    assert "Events in a year" in drawn.svg  # in the legend


def test_a_lane_needing_too_many_rows_is_drawn_as_counts(monkeypatch):
    monkeypatch.setattr(timeline_chart, "MAX_ROWS", 2)
    for n in range(3):
        make_agreement(title=f"Pact {n}", **year(2010))
    drawn = chart()
    assert "Pact 0" not in drawn.svg
    assert "/timeline/?type=agreement&amp;from=2010" in drawn.svg


def test_it_draws_lanes_by_partner_for_the_busiest_partners(client, monkeypatch):
    monkeypatch.setattr(timeline_chart, "PARTNER_LANES", 2)
    spain = make_partner(name="Spain", slug="spain")
    france = make_partner(name="France", slug="france")
    quiet = make_partner(name="Quiet", slug="quiet")
    make_agreement(title="Shared", parties=[spain, france], **year(2010))
    make_agreement(title="Spanish", parties=[spain], **year(2012))
    make_exercise(name="French", participants=[france], **year(2011, "start_date"))
    make_agreement(title="Quiet one", parties=[quiet], **year(2013))
    drawn = chart(lanes="partner")
    root = parsed(drawn.svg)

    lanes = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tl-lane-label"]
    assert lanes == ["France", "Spain"]  # two entries each, by name; Quiet left out
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert sum("Shared" in title for title in titles) == 2  # in each partner's lane
    assert not any("Quiet one" in title for title in titles)
    assert "The lanes are the 2 partners with the most entries" in drawn.caption

    response = client.get("/timeline/?lanes=partner")
    assert response.status_code == 200
    assert '<a href="/timeline/" >' not in response.content.decode()
    assert 'aria-current="true">by partner</a>' in response.content.decode()


def test_it_explains_a_bad_lanes_choice(client):
    response = client.get("/timeline/", {"lanes": "<script>"})
    assert response.status_code == 400
    assert "Show the lanes by type or by partner." in page_text(response)
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


# -- what is not on the axis ----------------------------------------------------------


def test_it_lists_entries_with_no_year_beside_the_axis(client, monkeypatch):
    monkeypatch.setattr(timeline_chart, "OFF_AXIS_SHOWN", 3)
    make_agreement(title="Dated", **year(2020))
    make_agreement(
        title="In February",
        date=None,
        date_precision=DatePrecision.MONTH_NO_YEAR,
        date_month=2,
    )
    for n in range(3):
        make_procurement(system=f"Undated {n}")
    drawn = chart()

    assert [(e.name, e.when) for e in drawn.off_axis] == [
        ("In February", "February, year not stated"),
        ("Undated 0", "no date stated"),
        ("Undated 1", "no date stated"),
    ]
    assert drawn.more_off_axis == [("equipment deals", "/equipment/")]
    text = page_text(client.get("/timeline/"))
    assert "Not on the axis, as no year is stated: In February (February, year not stated)" in text
    assert "the lists of equipment deals hold them all" in text


def test_with_no_dated_event_it_says_so():
    make_agreement(title="Undated")
    drawn = chart()
    assert drawn.empty
    assert "none has a place on the axis" in drawn.caption
    assert [e.name for e in drawn.off_axis] == ["Undated"]


# -- markup ---------------------------------------------------------------------------


def test_it_escapes_names_and_uses_no_style(client):
    make_agreement(title='<b>Pact</b> & "co"', **year(2020))
    make_engagement(title="Visit\x0b<i>", hedge="reportedly", place="Rabat", **day(2021, 3, 1))
    svg = str(chart().svg)

    parsed(svg)  # well-formed: nothing unescaped, no character XML forbids
    assert "<b>" not in svg and "<i>" not in svg
    assert "Visit&lt;i&gt; (Visit (reportedly), in Rabat)" in svg
    page = client.get("/timeline/").content.decode()
    assert not re.search(r"\sstyle\s*=", page)
    assert "<style" not in page


# -- cost -----------------------------------------------------------------------------


def add_events(partner):
    make_agreement(parties=[partner], **year(2020))
    make_exercise(participants=[partner], **month(2021, 5, "start_date"))
    make_procurement(supplier=partner, **day(2022, 1, 3, "order_date"))
    make_engagement(partners=[partner], **day(2023, 4, 12))
    make_agreement(parties=[partner])  # undated


@pytest.mark.parametrize(("lanes", "reads"), [("type", CHART_READS), ("partner", CHART_READS + 1)])
def test_it_reads_the_same_queries_for_1_or_50_events(lanes, reads, django_assert_num_queries):
    partner = make_partner()
    add_events(partner)
    with django_assert_num_queries(reads):
        chart(lanes=lanes)
    for _ in range(49):
        add_events(partner)
    with django_assert_num_queries(reads):
        drawn = chart(lanes=lanes)
    assert "200 dated events" in drawn.caption


def test_many_events_cost_no_more_queries_drawn_as_bars(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(timeline_chart, "MARKS", 10)
    partner = make_partner()
    for _ in range(20):
        add_events(partner)
    # Every lane over the cap: no marks to read.
    with django_assert_num_queries(CHART_READS - 1):
        drawn = chart()
    assert "have too many events to draw one by one" in drawn.caption


@pytest.mark.parametrize("query", ["", "?partner={slug}", "?lanes=partner", "?type=exercise"])
def test_the_timeline_page_adds_the_charts_reads_for_1_or_50(client, query, monkeypatch):
    # The list reads each column once (a page's worth at once), so that what the
    # count measures beside it is the chart's.
    monkeypatch.setattr("partnerships.timeline.FIRST_READ", 51)
    partner = make_partner()
    add_events(partner)
    url = "/timeline/" + query.format(slug=partner.slug)
    few = count_queries(client, url)
    if not query:
        # 7 date columns, 4 reads of events without a year, and the chart's.
        assert few == 7 + 4 + CHART_READS
    for _ in range(49):
        add_events(partner)
    assert count_queries(client, url) == few


def test_a_second_request_draws_nothing_with_the_cache_on(client, settings):
    settings.PICTURE_CACHE_SECONDS = 60
    caches[settings.PAGE_CACHE_ALIAS].clear()
    add_events(make_partner())
    first = count_queries(client, "/timeline/")  # the warm-up request drew it
    settings.PICTURE_CACHE_SECONDS = 0
    uncached = count_queries(client, "/timeline/")
    # Drawn, it costs its reads; cached, the one read of the site's version that
    # keys it (none where the version is in a shared cache).
    assert first == uncached - CHART_READS + 1
    settings.PICTURE_CACHE_SECONDS = 60
    with CaptureQueriesContext(connection) as queries:
        client.get("/timeline/")
    assert not any("UNION ALL" in query["sql"] for query in queries.captured_queries)


# -- the partner page's tag -------------------------------------------------------------

TAG = Template("{% load timeline_chart %}{% partner_timeline_chart partner %}")


def test_the_tag_draws_a_partners_events_in_lanes_by_type(django_assert_num_queries):
    israel = make_partner(name="Israel", slug="israel")
    other = make_partner()
    make_agreement(title="Hermes", parties=[israel], **year(2021))
    make_engagement(title="Visit", partners=[israel], **day(2022, 5, 2))
    make_agreement(title="Not Israel's", parties=[other], **year(2021))
    make_agreement(title="Undated pact", parties=[israel])

    with django_assert_num_queries(CHART_READS):
        html = TAG.render(Context({"partner": israel}))
    assert html.count("<figure") == 1 and "<h2" not in html and "<h3" not in html
    assert "Hermes" in html and "Visit" in html and "Not Israel" not in html
    assert "2 dated events from 2021 to 2022, by type: Agreements 1, Engagements 1." in html
    assert ">Undated pact</bdi></a>" in html
    assert 'role="region" tabindex="0"' in html
    assert not re.search(r"\sstyle\s*=", html)
    assert "Skip the chart" in html


def test_the_tags_queries_do_not_grow_and_it_is_cached(settings, django_assert_num_queries):
    partner = make_partner()
    add_events(partner)
    with django_assert_num_queries(CHART_READS):
        TAG.render(Context({"partner": partner}))
    for _ in range(49):
        add_events(partner)
    with django_assert_num_queries(CHART_READS):
        TAG.render(Context({"partner": partner}))

    settings.PICTURE_CACHE_SECONDS = 60
    caches[settings.PAGE_CACHE_ALIAS].clear()
    first = TAG.render(Context({"partner": partner}))
    with CaptureQueriesContext(connection) as queries:
        again = TAG.render(Context({"partner": partner}))
    assert again == first
    assert not any("UNION ALL" in query["sql"] for query in queries.captured_queries)
