"""A citation's facts in history: named as readers name them ("date concluded, party:
Israel"), never as the stored line of keys, on the compare page, in recent changes
and in the admin's history; the partners they name read in one query per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.history.diffs import Shown, field_changes, row_changes, shown_fields
from partnerships.history.entry import EntryHistory
from partnerships.history.models import Change
from partnerships.history.names import Names
from partnerships.history.registry import entry_types
from partnerships.models import AgreementParty, Partner
from sources.models import Citation, Source

from .conftest import (
    QUOTE,
    count_queries,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_source,
    make_user,
    page_text,
)
from .history_factories import agreement_with_history, hours, new, one_save, saved

pytestmark = pytest.mark.django_db

CITATIONS = entry_types.by_name("agreement").relation("citation")


def history_url(agreement):
    return f"/agreements/{agreement.slug}/history/"


def cited_pact():
    """The pact with Spain as its party, a citation stating its existence, then one added
    alone stating its date and Spain's part, with a note."""
    agreement = agreement_with_history()
    spain = Partner.objects.get(name="Spain")
    new(
        Citation,
        hours(1),
        "Cite the date",
        make_user("omar"),
        agreement=agreement,
        source=Source.objects.get(title="Le Desk"),
        quote=QUOTE,
        facts=f"date party:{spain.pk}",
        note="the month only",
    )
    return agreement, spain


# -- how a citation is named ----------------------------------------------------------------


def test_it_names_a_citation_by_its_quote_and_the_facts_it_states():
    israel = make_partner(name="Israel")
    deal = make_agreement(parties=[israel])
    citation = make_citation(
        deal, facts=f"date value party:{israel.pk}", stance="disputes", note="a note"
    )
    revision = citation.history.get()

    full = CITATIONS.describe([revision])[revision.history_id]
    short = CITATIONS.describe([revision], short=True)[revision.history_id]

    assert full == f"“{QUOTE}” for date concluded, value, party: Israel — disputes"
    assert short == "disputes date concluded, value, party: Israel — “a note”"
    assert f"party:{israel.pk}" not in full + short


def test_it_names_the_facts_alone_when_a_citation_has_no_note():
    nato = make_partner(name="NATO", kind=Partner.Kind.ORGANIZATION)
    citation = make_citation(
        make_exercise(participants=[nato]), facts=f"location participant:{nato.pk}", note=""
    )
    revision = citation.history.get()

    short = entry_types.by_name("exercise").relation("citation").describe([revision], short=True)

    assert short[revision.history_id] == "location, participant and role: NATO"


def test_it_names_a_deleted_partner_from_its_history():
    atlantis = make_partner(name="Atlantis")
    deal = make_agreement(parties=[atlantis])
    revision = make_citation(deal, facts=f"party:{atlantis.pk}").history.get()
    AgreementParty.objects.filter(partner=atlantis).delete()
    atlantis.delete()

    assert CITATIONS.describe([revision])[revision.history_id] == (
        f"“{QUOTE}” for party: Atlantis (deleted)"
    )


def test_it_names_the_partners_of_every_citation_in_one_query():
    partners = [make_partner() for _ in range(20)]
    deal = make_agreement(parties=partners)
    revisions = [
        make_citation(deal, facts=f"existence party:{partner.pk}").history.get()
        for partner in partners
    ]

    with CaptureQueriesContext(connection) as queries:
        described = CITATIONS.describe(revisions, Names())

    assert len(queries) == 1
    assert {described[r.history_id].rsplit("party: ", 1)[1] for r in revisions} == {
        partner.name for partner in partners
    }


def test_it_reads_no_partner_when_no_fact_names_one():
    revision = make_citation(make_agreement(), facts="existence date").history.get()

    with CaptureQueriesContext(connection) as queries:
        described = CITATIONS.describe([revision])

    assert len(queries) == 0
    assert (
        described[revision.history_id] == f"“{QUOTE}” for existence of the entry, date concluded"
    )


def test_it_names_a_sources_citations_by_the_facts_of_their_own_entries():
    source = make_source()
    israel = make_partner(name="Israel")
    make_citation(make_agreement(parties=[israel]), source=source, facts=f"party:{israel.pk}")
    make_citation(make_partner(), source=source, facts="kind")
    (links,) = entry_types.by_name("source").links
    revisions = list(Citation.history.filter(source=source).order_by("history_id"))

    described = links.describe(revisions)

    assert [described[r.history_id] for r in revisions] == [
        f"“{QUOTE}” for party: Israel",
        f"“{QUOTE}” for kind",
    ]


# -- a citation's fields, compared ----------------------------------------------------------


