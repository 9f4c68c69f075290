"""History for people, engagements and indicators: each entry's history, a revision,
compare, revert, restore with its rows, recent changes and the feed, edit conflicts
on their rows, and how history names a position, a value and the facts citations
state of them."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import timezone

from partnerships.history.names import Names
from partnerships.history.registry import entry_types
from partnerships.history.saves import recording
from partnerships.models import (
    Engagement,
    EngagementPartner,
    EngagementPerson,
    Indicator,
    IndicatorValue,
    Partner,
    Person,
    Position,
)
from sources.models import Citation

from .conftest import (
    admin_form_data,
    admin_url,
    count_queries,
    error_messages,
    logged_in,
    make_citation,
    make_partner,
    make_user,
    page_text,
)
from .history_factories import make_engagement, make_indicator, make_person

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
YEAR = "year"


@pytest.fixture
def nato():
    return make_partner(name="NATO", slug="nato", kind=Partner.Kind.ORGANIZATION)


@pytest.fixture
def stoltenberg(nato):
    """Jens Stoltenberg, Secretary General of NATO, his position cited."""
    with recording(summary="Add Stoltenberg"):
        person = make_person(
            name="Jens Stoltenberg",
            slug="jens-stoltenberg",
            positions=[{"title": "Secretary General", "partner": nato}],
        )
        position = person.positions.get()
        make_citation(person, facts=f"existence position:{position.pk}", note="his post")
    return person


@pytest.fixture
def visit(nato, stoltenberg):
    """NATO's visit, Stoltenberg taking part, cited for his part."""
    with recording(summary="Add the visit"):
        engagement = make_engagement(
            title="NATO visit to Rabat",
            slug="nato-visit",
            place="Rabat",
            hedge="reportedly",
            partners=[(nato, "visitor")],
            people=[(stoltenberg, "visitor")],
            date=datetime.date(2023, 5, 1),
            date_precision="month",
        )
        make_citation(engagement, facts=f"existence person:{stoltenberg.pk}", note="who came")
    return engagement


@pytest.fixture
def spending():
    """Defense spending, a projection for 2028 cited."""
    with recording(summary="Add spending"):
        indicator = make_indicator(
            name="Defense spending",
            slug="defense-spending",
            values=[
                {
                    "period": datetime.date(2028, 1, 1),
                    "period_precision": YEAR,
                    "value": Decimal("5.2"),
                    "basis": "projection",
                }
            ],
        )
        value = indicator.values.get()
        make_citation(indicator, facts=f"value:{value.pk}", note="the projection")
    return indicator


def history_url(entry):
    entry_type = entry_types.for_model(type(entry))
    return entry_type.history_url(entry.slug)


def post_change(client, obj, overrides):
    url = admin_url(obj)
    return client.post(url, admin_form_data(client.get(url), overrides))


# -- names ------------------------------------------------------------------------------


def test_it_names_a_position_a_value_and_what_citations_state_of_them(
    stoltenberg, visit, spending
):
    person_type = entry_types.by_name("person")
    positions, person_citations = person_type.relations
    names = Names()

    assert list(positions.describe(Position.history.all(), names).values()) == [
        "Secretary General, NATO"
    ]
    assert list(
        person_citations.describe(Citation.history.filter(person=stoltenberg)).values()
    ) == [
        f"“{Citation.objects.get(person=stoltenberg).quote}” for existence of the entry, "
        "position: Secretary General, NATO"
    ]
    values, indicator_citations = entry_types.by_name("indicator").relations
    assert list(values.describe(IndicatorValue.history.all()).values()) == [
        "2028: 5.2 (projection)"
    ]
    assert list(
        indicator_citations.describe(
            Citation.history.filter(indicator=spending), short=True
        ).values()
    ) == ["value: 2028: 5.2 (projection) — “the projection”"]
    partners, people, engagement_citations = entry_types.by_name("engagement").relations
    assert list(partners.describe(EngagementPartner.history.all()).values()) == ["NATO as visitor"]
    assert list(people.describe(EngagementPerson.history.all()).values()) == [
        "Jens Stoltenberg as visitor"
    ]
    assert list(
        engagement_citations.describe(
            Citation.history.filter(engagement=visit), short=True
        ).values()
    ) == ["existence of the entry, person and role: Jens Stoltenberg — “who came”"]


