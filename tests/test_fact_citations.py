"""Citations name the facts they state or dispute; entry pages footnote each fact."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships import facts as fact_rules
from partnerships.models import Exercise, ExerciseParticipant
from sources.models import Citation

from .conftest import (
    QUOTE,
    admin_form_data,
    admin_url,
    count_queries,
    error_messages,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
    page_text,
)

pytestmark = pytest.mark.django_db

OTHER_QUOTE = "Officials said the deal was worth $500 million…"


def facts_box(response):
    html = response.content.decode()
    return html[html.index('<dl class="facts">') : html.index("</dl>")]


def row(response, term):
    """The HTML of the fact box's value for `term`."""
    match = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", facts_box(response), re.S)
    assert match, f"no {term} row"
    return match.group(1)


# -- what a citation may name ---------------------------------------------------------


def test_it_offers_each_entry_type_its_own_facts():
    assert list(fact_rules.facts_of("agreement")) == [
        "existence",
        "kind",
        "status",
        "date",
        "start_date",
        "end_date",
        "value",
    ]
    assert "quantity" in fact_rules.facts_of("procurement")
    assert "location" in fact_rules.facts_of("exercise")
    assert "parent" in fact_rules.facts_of("partner")


def test_it_refuses_a_fact_of_another_entry_type_in_clean():
    partner = make_partner()
    citation = Citation(partner=partner, source=make_source(), quote=QUOTE, facts="quantity")

    with pytest.raises(ValidationError) as error:
        citation.full_clean()

    assert "“quantity” is not a fact of this kind of entry." in error.value.message_dict["facts"]


def test_it_refuses_a_citation_naming_no_fact():
    citation = Citation(agreement=make_agreement(), source=make_source(), quote=QUOTE, facts="")

    with pytest.raises(ValidationError) as error:
        citation.full_clean()

    assert "Say which facts this quote states" in " ".join(error.value.message_dict["facts"])


def test_it_refuses_a_party_that_is_not_a_party_of_the_agreement():
    israel, spain = make_partner(name="Israel"), make_partner(name="Spain")
    agreement = make_agreement(parties=[israel])
    ok = Citation(
        agreement=agreement, source=make_source(), quote=QUOTE, facts=f"party:{israel.pk}"
    )
    ok.full_clean()
    wrong = Citation(
        agreement=agreement, source=make_source(), quote=QUOTE, facts=f"party:{spain.pk}"
    )

    with pytest.raises(ValidationError) as error:
        wrong.full_clean()

    assert "not linked to this entry" in " ".join(error.value.message_dict["facts"])


def test_it_stores_the_facts_in_their_declared_order_once_each():
    agreement = make_agreement(parties=[israel := make_partner()])
    citation = Citation(
        agreement=agreement,
        source=make_source(),
        quote=QUOTE,
        facts=f"party:{israel.pk} value date value",
    )

    citation.full_clean()

    assert citation.facts == f"date value party:{israel.pk}"


@pytest.mark.parametrize(
    ("entry_field", "facts"),
    [
        ("partner", "value"),
        ("agreement", "quantity"),
        ("exercise", "party:3"),
        ("procurement", "participant:3"),
        ("agreement", "date  value"),
        ("agreement", "party:03"),
    ],
)
def test_the_database_refuses_facts_that_are_not_the_entry_types(entry_field, facts):
    entry = {
        "partner": make_partner,
        "agreement": make_agreement,
        "exercise": make_exercise,
        "procurement": make_procurement,
    }[entry_field]()
    source = make_source()

    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(**{entry_field: entry}, source=source, quote=QUOTE, facts=facts)


def test_the_migration_carried_existing_citations_over_as_citing_the_entry():
    # A citation saved without naming facts, as every citation was before, cites the entry.
    citation = make_citation(make_partner())

    assert citation.facts == "existence"


# -- the entry page's footnotes -------------------------------------------------------


def test_each_fact_carries_the_markers_of_the_citations_that_state_it(client):
    israel = make_partner(name="Israel")
    agreement = make_agreement(
        parties=[israel], value_amount=500_000_000, value_currency="USD", kind="cooperation"
    )
    make_citation(agreement, facts="existence kind")
    make_citation(agreement, source=make_source(), facts=f"value party:{israel.pk}")

    response = client.get(agreement.get_absolute_url())

    # The first marker of each footnote, in the page's order, is the one it links back to.
    assert '<a href="#cite-2" id="ref-2" aria-label="Source 2">[2]</a>' in row(response, "Parties")
    assert '<a href="#cite-2" aria-label="Source 2">[2]</a>' in row(response, "Value")
    assert "[1]" not in row(response, "Value")
    assert "[1]" in row(response, "Kind") and "[2]" not in row(response, "Kind")
    assert "[2]" in row(response, "Parties")
    assert "[1]" in row(response, "Attested by")
    # Each footnote names the facts it states, and links back to its first marker.
    text = page_text(response)
    assert "States: value, party: Israel." in text
    assert "States: existence of the entry, kind." in text
    assert '<a class="back" href="#ref-2"' in response.content.decode()


