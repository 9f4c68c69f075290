"""The timeline: every dated entry in order, at its precision, filterable."""

import datetime
from types import SimpleNamespace

import pytest

from partnerships.dates import DatePrecision
from partnerships.models import Engagement, Partner
from partnerships.timeline import PER_PAGE, SOURCES, YEAR_NOT_STATED_SHOWN, events_of

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

MANY = 50
# The queries reading the events without a year: one per entry type.
NO_YEAR_READS = 4
# The chart drawn to scale above the list (tests/test_timeline_chart.py): the events
# per lane and year, the marks, the entries with no year beside it.
CHART_READS = 3


def list_text(response):
    """The visible text of the timeline's list, below the chart (which names entries
    with no year beside the axis)."""
    content = response.content.decode()
    return page_text(
        SimpleNamespace(content=content[content.index('class="list-layout"') :].encode())
    )


def at(value, precision, prefix, approximate=False):
    return {
        prefix: value,
        f"{prefix}_precision": precision,
        f"{prefix}_approximate": approximate,
    }


def in_month(month, prefix, approximate=False):
    """A month the source gives without a year ("in February")."""
    return {
        prefix: None,
        f"{prefix}_precision": DatePrecision.MONTH_NO_YEAR,
        f"{prefix}_month": month,
        f"{prefix}_approximate": approximate,
    }


@pytest.fixture
def history():
    israel = make_partner(name="Israel", slug="israel")
    make_agreement(
        title="Hermes agreement",
        parties=[israel],
        **at(datetime.date(2021, 1, 1), DatePrecision.YEAR, "date"),
    )
    make_agreement(
        title="$500 million deal",
        parties=[israel],
        **at(datetime.date(2022, 2, 1), DatePrecision.MONTH, "date", approximate=True),
    )
    make_exercise(
        name="Steadfast Jackal",
        **at(datetime.date(2023, 12, 1), DatePrecision.MONTH, "start_date"),
    )
    make_procurement(
        system="F-16",
        **at(datetime.date(2021, 3, 4), DatePrecision.DAY, "order_date"),
        **at(datetime.date(2023, 1, 1), DatePrecision.YEAR, "delivery_date"),
    )
    make_agreement(title="Undated arrangement")


def test_it_lists_every_dated_event_in_order_at_its_precision(client, history):
    response = client.get("/timeline/")

    text = page_text(response)
    assert "5 dated events" in text
    assert (
        "2021 2021 Cooperation agreement concluded: Hermes agreement "
        "4 March 2021 Ordered: F-16 "
        "2022 February 2022 (approximate) Cooperation agreement concluded: $500 million deal "
        "2023 2023 Delivered: F-16 "
        "December 2023 Exercise held: Steadfast Jackal"
    ) in text
    assert "Undated arrangement" not in list_text(response)


def test_it_heads_each_year_and_escapes_what_it_names(client, history):
    make_agreement(
        title="<b>Pact</b> & co", **at(datetime.date(2021, 5, 1), DatePrecision.MONTH, "date")
    )

    timeline = client.get("/timeline/").content.decode()
    partner_page = client.get("/partners/israel/").content.decode()

    assert timeline.count('<section class="timeline-year"') == 3
    assert '<h3 id="year-2021">2021</h3>' in timeline
    assert ">&lt;b&gt;Pact&lt;/b&gt; &amp; co</a>" in timeline
    assert "<b>Pact</b>" not in timeline
    # A partner's page gives its years ids of their own.
    assert '<section class="timeline-year" aria-labelledby="partner-year-2022">' in partner_page
    assert '<h3 id="partner-year-2022">2022</h3>' in partner_page


