"""The lists' orders: empty values last whichever way a column is sorted, ties broken
by the primary key in the sort's direction, and a default order that is total too,
on both databases (PostgreSQL puts NULL first in descending order, SQLite in
ascending; the sorts say where it goes). That these orders are read from indexes,
tests/test_query_plans.py checks."""

import datetime
from decimal import Decimal

import pytest

from partnerships.dates import DatePrecision
from partnerships.models import Agreement

from .conftest import make_agreement, make_exercise, make_partner, make_procurement

pytestmark = pytest.mark.django_db


def dated(field, year):
    return {field: datetime.date(year, 1, 1), f"{field}_precision": DatePrecision.YEAR}


# The equipment list's columns that may be empty.
NULLABLE = ["quantity", "ordered", "value"]


def rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [str(row) for row in response.context["rows"]]


def test_it_lists_undated_agreements_last_in_both_directions_and_by_default(client):
    make_agreement(title="Undated")
    make_agreement(title="Older", **dated("date", 2010))
    make_agreement(title="Newer", **dated("date", 2020))

    assert rows(client, "/agreements/") == ["Newer", "Older", "Undated"]
    assert rows(client, "/agreements/?sort=-date") == ["Newer", "Older", "Undated"]
    assert rows(client, "/agreements/?sort=date") == ["Older", "Newer", "Undated"]
    assert [str(a) for a in Agreement.objects.all()] == ["Newer", "Older", "Undated"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/exercises/", ["Newer", "Older", "Undated"]),
        ("/exercises/?sort=-start", ["Newer", "Older", "Undated"]),
        ("/exercises/?sort=start", ["Older", "Newer", "Undated"]),
    ],
)
def test_it_lists_undated_exercises_last(client, url, expected):
    make_exercise(name="Undated")
    make_exercise(name="Older", **dated("start_date", 2010))
    make_exercise(name="Newer", **dated("start_date", 2020))

    assert rows(client, url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/equipment/", ["High", "Low", "Unknown"]),
        *[(f"/equipment/?sort={column}", ["Low", "High", "Unknown"]) for column in NULLABLE],
        *[(f"/equipment/?sort=-{column}", ["High", "Low", "Unknown"]) for column in NULLABLE],
    ],
)
def test_it_lists_unknown_numbers_and_dates_last_both_ways(client, url, expected):
    supplier = make_partner(name="Supplier")
    make_procurement(system="Unknown", supplier=supplier)
    for system, number in (("Low", 1), ("High", 2)):
        make_procurement(
            system=system,
            supplier=supplier,
            quantity=number,
            value_amount=Decimal(number * 100),
            value_currency="USD",
            **dated("order_date", 2000 + number),
        )

    assert rows(client, url) == expected


def test_it_breaks_ties_by_creation_in_the_direction_of_the_sort(client):
    for name in ("First", "Second", "Third"):
        make_agreement(title=name, kind=Agreement.Kind.TREATY)

    assert rows(client, "/agreements/?sort=kind") == ["First", "Second", "Third"]
    assert rows(client, "/agreements/?sort=-kind") == ["Third", "Second", "First"]


def test_it_breaks_ties_of_the_default_order_by_creation(client):
    first = make_agreement(title="Same", **dated("date", 2020))
    second = make_agreement(title="Same", **dated("date", 2020))

    response = client.get("/agreements/")

    assert list(response.context["rows"]) == [first, second]
    assert list(Agreement.objects.all()) == [first, second]


def test_it_sorts_by_a_related_name_with_ties_by_creation(client):
    alpha, beta = make_partner(name="Alpha"), make_partner(name="Beta")
    make_procurement(system="From beta", supplier=beta)
    make_procurement(system="First from alpha", supplier=alpha)
    make_procurement(system="Second from alpha", supplier=alpha)

    assert rows(client, "/equipment/?sort=supplier") == [
        "First from alpha",
        "Second from alpha",
        "From beta",
    ]
    assert rows(client, "/equipment/?sort=-supplier") == [
        "From beta",
        "Second from alpha",
        "First from alpha",
    ]


def test_it_skips_empty_items_of_a_sort(client):
    make_agreement(title="Undated")
    make_agreement(title="Older", **dated("date", 2010))
    make_agreement(title="Newer", **dated("date", 2020))

    assert rows(client, "/agreements/?sort=,") == ["Newer", "Older", "Undated"]
    assert rows(client, "/agreements/?sort=date,,") == ["Older", "Newer", "Undated"]
    assert rows(client, "/agreements/?sort=kind,-date") == ["Newer", "Older", "Undated"]