def test_it_names_a_deleted_position_from_its_history_without_a_query_per_row(
    stoltenberg, nato, django_assert_num_queries
):
    spain = make_partner(name="Spain")
    for n in range(5):
        Position.objects.create(person=stoltenberg, title=f"Envoy {n}", partner=spain)
    ids = list(Position.objects.values_list("pk", flat=True))
    Position.objects.all().delete()

    names = Names()
    # The positions (none), their revisions, then their partners.
    with django_assert_num_queries(3):
        names.load(Position, ids)

    assert names.get(Position, ids[0]) == "Secretary General, NATO (deleted)"
    assert names.get(Position, ids[-1]) == "Envoy 4, Spain (deleted)"


# -- history, revision, compare ---------------------------------------------------------


def test_a_persons_history_names_its_positions_and_cited_facts(client, stoltenberg, nato):
    Position.objects.create(
        person=stoltenberg,
        title="Prime Minister",
        body="Government of Norway",
        start_date=datetime.date(2005, 1, 1),
        start_date_precision=YEAR,
    )
    url = history_url(stoltenberg)

    history = client.get(url)
    latest = client.get(f"{url}latest/")
    compared = client.get(f"{url}compare/", {"to": "latest"})

    assert history.status_code == latest.status_code == compared.status_code == 200
    assert "History of Jens Stoltenberg" in page_text(history)
    assert "Secretary General, NATO" in page_text(latest)
    assert "Prime Minister, Government of Norway (from 2005)" in page_text(latest)
    assert "position: Secretary General, NATO" in page_text(latest)
    assert "Prime Minister, Government of Norway (from 2005)" in page_text(compared)


def test_an_engagements_history_names_its_partners_and_people_with_their_roles(
    client, visit, nato
):
    link = visit.partner_links.get()
    link.role = "host"
    link.save()

    text = page_text(client.get(f"{history_url(visit)}latest/"))
    compared = page_text(client.get(f"{history_url(visit)}compare/", {"to": "latest"}))

    assert "NATO as host" in text
    assert "Jens Stoltenberg as visitor" in text
    assert "person and role: Jens Stoltenberg" in text
    assert "NATO as host" in compared


def test_an_indicators_history_names_its_values(client, spending):
    IndicatorValue.objects.create(
        indicator=spending,
        period=datetime.date(2024, 1, 1),
        period_precision=YEAR,
        value=Decimal("3.6"),
        basis="reported",
    )

    text = page_text(client.get(f"{history_url(spending)}latest/"))

    assert "2024: 3.6 (reported)" in text
    assert "2028: 5.2 (projection)" in text
    assert "value: 2028: 5.2 (projection)" in text


@pytest.mark.parametrize("name", ["person", "engagement", "indicator"])
def test_a_new_types_history_page_costs_the_same_for_1_or_20_rows(client, name, nato):
    entry_type = entry_types.by_name(name)
    if name == "person":
        entry = make_person(positions=[{"title": "Envoy", "partner": nato}])

        def add(n):
            Position.objects.create(person=entry, title=f"Envoy {n}", partner=make_partner())
    elif name == "engagement":
        entry = make_engagement(partners=[nato])

        def add(n):
            EngagementPartner.objects.create(engagement=entry, partner=make_partner())
            EngagementPerson.objects.create(engagement=entry, person=make_person())
    else:
        entry = make_indicator(values=[{"period": None, "value": 1}])

        def add(n):
            IndicatorValue.objects.create(
                indicator=entry,
                period=datetime.date(2000 + n, 1, 1),
                period_precision=YEAR,
                value=n,
            )

    url = f"{entry_type.history_url(entry.slug)}latest/"
    add(0)
    queries = count_queries(client, url)
    with recording(summary="Many rows at once"):
        for n in range(1, 20):
            add(n)
    assert count_queries(client, url) == queries


# -- recent changes and the feed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("person", "Jens Stoltenberg"),
        ("engagement", "NATO visit to Rabat"),
        ("indicator", "Defense spending"),
    ],
)
def test_recent_changes_and_the_feed_offer_the_new_types(
    client, stoltenberg, visit, spending, name, label
):
    recent = client.get("/changes/", {"type": name})
    feed = client.get("/changes/feed/", {"type": name})

    assert recent.status_code == feed.status_code == 200
    text = page_text(recent)
    assert f"{label} ({name}) created" in text
    others = {"Jens Stoltenberg", "NATO visit to Rabat", "Defense spending"} - {label}
    assert not any(f"{other} (" in text for other in others)
    titles = [e.findtext(f"{ATOM}title") for e in ET.fromstring(feed.content).iter(f"{ATOM}entry")]
    assert f"{label} ({name}) — created" in titles
    options = recent.context["form"].fields["type"].choices
    assert ("person", "People") in options and ("indicator", "Indicators") in options


def test_recent_changes_name_the_rows_a_save_changed(client, visit, spending):
    value = spending.values.get()
    value.value = Decimal("5.5")
    value._change_reason = "Corrected figure"
    value.save()

    text = page_text(client.get("/changes/", {"type": "indicator"}))

    assert "2028: 5.5 (projection)" in text