def test_it_filters_by_partner_and_type(client, history):
    assert page_text(client.get("/timeline/?partner=israel")).count("concluded:") == 2
    assert "F-16" not in page_text(client.get("/timeline/?partner=israel"))

    text = page_text(client.get("/timeline/?type=equipment"))
    assert "2 dated events matching the filters" in text
    assert "Hermes" not in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"partner": "atlantis"}, "There is no partner with this name in the wiki."),
        ({"partner": "\x00"}, "There is no partner with this name in the wiki."),
        ({"type": "<script>"}, "Choose agreements, exercises, equipment or engagements."),
    ],
)
def test_it_explains_bad_filters(client, history, query, message):
    response = client.get("/timeline/", query)

    assert response.status_code == 400
    assert message in page_text(response)
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_it_reads_each_date_column_at_most_twice_however_many_events(
    client, django_assert_num_queries
):
    partner = make_partner()

    def add_events():
        make_agreement(
            parties=[partner], **at(datetime.date(2020, 1, 1), DatePrecision.YEAR, "date")
        )
        make_exercise(
            participants=[partner],
            **at(datetime.date(2021, 5, 1), DatePrecision.MONTH, "start_date"),
        )
        make_procurement(
            supplier=partner, **at(datetime.date(2022, 1, 1), DatePrecision.YEAR, "order_date")
        )
        make_engagement(
            partners=[partner], **at(datetime.date(2023, 4, 12), DatePrecision.DAY, "date")
        )

    add_events()
    few = count_queries(client, "/timeline/")
    # Each column read once (all its rows fit), and each type's events without a year.
    assert few == len(SOURCES) + NO_YEAR_READS + CHART_READS
    for _ in range(MANY - 1):
        add_events()
    queries = count_queries(client, "/timeline/")
    # A column whose rows may reach further into the page is read once more.
    assert few < queries <= 2 * len(SOURCES) + NO_YEAR_READS + CHART_READS
    for _ in range(MANY):
        add_events()

    with django_assert_num_queries(queries):
        response = client.get("/timeline/")
    # 400 events: the latest page holds PER_PAGE of them, and leads to the rest.
    assert f"{PER_PAGE} dated events, from" in page_text(response)
    assert response.context["earlier_url"]


def test_a_partners_timeline_reads_each_column_once_however_many_events(client):
    """Read again from a row, the busiest partner's column met a plan that hashed every
    dated row of it (timeline.FIRST_READ): a partner's page reads a page's worth."""
    partner = make_partner()
    make_agreement(parties=[partner], **at(datetime.date(2020, 1, 1), DatePrecision.YEAR, "date"))
    few = count_queries(client, f"/timeline/?partner={partner.slug}")
    for n in range(PER_PAGE):
        day = datetime.date(1990 + n % 30, 1, 1)
        make_agreement(parties=[partner], **at(day, DatePrecision.YEAR, "date"))
    assert count_queries(client, f"/timeline/?partner={partner.slug}") == few


def test_a_partners_columns_are_planned_for_that_partner(client, monkeypatch):
    """A plan made once for an average partner read and sorted every row of the busiest
    one (compiled.planned_for_each_call): a partner's columns are planned each time,
    the whole timeline's are not."""
    import contextlib

    from partnerships import timeline

    entered = []

    @contextlib.contextmanager
    def recorded():
        entered.append(True)
        yield

    monkeypatch.setattr(timeline, "planned_for_each_call", recorded)
    partner = make_partner()
    make_agreement(parties=[partner], **at(datetime.date(2020, 1, 1), DatePrecision.YEAR, "date"))

    assert client.get("/timeline/").status_code == 200
    assert entered == []
    assert client.get(f"/timeline/?partner={partner.slug}").status_code == 200
    assert len(entered) == len(SOURCES)
    entered.clear()
    cursor = "2020-01-01.0.1"
    assert client.get(f"/timeline/?partner={partner.slug}&before={cursor}").status_code == 200
    assert len(entered) == len(SOURCES)