def test_a_fact_with_a_value_and_no_citation_says_citation_needed(client):
    agreement = make_agreement(value_amount=10, value_currency="EUR")
    make_citation(agreement, facts="existence kind")

    response = client.get(agreement.get_absolute_url())

    assert "[citation needed]" in row(response, "Value")
    assert 'href="/quality/#uncited"' in row(response, "Value")
    # An unknown value needs none, nor the default status, which claims nothing.
    assert "citation needed" not in row(response, "Concluded")
    assert "citation needed" not in row(response, "Status")
    assert "citation needed" not in row(response, "Kind")


def test_a_disputed_fact_shows_its_dispute_beside_it_with_both_quotes(client):
    agreement = make_agreement(value_amount=500_000_000, value_currency="USD")
    make_citation(agreement, facts="existence value")
    make_citation(agreement, quote=OTHER_QUOTE, facts="value", stance=Citation.Stance.DISPUTES)

    response = client.get(agreement.get_absolute_url())

    value = row(response, "Value")
    assert 'class="fact-dispute"' in value
    assert f"<q>{OTHER_QUOTE}</q>" in value and f"<q>{QUOTE}</q>" in value
    assert 'aria-label="Disputing source 2"' in value
    assert "Disputed: a source contradicts what this entry records of value" in page_text(response)
    assert "fact-dispute" not in row(response, "Kind")


def test_the_summarys_markers_link_to_their_footnotes_and_others_stay_text(client):
    agreement = make_agreement(summary="Worth $500 million.[1] Signed <b>then</b>.[7]")
    make_citation(agreement, facts="existence")

    response = client.get(agreement.get_absolute_url())

    html = response.content.decode()
    summary = html[
        html.index('<div class="summary">') : html.index("</div>", html.index("summary"))
    ]
    assert 'million.<sup class="ref"><a href="#cite-1"' in summary
    assert "[7]" in summary and 'href="#cite-7"' not in summary
    assert "&lt;b&gt;then&lt;/b&gt;" in summary


def test_an_exercises_participants_carry_their_markers(client):
    nato = make_partner(name="NATO", kind="organization")
    exercise = make_exercise(participants=[nato], location="Spain and Norway")
    ExerciseParticipant.objects.filter(exercise=exercise).update(
        role=ExerciseParticipant.Role.UNSTATED
    )
    make_citation(exercise, facts=f"existence location participant:{nato.pk}")

    response = client.get(exercise.get_absolute_url())

    assert "(role not stated)" in row(response, "Participants")
    assert "[1]" in row(response, "Participants") and "[1]" in row(response, "Location")
    assert "[citation needed]" in row(response, "Series")


def test_a_procurements_facts_carry_their_markers(client):
    procurement = make_procurement(quantity=12)
    make_citation(procurement, facts="existence supplier quantity")

    response = client.get(procurement.get_absolute_url())

    assert "[1]" in row(response, "Quantity") and "[1]" in row(response, "Supplier")
    assert "[citation needed]" in row(response, "Category")
    assert "citation needed" not in row(response, "Maker")


def test_a_partners_facts_carry_their_markers(client):
    israel = make_partner(name="Israel")
    company = make_partner(name="IAI", kind="company", parent=israel, short_name="IAI")
    make_citation(company, facts="existence kind parent")

    response = client.get(company.get_absolute_url())

    assert "[1]" in row(response, "Home country") and "[1]" in row(response, "Kind")
    assert "[citation needed]" in row(response, "Short name")


@pytest.mark.parametrize("kind", ["partner", "agreement", "exercise", "procurement"])
def test_an_entry_page_makes_the_same_queries_for_1_or_50_cited_facts(client, kind):
    partner = make_partner()
    entry = {
        "partner": lambda: partner,
        "agreement": lambda: make_agreement(
            parties=[partner], value_amount=1, value_currency="USD"
        ),
        "exercise": lambda: make_exercise(participants=[partner], location="Rabat"),
        "procurement": lambda: make_procurement(quantity=3),
    }[kind]()
    links = [link.key(partner.pk) for link in fact_rules.links_of(kind)]
    every = " ".join([*fact_rules.facts_of(kind), *links])
    make_citation(entry, facts="existence")
    url = entry.get_absolute_url()
    once = count_queries(client, url)
    source = make_source()
    for number in range(49):
        stance = Citation.Stance.DISPUTES if number % 7 == 0 else Citation.Stance.SUPPORTS
        make_citation(entry, source=source, facts=every, stance=stance)

    assert count_queries(client, url) == once
    response = client.get(url)
    assert response.content.decode().count('<li id="cite-') == 50


# -- the admin ------------------------------------------------------------------------


