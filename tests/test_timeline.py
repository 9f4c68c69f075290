"""The timeline: every dated entry in order, at its precision, filterable."""

import datetime

import pytest

from partnerships.dates import DatePrecision

from .conftest import (
    count_queries,
    make_agreement,
    make_exercise,
    make_partner,
    make_procurement,
    page_text,
)

pytestmark = pytest.mark.django_db

MANY = 50


def at(value, precision, prefix, approximate=False):
    return {
        prefix: value,
        f"{prefix}_precision": precision,
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
        "2022 February 2022 (year approximate) Cooperation agreement concluded: $500 million deal "
        "2023 2023 Delivered: F-16 "
        "December 2023 Exercise held: Steadfast Jackal"
    ) in text
    assert "Undated arrangement" not in text


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
        ({"type": "<script>"}, "Choose agreements, exercises or equipment."),
    ],
)
def test_it_explains_bad_filters(client, history, query, message):
    response = client.get("/timeline/", query)

    assert response.status_code == 400
    assert message in page_text(response)
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_it_shows_the_timeline_in_the_same_queries_for_1_or_50_events(
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

    add_events()
    queries = count_queries(client, "/timeline/")
    for _ in range(MANY - 1):
        add_events()

    with django_assert_num_queries(queries):
        response = client.get("/timeline/")
    assert f"{3 * MANY} dated events" in page_text(response)