def test_a_column_read_again_gives_the_page_every_read_at_once_gives(monkeypatch):
    from partnerships import timeline

    partner = make_partner()
    days = [datetime.date(2000 + n // 12, 1 + n % 12, 1) for n in range(90)]
    for n, day in enumerate(days):
        make_agreement(parties=[partner], **at(day, DatePrecision.MONTH, "date"))
        if n % 3 == 0:
            make_exercise(participants=[partner], **at(day, DatePrecision.MONTH, "start_date"))

    def pages():
        shown = []
        for args in (
            {},
            {"partner": partner},
            {"type": "agreement"},
            {"after": timeline.year_cursor(2003)},
            {"before": timeline.year_cursor(2005)},
        ):
            page = timeline.timeline_page(**args)
            shown.append(([event.cursor for event in page.events], page.earlier, page.later))
        return shown

    in_steps = pages()
    monkeypatch.setattr(timeline, "FIRST_READ", PER_PAGE + 1)
    assert pages() == in_steps
    assert all(len(events) == PER_PAGE for events, *_ in in_steps)


# -- pages -----------------------------------------------------------------------------


@pytest.fixture
def three_per_page(monkeypatch):
    monkeypatch.setattr("partnerships.timeline.PER_PAGE", 3)


@pytest.fixture
def ten_years():
    """An agreement concluded in each year from 2011 to 2020."""
    partner = make_partner(name="Spain", slug="spain")
    for year in range(2011, 2021):
        make_agreement(
            title=f"Accord of {year}",
            parties=[partner],
            **at(datetime.date(year, 1, 1), DatePrecision.YEAR, "date"),
        )


def shown(response):
    return [event.entry.title for event in response.context["events"]]


def test_it_shows_the_latest_page_first_with_a_way_to_earlier_events(
    client, ten_years, three_per_page
):
    response = client.get("/timeline/")
    assert shown(response) == ["Accord of 2018", "Accord of 2019", "Accord of 2020"]
    assert "3 dated events, from 2018 to 2020" in page_text(response)
    earlier = response.context["earlier_url"]
    assert response.context["later_url"] == ""

    response = client.get(earlier)
    assert shown(response) == ["Accord of 2015", "Accord of 2016", "Accord of 2017"]
    later = response.context["later_url"]
    assert shown(client.get(later)) == ["Accord of 2018", "Accord of 2019", "Accord of 2020"]


def test_it_reads_every_event_once_page_by_page(client, ten_years, three_per_page):
    seen, url = [], "/timeline/?from=1990"
    while url:
        response = client.get(url)
        seen += shown(response)
        url = response.context["later_url"]
    assert seen == [f"Accord of {year}" for year in range(2011, 2021)]


def test_it_goes_to_a_year_and_keeps_the_filters(client, ten_years, three_per_page):
    response = client.get("/timeline/?from=2014&partner=spain&type=agreement")
    assert shown(response) == ["Accord of 2014", "Accord of 2015", "Accord of 2016"]
    assert "partner=spain" in response.context["later_url"]
    assert "type=agreement" in response.context["earlier_url"]


def test_a_page_beyond_the_last_event_says_so(client, ten_years, three_per_page):
    response = client.get("/timeline/?from=2050")
    assert response.status_code == 200
    assert "No dated event on this side" in page_text(response)
    assert response.context["earlier_url"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"after": "yesterday"}, "not one this site made"),
        ({"before": "2021-02-30.0.1"}, "not one this site made"),
        ({"after": "2021-01-01.9.1"}, "not one this site made"),
        ({"from": "21st century"}, "Go to a year between 1900 and 2100"),
        ({"from": "1066"}, "Go to a year between 1900 and 2100"),
        ({"after": "2021-01-01.0.1", "before": "2021-01-01.0.1"}, "not both"),
    ],
)
def test_it_explains_bad_places(client, ten_years, query, message):
    response = client.get("/timeline/", query)
    assert response.status_code == 400
    assert message in page_text(response)


def test_its_pages_cost_the_same_for_10_or_50_events(
    client, three_per_page, django_assert_num_queries
):
    partner = make_partner()
    for year in range(1960, 1970):
        make_agreement(parties=[partner], **at(datetime.date(year, 1, 1), "year", "date"))
    queries = count_queries(client, "/timeline/?from=1961")
    for year in range(1970, 2010):
        make_agreement(parties=[partner], **at(datetime.date(year, 1, 1), "year", "date"))
    with django_assert_num_queries(queries):
        response = client.get("/timeline/?from=1961")
    assert len(response.context["events"]) == 3


# -- events whose year the sources do not state -----------------------------------------


@pytest.fixture
def without_a_year(history):
    """Beside `history`'s dated events: a month without a year on each type of entry."""
    israel = Partner.objects.get(slug="israel")
    make_agreement(
        title="Morocco–Israel $500 million defence agreement",
        slug="morocco-israel-defence",
        parties=[israel],
        **in_month(2, "date"),
    )
    make_exercise(name="Desert Falcon", **in_month(11, "start_date"))
    make_procurement(
        system="Barak MX",
        supplier=israel,
        **at(datetime.date(2022, 6, 1), DatePrecision.MONTH, "order_date"),
        **in_month(5, "delivery_date", approximate=True),
    )


def year_section(content, prefix=""):
    """The HTML of the "Year not stated" section, or ""."""
    start = content.find(f'aria-labelledby="{prefix}year-not-stated"')
    if start == -1:
        return ""
    return content[start : content.index("</section>", start)]