def test_the_admin_offers_the_entry_types_facts_and_its_parties(editor_client):
    israel = make_partner(name="Israel")
    agreement = make_agreement(parties=[israel])
    make_citation(agreement, facts="existence")

    page = editor_client.get(admin_url(agreement)).content.decode()

    for key in ("existence", "kind", "status", "date", "value", f"party:{israel.pk}"):
        assert f'value="{key}"' in page
    assert "party: Israel" in page
    assert 'value="quantity"' not in page


def test_an_editor_ticks_the_facts_a_quote_states(editor_client):
    israel = make_partner(name="Israel")
    agreement = make_agreement(parties=[israel])
    make_citation(agreement, facts="existence")
    url = admin_url(agreement)
    data = admin_form_data(
        editor_client.get(url),
        {"citations-0-facts": ["date", f"party:{israel.pk}"], "edit_summary": "Name the facts"},
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert agreement.citations.get().facts == f"date party:{israel.pk}"


def test_the_admin_refuses_a_summary_marker_that_points_nowhere(editor_client):
    agreement = make_agreement(parties=[make_partner()], summary="Old.")
    make_citation(agreement, facts="existence")
    url = admin_url(agreement)
    data = admin_form_data(
        editor_client.get(url),
        {"summary": "Signed in 2021.[1] Worth $5.[3]", "edit_summary": "Footnote the summary"},
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert (
        "The summary's marker [3] points to no footnote: this entry has 1 citation. A marker "
        "is the number of a citation below, in the order they are listed: [1] is the first."
    ) in error_messages(response)
    agreement.refresh_from_db()
    assert agreement.summary == "Old."


def test_the_admin_counts_a_citation_deleted_in_the_same_save(editor_client):
    agreement = make_agreement(parties=[make_partner()], summary="Old.")
    make_citation(agreement, facts="existence")
    make_citation(agreement, facts="kind")
    url = admin_url(agreement)
    data = admin_form_data(
        editor_client.get(url),
        {"summary": "Two notes.[2]", "citations-1-DELETE": True, "edit_summary": "Drop one"},
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert any("[2] points to no footnote" in m for m in error_messages(response))
    assert agreement.citations.count() == 2


def test_the_admin_accepts_markers_of_citations_added_in_the_same_save(editor_client):
    agreement = make_agreement(parties=[make_partner()], summary="Old.")
    make_citation(agreement, facts="existence")
    url = admin_url(agreement)
    source = make_source()
    data = admin_form_data(
        editor_client.get(url),
        {
            "summary": "One.[1] Two.[2]",
            "citations-TOTAL_FORMS": 2,
            "citations-1-source": source.pk,
            "citations-1-quote": QUOTE,
            "citations-1-facts": ["kind"],
            "citations-1-stance": Citation.Stance.SUPPORTS,
            "citations-1-agreement": agreement.pk,
            "edit_summary": "Cite the kind",
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302, error_messages(response)
    assert agreement.citations.count() == 2


def test_an_exercise_role_can_be_left_as_the_sources_leave_it():
    exercise = make_exercise()
    link = ExerciseParticipant(
        exercise=exercise, partner=make_partner(), role=ExerciseParticipant.Role.UNSTATED
    )
    link.full_clean()
    link.save()

    assert Exercise.objects.get(pk=exercise.pk).participations.get().get_role_display() == (
        "Role not stated"
    )


def test_the_admin_numbers_each_citation_as_its_footnote(editor_client):
    agreement = make_agreement(parties=[make_partner()])
    make_citation(agreement, facts="existence")
    make_citation(agreement, facts="kind")

    page = editor_client.get(admin_url(agreement)).content.decode()

    assert "[1] — write “[1]” in the summary" in page
    assert "[2] — write “[2]” in the summary" in page


def test_an_entry_as_it_stood_names_its_citations_facts(client):
    israel = make_partner(name="Israel")
    agreement = make_agreement(parties=[israel])
    make_citation(agreement, facts=f"date party:{israel.pk}", note="")

    response = client.get(agreement.get_absolute_url(), {"as_of": "2099-01-01"})

    assert "States: date concluded, party: Israel." in page_text(response)


def test_moroccos_membership_of_an_organization_is_a_fact_that_can_be_disputed(client):
    nato = make_partner(name="NATO", kind="organization", membership="partner")
    make_citation(nato, facts="existence membership")
    make_citation(nato, quote=OTHER_QUOTE, facts="membership", stance=Citation.Stance.DISPUTES)

    response = client.get(nato.get_absolute_url())

    membership = row(response, "Morocco")
    assert membership.startswith("Partner, not a member<sup")
    assert 'class="fact-dispute"' in membership
    assert "fact-dispute" not in row(response, "Attested by")


def test_only_an_organization_has_morocco_as_a_member():
    country = make_partner(kind="country")
    country.membership = "member"

    with pytest.raises(ValidationError) as error:
        country.full_clean()

    assert (
        "Only an organization or alliance has members" in error.value.message_dict["membership"][0]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        country.save()
