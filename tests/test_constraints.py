"""Every data rule is refused twice: by full_clean() with a plain message on the
right field (what an editor sees in the admin), and by the database itself when
validation is bypassed (named constraints)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships.dates import DatePrecision, PreciseDate
from partnerships.models import Agreement, AgreementParty, ExerciseParticipant, Partner
from sources.models import Citation

from .conftest import (
    QUOTE,
    admin_form_data,
    inline_prefixes,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
)

pytestmark = pytest.mark.django_db

MAKERS = {
    "partner": make_partner,
    "agreement": make_agreement,
    "exercise": make_exercise,
    "procurement": make_procurement,
    "source": make_source,
}

# Every date of every model, each stored as date + precision + approximate flag.
DATES = [
    ("agreement", "date"),
    ("agreement", "start_date"),
    ("agreement", "end_date"),
    ("exercise", "start_date"),
    ("exercise", "end_date"),
    ("procurement", "order_date"),
    ("procurement", "delivery_date"),
    ("source", "publication_date"),
]

APRIL_12 = datetime.date(2024, 4, 12)
MAY_1 = datetime.date(2024, 5, 1)
ONE_ENTRY = (
    "A citation belongs to exactly one partner, agreement, exercise, procurement, person, "
    "engagement or indicator."
)


def assert_refused(obj, field, message):
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert message in excinfo.value.message_dict[field]


def assert_refused_by_database(obj):
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


# -- unique slugs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("partner", "Partner with this Slug already exists."),
        ("agreement", "Agreement with this Slug already exists."),
        ("exercise", "Exercise with this Slug already exists."),
        ("procurement", "Equipment procurement with this Slug already exists."),
        ("source", "Source with this Slug already exists."),
    ],
)
def test_it_refuses_a_slug_already_taken(kind, message):
    first, second = MAKERS[kind](), MAKERS[kind]()
    second.slug = first.slug

    assert_refused(second, "slug", message)
    assert_refused_by_database(second)


# -- dates in order ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "first", "second", "message"),
    [
        ("agreement", "start_date", "end_date", "The end date cannot be before the start."),
        ("exercise", "start_date", "end_date", "The end date cannot be before the start."),
        (
            "procurement",
            "order_date",
            "delivery_date",
            "Delivery cannot come before the order.",
        ),
    ],
)
def test_it_refuses_a_second_date_before_the_first(kind, first, second, message):
    entry = MAKERS[kind]()
    setattr(entry, first, MAY_1)
    setattr(entry, f"{first}_precision", DatePrecision.DAY)
    setattr(entry, second, APRIL_12)
    setattr(entry, f"{second}_precision", DatePrecision.DAY)

    assert_refused(entry, second, message)
    assert_refused_by_database(entry)


def test_it_accepts_an_end_on_the_start_day():
    agreement = make_agreement(
        start_date=APRIL_12,
        start_date_precision=DatePrecision.DAY,
        end_date=APRIL_12,
        end_date_precision=DatePrecision.DAY,
    )

    agreement.full_clean()


# -- quantities and values -----------------------------------------------------


def test_it_refuses_a_negative_quantity():
    procurement = make_procurement()
    procurement.quantity = -1

    assert_refused(
        procurement, "quantity", "A quantity cannot be negative; leave it empty when unknown."
    )
    assert_refused_by_database(procurement)


def test_it_accepts_a_zero_or_unknown_quantity():
    make_procurement(quantity=0).full_clean()
    make_procurement(quantity=None).full_clean()


@pytest.mark.parametrize("kind", ["agreement", "procurement"])
def test_it_refuses_a_negative_value(kind):
    entry = MAKERS[kind]()
    entry.value_amount, entry.value_currency = Decimal("-1"), "USD"

    assert_refused(entry, "value_amount", "A value cannot be negative.")
    assert_refused_by_database(entry)


@pytest.mark.parametrize("kind", ["agreement", "procurement"])
def test_it_refuses_a_value_without_its_currency(kind):
    entry = MAKERS[kind]()
    entry.value_amount, entry.value_currency = Decimal("500000000"), ""

    assert_refused(entry, "value_currency", "Say which currency the value is in.")
    assert_refused_by_database(entry)


@pytest.mark.parametrize("kind", ["agreement", "procurement"])
def test_it_refuses_a_currency_without_a_value(kind):
    entry = MAKERS[kind]()
    entry.value_amount, entry.value_currency = None, "USD"

    assert_refused(entry, "value_amount", "Give the value, or clear the currency.")
    assert_refused_by_database(entry)


@pytest.mark.parametrize("kind", ["agreement", "procurement"])
def test_it_accepts_a_value_with_its_currency(kind):
    entry = MAKERS[kind](value_amount=Decimal("500000000"), value_currency="USD")

    entry.full_clean()
    assert entry.value_display == "500,000,000 USD"


# -- dates with precision --------------------------------------------------------


@pytest.mark.parametrize(("kind", "prefix"), DATES)
def test_it_refuses_a_date_without_its_precision(kind, prefix):
    entry = MAKERS[kind]()
    setattr(entry, prefix, APRIL_12)
    setattr(entry, f"{prefix}_precision", "")
    label = prefix.replace("_", " ")

    assert_refused(
        entry,
        f"{prefix}_precision",
        f"Say how precise the {label} is: day, month or year as the source gives it.",
    )
    assert_refused_by_database(entry)


@pytest.mark.parametrize(("kind", "prefix"), DATES)
def test_it_refuses_a_precision_without_its_date(kind, prefix):
    entry = MAKERS[kind]()
    setattr(entry, prefix, None)
    setattr(entry, f"{prefix}_precision", DatePrecision.MONTH)
    label = prefix.replace("_", " ")

    assert_refused(entry, prefix, f"Give the {label}, or clear its precision.")
    assert_refused_by_database(entry)


@pytest.mark.parametrize(("kind", "prefix"), DATES)
def test_it_refuses_an_approximate_unknown_date(kind, prefix):
    entry = MAKERS[kind]()
    setattr(entry, prefix, None)
    setattr(entry, f"{prefix}_approximate", True)
    label = prefix.replace("_", " ")

    assert_refused(
        entry, f"{prefix}_approximate", f"Only a known {label} can be marked approximate."
    )
    assert_refused_by_database(entry)


def test_it_stores_a_month_precise_date_as_the_first_of_the_month():
    agreement = make_agreement()
    agreement.date, agreement.date_precision = datetime.date(2023, 12, 17), DatePrecision.MONTH

    agreement.full_clean()

    assert agreement.date == datetime.date(2023, 12, 1)
    assert str(agreement.concluded) == "December 2023"


def test_it_stores_a_year_precise_date_as_the_first_of_january():
    exercise = make_exercise()
    exercise.start_date = datetime.date(2021, 8, 30)
    exercise.start_date_precision = DatePrecision.YEAR

    exercise.full_clean()

    assert exercise.start_date == datetime.date(2021, 1, 1)
    assert str(exercise.starts) == "2021"


def test_it_keeps_a_day_precise_date_as_given():
    source = make_source()
    source.publication_date, source.publication_date_precision = APRIL_12, DatePrecision.DAY

    source.full_clean()

    assert source.publication_date == APRIL_12


@pytest.mark.parametrize(
    ("value", "precision", "approximate", "text", "iso"),
    [
        (APRIL_12, DatePrecision.DAY, False, "12 April 2024", "2024-04-12"),
        (datetime.date(2023, 12, 1), DatePrecision.MONTH, False, "December 2023", "2023-12"),
        (datetime.date(2021, 1, 1), DatePrecision.YEAR, False, "2021", "2021"),
        (None, "", False, "unknown", ""),
        (
            datetime.date(2022, 2, 1),
            DatePrecision.MONTH,
            True,
            "February 2022 (approximate)",
            "2022-02",
        ),
        (
            datetime.date(2024, 5, 3),
            DatePrecision.DAY,
            True,
            "3 May 2024 (approximate)",
            None,
        ),
        (datetime.date(2022, 1, 1), DatePrecision.YEAR, True, "2022 (approximate)", "2022"),
    ],
)
def test_it_shows_a_date_at_its_precision(value, precision, approximate, text, iso):
    date = PreciseDate(value, precision, approximate)

    assert str(date) == text
    if iso is not None:
        assert date.iso == iso


# -- partners and relations ------------------------------------------------------


def test_it_refuses_a_home_country_for_a_country():
    morocco_neighbour = make_partner()
    country = make_partner(kind=Partner.Kind.COUNTRY)
    country.parent = morocco_neighbour

    assert_refused(country, "parent", "Only a company has a home country; clear this field.")
    assert_refused_by_database(country)


def test_it_refuses_a_home_country_for_an_organization():
    organization = make_partner(kind=Partner.Kind.ORGANIZATION)
    organization.parent = make_partner()

    assert_refused(organization, "parent", "Only a company has a home country; clear this field.")
    assert_refused_by_database(organization)


def test_it_accepts_a_home_country_for_a_company():
    company = make_partner(kind=Partner.Kind.COMPANY, parent=make_partner())

    company.full_clean()


def test_it_refuses_a_partner_as_its_own_home_country():
    company = make_partner(kind=Partner.Kind.COMPANY)
    company.parent = company

    assert_refused(company, "parent", "A partner cannot be its own home country.")


def test_it_refuses_the_same_party_twice():
    partner = make_partner()
    agreement = make_agreement(parties=[partner])
    duplicate = AgreementParty(agreement=agreement, partner=partner)

    assert_refused(duplicate, "__all__", "This partner is already a party to the agreement.")
    assert_refused_by_database(duplicate)


def test_it_refuses_the_same_participant_twice():
    partner = make_partner()
    exercise = make_exercise(participants=[partner])
    duplicate = ExerciseParticipant(exercise=exercise, partner=partner, role="observer")

    assert_refused(duplicate, "__all__", "This partner is already listed for the exercise.")
    assert_refused_by_database(duplicate)


# -- citations -----------------------------------------------------------------


def test_it_refuses_a_citation_of_no_entry():
    citation = Citation(source=make_source(), quote=QUOTE, note="modernisation")

    assert_refused(citation, "__all__", ONE_ENTRY)
    assert_refused_by_database(citation)


def test_it_refuses_a_citation_of_two_entries():
    citation = Citation(
        source=make_source(),
        partner=make_partner(),
        agreement=make_agreement(),
        quote=QUOTE,
        note="modernisation",
    )

    assert_refused(citation, "__all__", ONE_ENTRY)
    assert_refused_by_database(citation)


def test_it_says_once_that_a_citation_needs_exactly_one_entry():
    citation = Citation(source=make_source(), quote=QUOTE, note="modernisation")

    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()

    assert excinfo.value.message_dict["__all__"] == [ONE_ENTRY]


def test_it_refuses_an_empty_quote():
    citation = make_citation()
    citation.quote = ""

    assert_refused(citation, "quote", "This field cannot be blank.")
    assert_refused_by_database(citation)


@pytest.mark.parametrize("kind", ["partner", "agreement", "exercise", "procurement"])
def test_it_accepts_a_citation_of_any_one_entry(kind):
    citation = make_citation(MAKERS[kind]())

    citation.full_clean()
    assert citation.entry == getattr(citation, kind)


# -- the admin shows the message -------------------------------------------------


def test_it_shows_the_rule_on_the_admin_form_instead_of_failing(superuser_client):
    partner, source = make_partner(name="Spain"), make_source()
    url = "/admin/partnerships/agreement/add/"
    page = superuser_client.get(url)
    assert inline_prefixes(page) == ["party_links", "citations"]

    data = admin_form_data(
        page,
        {
            "title": "Defense cooperation agreement",
            "slug": "defense-cooperation-agreement",
            "kind": Agreement.Kind.COOPERATION,
            "start_date": "2024-05-01",
            "start_date_precision": DatePrecision.DAY,
            "end_date": "2024-04-12",
            "end_date_precision": DatePrecision.DAY,
            "party_links-0-partner": partner.pk,
            "citations-0-source": source.pk,
            "citations-0-quote": QUOTE,
            "citations-0-note": "its dates",
            "edit_summary": "Add the agreement",
        },
    )
    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "The end date cannot be before the start." in response.content.decode()
    assert response.context["adminform"].form.errors["end_date"] == [
        "The end date cannot be before the start."
    ]
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()
    assert not Citation.objects.exists()


def test_it_saves_the_same_admin_form_once_the_dates_are_in_order(superuser_client):
    partner, source = make_partner(name="Spain"), make_source()
    url = "/admin/partnerships/agreement/add/"
    data = admin_form_data(
        superuser_client.get(url),
        {
            "title": "Defense cooperation agreement",
            "slug": "defense-cooperation-agreement",
            "kind": Agreement.Kind.COOPERATION,
            "start_date": "2024-04-12",
            "start_date_precision": DatePrecision.DAY,
            "end_date": "2024-05-01",
            "end_date_precision": DatePrecision.DAY,
            "party_links-0-partner": partner.pk,
            "citations-0-source": source.pk,
            "citations-0-quote": QUOTE,
            "citations-0-note": "its dates",
            "edit_summary": "Add the agreement",
        },
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    agreement = Agreement.objects.get(slug="defense-cooperation-agreement")
    assert list(agreement.parties.all()) == [partner]
    assert agreement.citations.get().quote == QUOTE


def test_it_refuses_to_remove_the_last_party_of_an_agreement(superuser_client):
    agreement = make_agreement(parties=[make_partner()])
    make_citation(agreement)
    url = f"/admin/partnerships/agreement/{agreement.pk}/change/"
    data = admin_form_data(
        superuser_client.get(url),
        {"party_links-0-DELETE": True, "edit_summary": "Remove the party"},
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert agreement.parties.count() == 1


# -- a partner's kind must fit how other entries use it ------------------------------


@pytest.mark.django_db
def test_it_refuses_to_make_a_home_country_anything_but_a_country():
    country = make_partner()
    make_partner(kind=Partner.Kind.COMPANY, slug="maker", parent=country)
    country.kind = Partner.Kind.ORGANIZATION

    with pytest.raises(ValidationError) as error:
        country.full_clean()

    assert "it is the home country of companies" in " ".join(error.value.message_dict["kind"])


@pytest.mark.django_db
def test_it_refuses_to_make_a_supplying_country_a_company():
    procurement = make_procurement()
    supplier = procurement.supplier
    supplier.kind = Partner.Kind.COMPANY

    with pytest.raises(ValidationError) as error:
        supplier.full_clean()

    assert "procurements name it as supplying country" in " ".join(
        error.value.message_dict["kind"]
    )


@pytest.mark.django_db
def test_it_refuses_to_make_a_manufacturer_a_country():
    maker = make_partner(kind=Partner.Kind.COMPANY, slug="maker")
    make_procurement(manufacturer=maker)
    maker.kind = Partner.Kind.COUNTRY

    with pytest.raises(ValidationError) as error:
        maker.full_clean()

    assert "procurements name it as manufacturer" in " ".join(error.value.message_dict["kind"])


@pytest.mark.django_db
def test_it_lets_an_unused_partner_change_kind():
    partner = make_partner()
    partner.kind = Partner.Kind.ORGANIZATION

    partner.full_clean()