def test_it_lists_events_without_a_year_apart_from_the_years(client, without_a_year):
    response = client.get("/timeline/")

    text = page_text(response)
    content = response.content.decode()
    # The dated events as before, and one more: the deal's order, whose year is known.
    assert "6 dated events" in text
    assert "June 2022 Ordered: Barak MX" in text
    assert (
        "Year not stated The sources give these a month but no year, so they have no place "
        "among the years. "
        "February, year not stated Cooperation agreement concluded: "
        "Morocco–Israel $500 million defence agreement "
        "May, year not stated (approximate) Delivered: Barak MX "
        "November, year not stated Exercise held: Desert Falcon"
    ) in text
    section = year_section(content)
    assert '<h3 id="year-not-stated">Year not stated</h3>' in section
    # HTML has no <time> for a month without a year: the words alone.
    assert '<time datetime="--02"' not in section and "February, year not stated" in section
    assert 'href="/agreements/morocco-israel-defence/"' in section
    # Not placed among the years, nor counted with the dated events.
    # (The chart above names it too, beside its axis, as it has no year.)
    assert list_text(response).count("Morocco–Israel $500 million defence agreement") == 1
    assert content.index('id="year-2023"') < content.index('id="year-not-stated"')
    assert "Entries with no date at all are not in this list" in text
    assert "Undated arrangement" not in list_text(response)


def test_it_keeps_the_page_valid_with_events_without_a_year(client, without_a_year):
    from .test_search import Page

    page = Page(client.get("/timeline/").content.decode())

    assert page.problems == []
    assert ("h3", "Year not stated") in page.headings


def test_it_filters_events_without_a_year_by_partner_and_type(client, without_a_year):
    israel = page_text(client.get("/timeline/?partner=israel"))
    exercises = page_text(client.get("/timeline/?type=exercise"))
    equipment = page_text(client.get("/timeline/?type=equipment&partner=israel"))

    assert "February, year not stated" in israel and "May, year not stated" in israel
    assert "Desert Falcon" not in israel
    assert "November, year not stated Exercise held: Desert Falcon" in exercises
    assert "Morocco–Israel" not in exercises and "Barak MX" not in exercises
    assert "May, year not stated (approximate) Delivered: Barak MX" in equipment
    assert "Morocco–Israel" not in equipment


def test_it_shows_events_without_a_year_on_every_page_of_the_timeline(
    client, without_a_year, three_per_page
):
    latest = client.get("/timeline/")
    earlier = client.get(latest.context["earlier_url"])

    assert [str(event.entry) for event in latest.context["page"].year_not_stated] == [
        "Morocco–Israel $500 million defence agreement",
        "Barak MX",
        "Desert Falcon",
    ]
    assert "February, year not stated" in page_text(earlier)
    assert "Year not stated" in page_text(client.get("/timeline/?from=2050"))


def test_it_says_so_when_only_events_without_a_year_match(client, without_a_year):
    response = client.get("/timeline/?type=exercise&partner=israel")
    assert "No dated event matches these filters." in page_text(response)
    assert 'id="year-not-stated"' not in response.content.decode()

    make_exercise(
        name="Sea Breeze",
        participants=[Partner.objects.get(slug="israel")],
        **in_month(3, "start_date"),
    )
    text = page_text(client.get("/timeline/?type=exercise&partner=israel"))
    assert (
        "No dated event matches these filters, except those whose year is not stated, below."
        in text
    )
    assert "March, year not stated Exercise held: Sea Breeze" in text


def test_it_caps_events_without_a_year_and_points_to_the_lists(client, monkeypatch):
    monkeypatch.setattr("partnerships.timeline.YEAR_NOT_STATED_SHOWN", 3)
    spain = make_partner(name="Spain", slug="spain")
    for month in range(1, 6):
        make_agreement(title=f"Accord {month}", parties=[spain], **in_month(month, "date"))
    make_exercise(name="Lone exercise", **in_month(12, "start_date"))

    response = client.get("/timeline/")
    filtered = client.get("/timeline/?partner=spain")

    assert [event.entry.title for event in response.context["page"].year_not_stated] == [
        "Accord 1",
        "Accord 2",
        "Accord 3",
    ]
    text = page_text(response)
    assert "These are 3 of the events without a year; there are more." in text
    assert "The lists of agreements and exercises hold them all" in text
    content = response.content.decode()
    assert '<a href="/agreements/">agreements</a>' in content
    assert '<a href="/exercises/">exercises</a>' in content
    assert 'href="/equipment/"' not in year_section(content) + text.split("Year not stated")[-1]
    assert '<a href="/agreements/?partner=spain">agreements</a>' in filtered.content.decode()
    assert "exercises</a>" not in filtered.content.decode().split('id="year-not-stated"')[1]


def test_it_gives_no_pointer_when_every_event_without_a_year_is_shown(client, without_a_year):
    response = client.get("/timeline/")

    assert response.context["page"].more_in == []
    assert "there are more" not in page_text(response)


