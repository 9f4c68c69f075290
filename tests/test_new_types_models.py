"""People, engagements and indicators: their rules (constraints mirrored in clean()), the
facts their citations may state, and their admin forms."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships import facts as fact_rules
from partnerships.dates import DatePrecision
from partnerships.entry_types import ENGAGEMENT, INDICATOR, PERSON
from partnerships.history.names import Names
from partnerships.models import (
    Engagement,
    EngagementPartner,
    EngagementPerson,
    Indicator,
    IndicatorValue,
    Person,
    Position,
    Role,
)
from partnerships.templatetags.series import figure
from sources.models import Citation

from .conftest import (
    QUOTE,
    admin_form_data,
    error_messages,
    make_citation,
    make_partner,
    make_source,
)

pytestmark = pytest.mark.django_db

YEAR = DatePrecision.YEAR


def person(name="Jens Stoltenberg", **overrides):
    slug = name.lower().replace(" ", "-")
    return Person.objects.create(name=name, slug=overrides.pop("slug", slug), **overrides)


def engagement(title="Annual report", **overrides):
    values = {"slug": title.lower().replace(" ", "-"), "kind": Engagement.Kind.STATEMENT}
    return Engagement.objects.create(title=title, **{**values, **overrides})


def indicator(name="Defense spending", **overrides):
    values = {
        "slug": name.lower().replace(" ", "-"),
        "subject": "Morocco",
        "unit": "billion",
        "currency": "USD",
    }
    return Indicator.objects.create(name=name, **{**values, **overrides})


def value(series, year, amount, basis=IndicatorValue.Basis.REPORTED):
    return IndicatorValue.objects.create(
        indicator=series,
        period=datetime.date(year, 1, 1),
        period_precision=YEAR,
        value=Decimal(amount),
        basis=basis,
    )


def refused(instance, field):
    """The message clean() gives for `field`, and the database refuses the row too."""
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert field in error.value.message_dict, error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()
    return error.value.message_dict[field]


# -- rules ------------------------------------------------------------------------


def test_a_position_names_its_body_as_a_partner_or_in_words_not_both():
    nato = make_partner(name="NATO", kind="organization")
    position = Position(person=person(), title="Secretary General", partner=nato, body="NATO")

    assert "partner names the body" in refused(position, "body")[0]


def test_a_position_does_not_end_before_it_starts():
    position = Position(
        person=person(),
        title="Commander",
        start_date=datetime.date(2020, 1, 1),
        start_date_precision=YEAR,
        end_date=datetime.date(2019, 1, 1),
        end_date_precision=YEAR,
    )

    refused(position, "end_date")


def test_an_engagement_date_keeps_its_precision_rules():
    visit = Engagement(title="Visit", slug="visit", kind="visit", date=datetime.date(2024, 4, 12))

    refused(visit, "date_precision")


def test_an_engagement_does_not_end_before_it_starts():
    visit = Engagement(
        title="Visit",
        slug="visit",
        kind="visit",
        date=datetime.date(2024, 4, 12),
        date_precision=DatePrecision.DAY,
        end_date=datetime.date(2024, 4, 10),
        end_date_precision=DatePrecision.DAY,
    )

    refused(visit, "end_date")


def test_only_an_amount_has_a_currency_and_a_rank_has_no_unit():
    rank = Indicator(
        name="Arms purchases",
        slug="arms",
        subject="Africa",
        measure=Indicator.Measure.RANK,
        currency="USD",
    )
    assert refused(rank, "currency") == ["Only an amount has a currency; clear it."]

    rank.currency = ""
    rank.unit = "billion"
    assert refused(rank, "unit") == ["A rank has no unit; clear it."]


def test_a_value_is_not_negative_and_is_one_per_period_and_basis():
    series = indicator()
    assert "negative" in refused(IndicatorValue(indicator=series, value=-1), "value")[0]

    value(series, 2023, "3.6")
    value(series, 2023, "3.9", IndicatorValue.Basis.ESTIMATE)  # another basis: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        value(series, 2023, "3.7")


def test_a_value_whose_year_is_not_stated_has_no_period():
    series = indicator(name="Arms purchases", measure="rank", unit="", currency="")
    rank = IndicatorValue.objects.create(indicator=series, value=3, as_stated="third largest")

    assert str(rank) == "year not stated: 3 (reported)"
    assert figure(series, rank.value) == "3rd"


def test_values_read_in_series_order_unknown_periods_last():
    series = indicator()
    later = value(series, 2028, "5.2", IndicatorValue.Basis.PROJECTION)
    undated = IndicatorValue.objects.create(indicator=series, value=1)
    earlier = value(series, 2023, "3.6")

    assert list(series.values.in_series_order()) == [earlier, later, undated]
    assert figure(series, earlier.value) == "3.6 billion USD"
    assert str(later) == "2028: 5.2 (projection)"


# -- facts and citations ---------------------------------------------------------


def test_each_new_type_declares_its_link_facts():
    assert [link.prefix for link in fact_rules.links_of("person")] == ["position"]
    assert [link.prefix for link in fact_rules.links_of("engagement")] == ["partner", "person"]
    assert [link.prefix for link in fact_rules.links_of("indicator")] == ["value"]
    assert fact_rules.joined("engagement", ["person:2", "partner:9", "place", "existence"]) == (
        "existence place partner:9 person:2"
    )


def test_a_citation_states_a_position_of_its_own_person_only():
    stoltenberg, other = person(), person("Someone Else")
    held = Position.objects.create(person=stoltenberg, title="Secretary General")
    elsewhere = Position.objects.create(person=other, title="General")

    make_citation(stoltenberg, facts=f"existence position:{held.pk}").full_clean()
    wrong = Citation(
        source=make_source(), quote=QUOTE, person=stoltenberg, facts=f"position:{elsewhere.pk}"
    )
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "position a “position” fact names is not linked" in error.value.message_dict["facts"][0]


def test_a_citation_states_the_partners_and_people_taking_part():
    spain, talk, minister = make_partner(name="Spain"), engagement(), person("A Minister")
    EngagementPartner.objects.create(engagement=talk, partner=spain, role=Role.HOST)
    EngagementPerson.objects.create(engagement=talk, person=minister, role=Role.SPEAKER)

    citation = make_citation(talk, facts=f"person:{minister.pk} partner:{spain.pk} kind")
    citation.full_clean()

    assert citation.facts == f"kind partner:{spain.pk} person:{minister.pk}"
    absent = make_partner(name="Italy")
    citation.facts = f"partner:{absent.pk}"
    with pytest.raises(ValidationError):
        citation.full_clean()


def test_the_database_refuses_a_fact_that_is_not_one_of_the_type():
    series = indicator()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_citation(series, facts="party:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_citation(series, facts="value:abc")
    make_citation(series, facts="existence subject unit currency")


def test_a_citation_of_a_value_is_named_by_the_value():
    series = indicator()
    projected = value(series, 2028, "5.2", IndicatorValue.Basis.PROJECTION)
    citation = make_citation(series, facts=f"value:{projected.pk}")

    revision = citation.history.first()
    described = INDICATOR.relation("citation").describe([revision], Names())

    assert "for value: 2028: 5.2 (projection)" in described[revision.history_id]


def test_history_names_positions_and_people_taking_part():
    nato = make_partner(name="NATO", kind="organization")
    stoltenberg = person()
    held = Position.objects.create(
        person=stoltenberg,
        title="Secretary General",
        partner=nato,
        start_date=datetime.date(2014, 1, 1),
        start_date_precision=YEAR,
    )
    talk = engagement()
    link = EngagementPerson.objects.create(engagement=talk, person=stoltenberg, role=Role.SPEAKER)

    positions = PERSON.relation("position").describe([held.history.first()], Names())
    people = ENGAGEMENT.relation("person").describe([link.history.first()], Names())

    assert list(positions.values()) == ["Secretary General, NATO (from 2014)"]
    assert list(people.values()) == ["Jens Stoltenberg as speaker or author"]


# -- the admin ---------------------------------------------------------------------


def test_the_admin_offers_the_entrys_own_links_as_facts(superuser_client):
    nato = make_partner(name="NATO", kind="organization")
    stoltenberg = person()
    Position.objects.create(person=stoltenberg, title="Secretary General", partner=nato)
    make_citation(stoltenberg)

    page = superuser_client.get(f"/admin/partnerships/person/{stoltenberg.pk}/change/")

    assert page.status_code == 200
    assert "position: Secretary General, NATO" in page.content.decode()


def test_an_editor_adds_an_engagement_with_its_partners_and_citation(editor_client):
    spain = make_partner(name="Spain")
    source = make_source()
    page = editor_client.get("/admin/partnerships/engagement/add/")
    assert page.status_code == 200
    data = admin_form_data(
        page,
        {
            "title": "Spanish delegation's visit",
            "slug": "spanish-visit",
            "kind": "visit",
            "hedge": "reportedly",
            "summary": "A delegation reportedly visited.[1]",
            "edit_summary": "From the Spain article",
            "partner_links-TOTAL_FORMS": "1",
            "partner_links-0-partner": str(spain.pk),
            "partner_links-0-role": "visitor",
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": str(source.pk),
            "citations-0-quote": QUOTE,
            "citations-0-facts": ["existence", "kind"],
            "citations-0-stance": "supports",
        },
    )

    response = editor_client.post("/admin/partnerships/engagement/add/", data)

    assert response.status_code == 302, error_messages(response)
    visit = Engagement.objects.get(slug="spanish-visit")
    assert visit.hedge == "reportedly"
    assert list(visit.partner_links.values_list("partner__name", "role")) == [("Spain", "visitor")]
    assert visit.citations.get().facts == "existence kind"
    assert visit.history.first().history_change.summary == "From the Spain article"


def test_the_admin_refuses_a_summary_marker_past_the_citations(editor_client):
    source = make_source()
    page = editor_client.get("/admin/partnerships/indicator/add/")
    data = admin_form_data(
        page,
        {
            "name": "Defense spending",
            "slug": "defense-spending",
            "subject": "Morocco",
            "measure": "amount",
            "summary": "Spending grew.[2]",
            "edit_summary": "New",
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": str(source.pk),
            "citations-0-quote": QUOTE,
            "citations-0-facts": ["existence"],
            "citations-0-stance": "supports",
        },
    )

    response = editor_client.post("/admin/partnerships/indicator/add/", data)

    assert response.status_code == 200
    assert not Indicator.objects.exists()
    assert any("[2]" in message for message in error_messages(response)), error_messages(response)