# -- revert ------------------------------------------------------------------------------


def test_it_reverts_an_engagements_partners_and_people(editor_client, visit, nato):
    first = visit.history.get()
    spain = make_partner(name="Spain")
    changed = post_change(
        editor_client,
        visit,
        {
            "partner_links-TOTAL_FORMS": 2,
            "partner_links-1-engagement": visit.pk,
            "partner_links-1-partner": spain.pk,
            "partner_links-1-role": "host",
            "person_links-0-DELETE": True,
            "hedge": "",
            "edit_summary": "Spain hosted; no names",
        },
    )
    assert changed.status_code == 302, error_messages(changed)
    assert set(visit.partners.values_list("name", flat=True)) == {"NATO", "Spain"}

    url = f"{admin_url(visit, 'history')}{first.history_id}/"
    page = editor_client.get(url)
    response = editor_client.post(
        url, admin_form_data(page, {"edit_summary": "Spain is not in the source"})
    )

    assert response.status_code == 302, error_messages(response)
    visit.refresh_from_db()
    assert visit.hedge == "reportedly"
    assert list(visit.partner_links.values_list("partner__name", "role")) == [("NATO", "visitor")]
    assert list(visit.person_links.values_list("person__name", "role")) == [
        ("Jens Stoltenberg", "visitor")
    ]
    text = page_text(editor_client.get(f"{history_url(visit)}latest/"))
    assert "Reverted to revision" in text


def test_it_reverts_an_indicators_values(editor_client, spending):
    first = spending.history.get()
    value = spending.values.get()
    changed = post_change(
        editor_client,
        spending,
        {"values-0-value": "6.1", "values-0-basis": "estimate", "edit_summary": "Newer figure"},
    )
    assert changed.status_code == 302, error_messages(changed)

    url = f"{admin_url(spending, 'history')}{first.history_id}/"
    page = editor_client.get(url)
    assert (
        "Values Changed: 2028: 5.2 (projection) Value: 6.1 → 5.2 Basis: Estimate → Projection"
    ) in page_text(page)
    response = editor_client.post(url, admin_form_data(page, {"edit_summary": "Back"}))

    assert response.status_code == 302, error_messages(response)
    value.refresh_from_db()
    assert (value.value, value.basis) == (Decimal("5.2"), "projection")


# -- restore ------------------------------------------------------------------------------


def delete(client, obj, summary="Duplicate entry"):
    response = client.post(admin_url(obj, "delete"), {"post": "yes", "edit_summary": summary})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def restore(client, obj, summary="Deleted by mistake"):
    return client.post(admin_url(obj, "restore"), {"edit_summary": summary})


def test_it_restores_a_person_with_positions_and_citations(editor_client, stoltenberg):
    positions = set(Position.objects.values_list("pk", "title", "partner_id"))
    citations = set(stoltenberg.citations.values_list("pk", "facts", "note"))
    # His engagements hold on to him: a person taking part is not deleted with them.
    delete(editor_client, stoltenberg)
    assert not Position.objects.exists()

    page = editor_client.get(admin_url(stoltenberg, "restore"))
    response = restore(editor_client, stoltenberg)

    assert "Secretary General, NATO" in page.content.decode()
    assert response.status_code == 302
    assert set(Position.objects.values_list("pk", "title", "partner_id")) == positions
    restored = Person.objects.get(pk=stoltenberg.pk)
    assert set(restored.citations.values_list("pk", "facts", "note")) == citations


def test_it_restores_an_engagement_with_its_partners_people_and_citations(editor_client, visit):
    partners = set(EngagementPartner.objects.values_list("pk", "partner_id", "role"))
    people = set(EngagementPerson.objects.values_list("pk", "person_id", "role"))
    delete(editor_client, visit)

    response = restore(editor_client, visit)

    assert response.status_code == 302
    assert set(EngagementPartner.objects.values_list("pk", "partner_id", "role")) == partners
    assert set(EngagementPerson.objects.values_list("pk", "person_id", "role")) == people
    assert Engagement.objects.get(pk=visit.pk).citations.get().note == "who came"


def test_it_restores_an_indicator_with_its_values_and_citations(editor_client, spending):
    values = set(IndicatorValue.objects.values_list("pk", "period", "value", "basis"))
    delete(editor_client, spending)

    response = restore(editor_client, spending)

    assert response.status_code == 302
    assert set(IndicatorValue.objects.values_list("pk", "period", "value", "basis")) == values
    assert Indicator.objects.get(pk=spending.pk).citations.get().note == "the projection"