@pytest.mark.parametrize("url", ["/timeline/", "/timeline/?partner=spain", "/timeline/?from=2000"])
def test_it_reads_events_without_a_year_in_the_same_queries_for_1_or_50(
    client, url, django_assert_num_queries
):
    spain = make_partner(name="Spain", slug="spain")

    def add(count):
        for n in range(count):
            make_agreement(parties=[spain], **in_month(1 + n % 12, "date"))
            make_exercise(participants=[spain], **in_month(1 + n % 12, "end_date"))
            make_procurement(supplier=spain, **in_month(1 + n % 12, "order_date"))
            make_engagement(partners=[spain], **in_month(1 + n % 12, "end_date"))

    add(1)
    queries = count_queries(client, url)
    add(MANY - 1)

    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["page"].year_not_stated) == YEAR_NOT_STATED_SHOWN
    assert response.context["page"].more_in


def test_a_partner_page_lists_its_events_without_a_year_after_its_years(
    client, without_a_year, django_assert_num_queries
):
    url = "/partners/israel/"
    content = client.get(url).content.decode()

    section = year_section(content, "partner-")
    assert '<h3 id="partner-year-not-stated">Year not stated</h3>' in section
    assert "February, year not stated" in section and "May, year not stated" in section
    assert content.index('id="partner-year-2022"') < content.index('id="partner-year-not-stated"')
    # Read with the entries the page lists: no query of their own.
    queries = count_queries(client, url)
    for month in range(1, 6):
        make_agreement(parties=[Partner.objects.get(slug="israel")], **in_month(month, "date"))
    with django_assert_num_queries(queries):
        client.get(url)


def test_events_of_puts_events_without_a_year_last_by_month():
    partner = make_partner()
    later = make_agreement(parties=[partner], **in_month(9, "date"))
    sooner = make_agreement(parties=[partner], **in_month(3, "date"), **in_month(4, "end_date"))
    dated = make_agreement(
        parties=[partner], **at(datetime.date(2001, 1, 1), DatePrecision.YEAR, "date")
    )

    events = events_of([later, sooner, dated])

    assert [(event.entry, event.what, event.year) for event in events] == [
        (dated, "Cooperation agreement concluded", 2001),
        (sooner, "Cooperation agreement concluded", None),
        (sooner, "Ends", None),
        (later, "Cooperation agreement concluded", None),
    ]
    assert [event.date.iso for event in events] == ["2001", "--03", "--04", "--09"]


# -- engagements ---------------------------------------------------------------------------


@pytest.fixture
def engagements(history):
    """Beside `history`'s events: engagements, one hedged, one over days, one whose year
    the source does not state, and one with no date at all."""
    israel = Partner.objects.get(slug="israel")
    spain = make_partner(name="Spain", slug="spain")
    make_engagement(
        title="Israeli delegation in Rabat",
        slug="israeli-delegation",
        kind=Engagement.Kind.VISIT,
        place="Rabat",
        hedge="reportedly",
        partners=[(israel, "visitor")],
        **at(datetime.date(2022, 7, 1), DatePrecision.MONTH, "date"),
    )
    make_engagement(
        title="Officers' course",
        slug="officers-course",
        kind=Engagement.Kind.TRAINING,
        partners=[spain],
        **at(datetime.date(2021, 9, 6), DatePrecision.DAY, "date"),
        **at(datetime.date(2021, 9, 17), DatePrecision.DAY, "end_date"),
    )
    make_engagement(
        title="Joint statement",
        slug="joint-statement",
        kind=Engagement.Kind.STATEMENT,
        partners=[israel],
        **in_month(10, "date"),
    )
    make_engagement(title="Talks at some point", slug="talks", partners=[israel])


def test_it_lists_engagements_as_dated_events_with_their_kind_hedge_and_place(client, engagements):
    response = client.get("/timeline/")

    text = page_text(response)
    assert "7 dated events" in text
    assert (
        "2021 2021 Cooperation agreement concluded: Hermes agreement "
        "4 March 2021 Ordered: F-16 "
        "6 September 2021 to 17 September 2021 Training or education course: Officers' course "
        "2022 February 2022 (approximate) Cooperation agreement concluded: $500 million deal "
        "July 2022 Visit (reportedly), in Rabat: Israeli delegation in Rabat "
    ) in text
    content = response.content.decode()
    assert '<li class="event event-engagement">' in content
    assert 'href="/engagements/israeli-delegation/"' in content
    assert "Talks at some point" not in list_text(response)
    assert (
        "Year not stated The sources give these a month but no year, so they have no place "
        "among the years. October, year not stated Statement: Joint statement"
    ) in text