def test_it_shows_a_change_of_facts_by_name_field_by_field():
    israel, spain = make_partner(name="Israel"), make_partner(name="Spain")
    citation = make_citation(make_agreement(parties=[israel, spain]), facts="existence")
    citation.facts = f"date party:{israel.pk} party:{spain.pk}"
    citation.save()
    older, newer = citation.history.order_by("history_id")

    changes = field_changes(older, newer, exclude=["agreement"])

    facts = next(change for change in changes if change.label == "Facts it states")
    assert facts.before == "existence of the entry"
    assert facts.after == "date concluded, party: Israel, party: Spain"


def test_it_shows_facts_alone_as_a_field_of_a_citation():
    item = next(item for item in shown_fields(Citation) if item.name == "facts")

    assert isinstance(item, Shown)
    assert item.display(make_citation(facts="existence"), Names()) == "existence of the entry"


def test_it_reads_the_partners_of_every_changed_citation_in_one_query():
    partners = [make_partner() for _ in range(10)]
    deal = make_agreement(parties=partners)
    citations = [make_citation(deal, facts="existence") for _ in partners]
    for citation, partner in zip(citations, partners, strict=True):
        citation.facts = f"party:{partner.pk}"
        citation.save()
    before, after = {}, {}
    for revision in Citation.history.order_by("history_id"):
        (after if revision.id in before else before)[revision.id] = revision

    with CaptureQueriesContext(connection) as queries:
        changes = row_changes(CITATIONS, before, after)

    assert len(queries) == 1  # the partners, named once
    assert len(changes.changed) == 10
    names = {partner.name for partner in partners}
    for _, fields in changes.changed:
        (facts,) = [change for change in fields if change.label == "Facts it states"]
        assert facts.after.removeprefix("party: ") in names


# -- the pages ------------------------------------------------------------------------------


def test_it_compares_a_citations_facts_by_name(client):
    agreement, spain = cited_pact()
    citation = Citation.objects.get(note="the month only")
    citation.facts = f"date value party:{spain.pk}"
    saved(citation, hours(2), "The quote gives the value too")
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)

    response = client.get(
        f"{history_url(agreement)}compare/",
        {"from": history.saves[1].token, "to": history.saves[2].token},
    )

    content = response.content.decode()
    text = page_text(response)
    assert f"“{QUOTE}” for date concluded, value, party: Spain" in text
    assert (
        "Facts it states: date concluded, party: Spain → date concluded, value, party: Spain"
        in text
    )
    assert "<ins>value, </ins>" in content
    assert f"party:{spain.pk}" not in content


def test_it_names_the_facts_of_a_citation_saved_alone_in_recent_changes(client):
    agreement, _ = cited_pact()

    change = Change.objects.filter(entry_type="agreement", entry_id=agreement.pk).latest("date")
    text = page_text(client.get("/changes/"))

    assert change.detail == "date concluded, party: Spain — “the month only”"
    assert "citation added: date concluded, party: Spain — “the month only”" in text


@pytest.mark.parametrize("page", ["compare", "history", "admin"])
def test_it_names_the_partners_of_1_or_50_citations_in_the_same_queries(
    client, page, django_assert_num_queries
):
    """Each citation names a partner of its own, no longer a party: none is named by
    the parties' revisions, so every one is read with the citations'."""

    def cited(title, count):
        agreement = agreement_with_history(title=title)
        partners = [make_partner() for _ in range(count)]
        with one_save("Cite them all"):
            for partner in partners:
                new(
                    Citation,
                    hours(1),
                    "Cite them all",
                    agreement=agreement,
                    source=Source.objects.filter(title="Le Desk").first(),
                    quote=QUOTE,
                    facts=f"existence party:{partner.pk}",
                )
            agreement.title = f"{title} (cited)"
            saved(agreement, hours(1), "Cite them all")
        return agreement

    def url(agreement):
        if page == "compare":
            return f"{history_url(agreement)}compare/?to={agreement.history.first().history_id}"
        if page == "history":
            return history_url(agreement)
        return f"/admin/partnerships/agreement/{agreement.pk}/history/"

    if page == "admin":
        client.force_login(make_user("reviewer", is_superuser=True))
    few, many = cited("Few", 1), cited("Many", 50)
    queries = count_queries(client, url(few))
    address = url(many)

    with django_assert_num_queries(queries):
        response = client.get(address)
    content = response.content.decode()
    if page != "history":
        last = Partner.objects.order_by("pk").last()
        assert f"party: {last.name}" in content
        assert "party:" + str(last.pk) not in content


def test_it_shows_a_revision_s_citations_with_their_facts_by_name(client):
    agreement, _ = cited_pact()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)

    response = client.get(f"{history_url(agreement)}{history.saves[1].token}/")

    text = page_text(response)
    assert "States: date concluded, party: Spain. The month only." in text
    assert "States: existence of the entry. The pact." in text