def test_it_refuses_a_restore_whose_person_taking_part_is_gone(editor_client, visit):
    lone = make_person(name="Lone envoy")
    EngagementPerson.objects.create(engagement=visit, person=lone)
    delete(editor_client, visit)
    lone.delete()

    response = restore(editor_client, visit)

    assert response.status_code == 200
    assert response.context["problems"] == [
        "People taking part: The person “Lone envoy (deleted)” no longer exists; restore it first."
    ]
    assert not Engagement.objects.filter(pk=visit.pk).exists()


# -- edit conflicts -----------------------------------------------------------------------


def test_two_editors_changing_an_engagements_partners_conflict(visit, nato):
    alice = logged_in(make_user("alice", groups=["Editors"]))
    bob = logged_in(make_user("bob", groups=["Editors"]))
    spain, france = make_partner(name="Spain"), make_partner(name="France")
    url = admin_url(visit)
    alice_page, bob_page = alice.get(url), bob.get(url)
    added = {
        "partner_links-TOTAL_FORMS": 2,
        "partner_links-1-engagement": visit.pk,
        "partner_links-1-role": "host",
    }
    saved = alice.post(
        url,
        admin_form_data(
            alice_page,
            {**added, "partner_links-1-partner": spain.pk, "edit_summary": "Spain hosted"},
        ),
    )
    assert saved.status_code == 302, error_messages(saved)

    refused = bob.post(
        url,
        admin_form_data(
            bob_page,
            {**added, "partner_links-1-partner": france.pk, "edit_summary": "France hosted"},
        ),
    )

    assert refused.status_code == 200
    [message] = [m for m in error_messages(refused) if m.startswith("Not saved")]
    assert "alice on " in message and "(“Spain hosted”)" in message
    conflict = refused.context["edit_conflict"]
    assert [(rows.title, rows.added) for rows in conflict.rows] == [
        ("Partners taking part", ["Spain as host"])
    ]
    assert "Spain as host" in refused.content.decode()
    assert set(visit.partners.values_list("name", flat=True)) == {"NATO", "Spain"}


# -- as of a date -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["person", "engagement", "indicator"])
def test_a_new_types_page_as_of_a_date_says_so(client, stoltenberg, visit, spending, name):
    entry = {"person": stoltenberg, "engagement": visit, "indicator": spending}[name]
    entry_type = entry_types.by_name(name)
    today = f"{timezone.now():%Y-%m-%d}"

    response = client.get(entry_type.detail_url(entry.slug), {"as_of": today})
    before = client.get(entry_type.detail_url(entry.slug), {"as_of": "2001-01-01"})

    assert response.status_code == 200
    assert f"{entry_type.label_of(entry)} as it stood on" in page_text(response)
    assert before.status_code in (200, 404)


def test_a_source_lists_citations_of_the_new_types_in_its_history(client, stoltenberg):
    source = Citation.objects.get(person=stoltenberg).source
    source.reliability_note = "Checked."
    source.save()

    response = client.get(entry_types.by_name("source").history_url(source.slug))

    assert response.status_code == 200


def test_every_new_relation_row_and_citation_carries_its_save(stoltenberg, visit, spending):
    from partnerships.history.models import Change

    for entry in (stoltenberg, visit, spending):
        entry_type = entry_types.for_model(type(entry))
        [change] = Change.objects.filter(entry_type=entry_type.name, entry_id=entry.pk)
        # With the source its citation was made with.
        written = {kind for kind, _, _ in change.revisions} - {"source"}
        assert written == {
            entry_type.revision_type,
            *(relation.revision_type for relation in entry_type.relations),
        }, entry_type.name


def test_it_reverts_a_citation_with_the_person_taking_part_it_names(editor_client, visit):
    """The citation's "person:<id>" fact names a row the same revert puts back: it is
    checked against the rows as the revert leaves them."""
    first = visit.history.get()
    changed = post_change(
        editor_client,
        visit,
        {
            "person_links-0-DELETE": True,
            "citations-0-facts": ["existence"],
            "edit_summary": "Not him",
        },
    )
    assert changed.status_code == 302, error_messages(changed)
    assert not visit.person_links.exists()
    assert visit.citations.get().facts == "existence"

    url = f"{admin_url(visit, 'history')}{first.history_id}/"
    response = editor_client.post(
        url, admin_form_data(editor_client.get(url), {"edit_summary": "It was him"})
    )

    assert response.status_code == 302, error_messages(response)
    assert list(visit.people.values_list("name", flat=True)) == ["Jens Stoltenberg"]
    assert visit.citations.get().facts == f"existence person:{visit.people.get().pk}"