def test_it_escapes_what_an_engagement_says_of_itself(client):
    make_engagement(
        title="<i>Talks</i>",
        place="<b>Rabat</b> & Fes",
        hedge="<script>x</script>",
        **at(datetime.date(2020, 1, 1), DatePrecision.YEAR, "date"),
    )

    content = client.get("/timeline/").content.decode()

    assert "Visit (&lt;script&gt;x&lt;/script&gt;), in &lt;b&gt;Rabat&lt;/b&gt; &amp; Fes:" in (
        content
    )
    assert ">&lt;i&gt;Talks&lt;/i&gt;</a>" in content
    assert "<script>x" not in content and "<b>Rabat" not in content


def test_it_filters_engagements_by_partner_and_type(client, engagements):
    israel = page_text(client.get("/timeline/?partner=israel"))
    spain = page_text(client.get("/timeline/?partner=spain"))
    only = client.get("/timeline/?type=engagement")

    assert "July 2022 Visit (reportedly), in Rabat: Israeli delegation in Rabat" in israel
    assert "October, year not stated Statement: Joint statement" in israel
    assert "Officers' course" not in israel
    assert "Officers' course" in spain and "Israeli delegation" not in spain
    text = page_text(only)
    assert only.status_code == 200
    assert "2 dated events matching the filters" in text
    assert "Hermes" not in text and "F-16" not in text
    assert "October, year not stated Statement: Joint statement" in text
    assert "Joint statement" not in page_text(client.get("/timeline/?type=agreement"))


def test_it_points_to_the_engagements_list_when_there_are_more_without_a_year(client, monkeypatch):
    monkeypatch.setattr("partnerships.timeline.YEAR_NOT_STATED_SHOWN", 2)
    spain = make_partner(name="Spain", slug="spain")
    for month in range(1, 5):
        make_engagement(title=f"Visit {month}", partners=[spain], **in_month(month, "date"))

    response = client.get("/timeline/")
    filtered = client.get("/timeline/?partner=spain")

    assert [event.entry.title for event in response.context["page"].year_not_stated] == [
        "Visit 1",
        "Visit 2",
    ]
    assert '<a href="/engagements/">engagements</a>' in response.content.decode()
    assert '<a href="/engagements/?partner=spain">engagements</a>' in (filtered.content.decode())


def test_it_pages_through_engagements_with_the_other_events(client, three_per_page):
    spain = make_partner(name="Spain", slug="spain")
    for year in range(2011, 2016):
        make_agreement(
            title=f"Accord of {year}",
            parties=[spain],
            **at(datetime.date(year, 1, 1), DatePrecision.YEAR, "date"),
        )
        make_engagement(
            title=f"Visit of {year}",
            partners=[spain],
            **at(datetime.date(year, 1, 1), DatePrecision.YEAR, "date"),
        )

    seen, url = [], "/timeline/?from=1990"
    while url:
        response = client.get(url)
        seen += shown(response)
        url = response.context["later_url"]

    # On one date, the agreement's column comes before the engagement's.
    assert seen == [
        title for year in range(2011, 2016) for title in (f"Accord of {year}", f"Visit of {year}")
    ]


def test_events_of_takes_engagements_too():
    partner = make_partner()
    agreement = make_agreement(
        parties=[partner], **at(datetime.date(2020, 1, 1), DatePrecision.YEAR, "date")
    )
    visit = make_engagement(
        partners=[partner],
        hedge="reportedly",
        **at(datetime.date(2019, 3, 1), DatePrecision.MONTH, "date"),
        **at(datetime.date(2019, 4, 1), DatePrecision.MONTH, "end_date"),
    )
    statement = make_engagement(
        partners=[partner], kind=Engagement.Kind.STATEMENT, **in_month(5, "date")
    )
    undated = make_engagement(partners=[partner])

    events = events_of([agreement], (), (), engagements=[statement, undated, visit])

    assert [(event.entry, event.what, event.type) for event in events] == [
        (visit, "Visit (reportedly)", "engagement"),
        (agreement, "Cooperation agreement concluded", "agreement"),
        (statement, "Statement", "engagement"),
    ]
    assert str(events[0].until) == "April 2019"
    # The partner page's call, without engagements, works as before.
    assert [event.entry for event in events_of([agreement], [], [])] == [agreement]
