"""A month the source gives without a year ("in February") is stored, shown, sorted and
filtered as exactly that: never with a year."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships.dates import DatePrecision, PreciseDate
from partnerships.models import Agreement

from .conftest import (
    admin_form_data,
    admin_url,
    error_messages,
    make_agreement,
    make_citation,
    make_partner,
    page_text,
)

pytestmark = pytest.mark.django_db

NO_YEAR = DatePrecision.MONTH_NO_YEAR


def test_it_shows_a_month_without_a_year_as_the_source_words_it():
    date = PreciseDate(None, NO_YEAR, False, 2)

    assert str(date) == "February, year not stated"
    assert date.iso == "--02"
    assert not date.known and date.stated and date.year_not_stated


def test_it_stores_a_month_without_a_year_with_no_date():
    agreement = make_agreement(date_precision=NO_YEAR, date_month=2)
    agreement.full_clean()

    agreement.refresh_from_db()
    assert agreement.date is None
    assert str(agreement.concluded) == "February, year not stated"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date_precision": NO_YEAR}, "date_month", "Give the month the source names"),
        (
            {"date_precision": NO_YEAR, "date_month": 2, "date": datetime.date(2022, 2, 1)},
            "date",
            "A month without a year has no date",
        ),
        (
            {"date_month": 2, "date": datetime.date(2022, 2, 1), "date_precision": "month"},
            "date_month",
            "Give a month here only when the source states no year",
        ),
    ],
)
def test_it_explains_a_month_without_a_year_given_wrongly(values, field, message):
    agreement = Agreement(title="A", slug="a", kind=Agreement.Kind.TREATY, **values)

    with pytest.raises(ValidationError) as error:
        agreement.full_clean()

    assert message in " ".join(error.value.message_dict[field])


@pytest.mark.parametrize(
    "values",
    [
        {"date_precision": NO_YEAR},
        {"date_precision": NO_YEAR, "date_month": 13},
        {"date_precision": NO_YEAR, "date_month": 2, "date": datetime.date(2022, 2, 1)},
        {"date_precision": "month", "date_month": 2, "date": datetime.date(2022, 2, 1)},
        {"date_month": 2},
    ],
)
def test_the_database_refuses_a_month_without_a_year_given_wrongly(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(title="A", slug="a", kind=Agreement.Kind.TREATY, **values)


def test_a_month_without_a_year_may_be_hedged_by_its_source():
    agreement = make_agreement(date_precision=NO_YEAR, date_month=5, date_approximate=True)
    agreement.full_clean()

    assert str(agreement.concluded) == "May, year not stated (approximate)"


def test_the_page_shows_no_year_for_it(client):
    agreement = make_agreement(
        parties=[make_partner()], date_precision=NO_YEAR, date_month=2, title="The deal"
    )
    make_citation(agreement, facts="existence date")

    text = page_text(client.get(agreement.get_absolute_url()))

    assert "Concluded February, year not stated[1]" in text
    assert "2022" not in text


def test_the_list_sorts_and_filters_it_with_the_undated(client):
    make_agreement(title="Dated", date=datetime.date(2021, 1, 1), date_precision="year")
    make_agreement(title="Year-less", date_precision=NO_YEAR, date_month=2)
    make_agreement(title="Undated")

    newest = page_text(client.get("/agreements/?sort=-date"))
    oldest = page_text(client.get("/agreements/?sort=date"))
    in_2021 = page_text(client.get("/agreements/?year_from=2021&year_to=2021"))

    assert newest.index("Dated") < newest.index("Year-less")
    assert oldest.index("Dated") < oldest.index("Year-less")
    assert "February, year not stated" in newest
    assert "Year-less" not in in_2021 and "Dated" in in_2021


def test_an_editor_enters_a_month_without_a_year_in_the_admin(editor_client):
    agreement = make_agreement(parties=[make_partner()])
    make_citation(agreement, facts="existence")
    url = admin_url(agreement)
    data = admin_form_data(
        editor_client.get(url),
        {
            "date_precision": NO_YEAR,
            "date_month": 2,
            "date": None,
            "edit_summary": "The source says only “in February”",
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302, error_messages(response)
    agreement.refresh_from_db()
    assert (agreement.date, agreement.date_month) == (None, 2)


def test_the_admin_explains_a_year_given_with_it(editor_client):
    agreement = make_agreement(parties=[make_partner()])
    make_citation(agreement, facts="existence")
    url = admin_url(agreement)
    data = admin_form_data(
        editor_client.get(url),
        {
            "date_precision": NO_YEAR,
            "date_month": 2,
            "date": "2022-02-01",
            "edit_summary": "Guess a year",
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert any("A month without a year has no date" in m for m in error_messages(response))
