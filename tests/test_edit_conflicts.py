"""Two editors on one entry: the second save is refused with what the first
changed, nothing is silently overwritten, and a deliberate second save goes
through. Also the revision comparisons (partnerships.history.diffs) behind it."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.admin import AgreementAdmin, PartnerAdmin
from partnerships.entry_types import AGREEMENT
from partnerships.history.conflicts import revision_token
from partnerships.history.diffs import excerpts, field_changes, row_changes, values
from partnerships.history.entry import edits, relation_records, rows_after, upto
from partnerships.history.names import Names
from partnerships.history.saves import recording
from partnerships.models import Agreement, AgreementParty, Exercise, Partner, Procurement
from sources.models import Citation

from .conftest import (
    QUOTE,
    SOURCE_TEXT,
    admin_form_data,
    admin_url,
    error_messages,
    logged_in,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return logged_in(make_user("alice", groups=["Editors"]))


@pytest.fixture
def bob(db):
    return logged_in(make_user("bob", groups=["Editors"]))


def conflict_of(response):
    return response.context["edit_conflict"]


def page_of(response):
    return response.content.decode()


# -- two editors, one entry ------------------------------------------------------------


def test_it_refuses_the_second_save_and_says_who_changed_what(alice, bob):
    partner = make_citation(make_partner(name="Spian", summary="A partner.")).partner
    url = admin_url(partner)
    alice_page, bob_page = alice.get(url), bob.get(url)
    alice.post(url, admin_form_data(alice_page, {"name": "Spain", "edit_summary": "Spelling"}))
    revisions = partner.history.count()

    response = bob.post(
        url,
        admin_form_data(
            bob_page, {"summary": "A close partner.", "edit_summary": "Say how close"}
        ),
    )

    assert response.status_code == 200
    [message] = [m for m in error_messages(response) if m.startswith("Not saved")]
    assert "alice on " in message
    assert "(“Spelling”)" in message
    assert "saved this entry after you opened it" in message
    conflict = conflict_of(response)
    assert [(c.label, c.before, c.after) for c in conflict.fields] == [("Name", "Spian", "Spain")]
    content = page_of(response)
    assert "Saved by someone else since you opened this page" in content
    assert "<td>Spian</td><td>Spain</td>" in content
    # Nothing of Bob's was saved, nor any revision recorded...
    partner.refresh_from_db()
    assert (partner.name, partner.summary) == ("Spain", "A partner.")
    assert partner.history.count() == revisions
    # ...and nothing he typed is lost: the form comes back with his input.
    form = response.context["adminform"].form
    assert form["summary"].value() == "A close partner."
    assert form["edit_summary"].value() == "Say how close"


def test_it_saves_the_refused_form_when_submitted_again(alice, bob):
    partner = make_citation(make_partner(name="Spian")).partner
    url = admin_url(partner)
    alice_page, bob_page = alice.get(url), bob.get(url)
    alice.post(url, admin_form_data(alice_page, {"name": "Spain", "edit_summary": "Spelling"}))
    refused = bob.post(
        url, admin_form_data(bob_page, {"short_name": "ES", "edit_summary": "Abbreviation"})
    )
    assert refused.status_code == 200

    # Bob has read what Alice changed and takes it into his form, then saves again.
    response = bob.post(url, admin_form_data(refused, {"name": "Spain"}))

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.short_name) == ("Spain", "ES")
    latest = partner.history.first()
    assert (latest.history_user.username, latest.history_change_reason) == (
        "bob",
        "Abbreviation",
    )
    assert partner.history.count() == 3


def test_it_refuses_a_save_after_another_editor_added_a_citation_inline(alice, bob):
    agreement = make_agreement(title="Defense pact", parties=[make_partner(name="Spain")])
    make_citation(agreement, note="the pact")
    url = admin_url(agreement)
    alice_page, bob_page = alice.get(url), bob.get(url)
    source = make_source(title="Le Desk")
    added = alice.post(
        url,
        admin_form_data(
            alice_page,
            {
                "citations-TOTAL_FORMS": 2,
                "citations-1-source": source.pk,
                "citations-1-quote": QUOTE,
                "citations-1-note": "its date",
                "citations-1-facts": ["date"],
                "citations-1-stance": Citation.Stance.SUPPORTS,
                "citations-1-agreement": agreement.pk,
                "edit_summary": "Cite the date",
            },
        ),
    )
    assert added.status_code == 302
    revisions = Agreement.history.count() + Citation.history.count()

    response = bob.post(
        url, admin_form_data(bob_page, {"title": "Defence pact", "edit_summary": "British"})
    )

    assert response.status_code == 200
    assert any("alice on " in m and "“Cite the date”" in m for m in error_messages(response))
    [citations] = conflict_of(response).rows
    assert citations.title == "Citations"
    assert citations.added == [f"“{QUOTE}” for date concluded"]
    assert (citations.removed, citations.changed) == ([], [])
    assert f"Added: “{QUOTE}” for date concluded" in page_of(response)
    assert conflict_of(response).fields == []
    agreement.refresh_from_db()
    assert agreement.title == "Defense pact"
    assert agreement.citations.count() == 2
    assert Agreement.history.count() + Citation.history.count() == revisions


def test_it_refuses_a_save_after_another_editor_removed_a_party(alice, bob):
    spain, italy = make_partner(name="Spain"), make_partner(name="Italy")
    agreement = make_agreement(parties=[italy, spain])
    make_citation(agreement)
    url = admin_url(agreement)
    alice_page, bob_page = alice.get(url), bob.get(url)
    # Parties are listed by name: Italy is the first inline row.
    alice.post(
        url,
        admin_form_data(alice_page, {"party_links-0-DELETE": True, "edit_summary": "Not Italy"}),
    )
    assert list(agreement.parties.all()) == [spain]

    response = bob.post(
        url, admin_form_data(bob_page, {"summary": "A pact.", "edit_summary": "x"})
    )

    assert response.status_code == 200
    [parties] = conflict_of(response).rows
    assert (parties.title, parties.removed, parties.added) == ("Parties", ["Italy"], [])
    assert "Removed: Italy" in page_of(response)
    agreement.refresh_from_db()
    assert agreement.summary == ""


def test_it_names_the_changed_fields_of_a_related_row(alice, bob):
    exercise = make_exercise(participants=[make_partner(name="United States")])
    make_citation(exercise)
    url = admin_url(exercise)
    alice_page, bob_page = alice.get(url), bob.get(url)
    alice.post(
        url,
        admin_form_data(alice_page, {"participations-0-role": "host", "edit_summary": "Host"}),
    )

    response = bob.post(
        url, admin_form_data(bob_page, {"location": "Tan-Tan", "edit_summary": "x"})
    )

    [participants] = conflict_of(response).rows
    [(name, changes)] = participants.changed
    assert name == "United States as host"
    assert [(c.label, c.before, c.after) for c in changes] == [("Role", "Participant", "Host")]
    assert Exercise.objects.get().location == ""


def test_it_saves_one_editors_successive_saves_without_a_conflict(editor_client):
    partner = make_citation(make_partner(name="Spian")).partner
    url = admin_url(partner)

    first = editor_client.post(
        url, admin_form_data(editor_client.get(url), {"name": "Spain", "edit_summary": "One"})
    )
    second = editor_client.post(
        url, admin_form_data(editor_client.get(url), {"short_name": "ES", "edit_summary": "Two"})
    )

    assert (first.status_code, second.status_code) == (302, 302)
    partner.refresh_from_db()
    assert (partner.name, partner.short_name) == ("Spain", "ES")


def test_it_keeps_the_token_of_a_form_refused_for_another_reason(alice, bob):
    partner = make_citation(make_partner(name="Spian")).partner
    url = admin_url(partner)
    bob_page = bob.get(url)
    no_summary = bob.post(url, admin_form_data(bob_page, {"name": "Spain", "edit_summary": None}))
    assert no_summary.status_code == 200
    assert not any(m.startswith("Not saved") for m in error_messages(no_summary))
    # Alice saves while Bob's form is still open with its summary error.
    alice.post(url, admin_form_data(alice.get(url), {"kind": "organization", "edit_summary": "x"}))

    response = bob.post(url, admin_form_data(no_summary, {"edit_summary": "Spelling"}))

    assert response.status_code == 200
    assert [(c.label, c.after) for c in conflict_of(response).fields] == [
        ("Kind", "International organization or alliance")
    ]


def test_it_refuses_a_form_posted_without_its_revision(editor_client):
    partner = make_citation(make_partner(name="Spian")).partner
    url = admin_url(partner)
    data = admin_form_data(editor_client.get(url), {"name": "Spain", "edit_summary": "x"})
    del data["base_revision"]

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert any("did not say which revision" in m for m in error_messages(response))
    partner.refresh_from_db()
    assert partner.name == "Spian"


def test_it_does_not_count_a_citation_of_a_source_as_a_change_to_the_source(alice, bob):
    source = make_source(title="Le Desk")
    url = admin_url(source)
    bob_page = bob.get(url)
    # Alice cites the source on another entry; the source's form shows citations read-only.
    make_citation(make_partner(), source=source)

    response = bob.post(
        url, admin_form_data(bob_page, {"author": "A. Writer", "edit_summary": "x"})
    )

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.author == "A. Writer"


def test_it_refuses_a_second_save_of_a_source(alice, bob):
    # The form strips a text's trailing newline: a source saved through it has none.
    source = make_source(title="Le Desk", full_text=SOURCE_TEXT.strip())
    url = admin_url(source)
    alice_page, bob_page = alice.get(url), bob.get(url)
    alice.post(url, admin_form_data(alice_page, {"publisher": "Le Desk", "edit_summary": "x"}))

    response = bob.post(
        url, admin_form_data(bob_page, {"author": "A. Writer", "edit_summary": "y"})
    )

    assert response.status_code == 200
    assert [(c.label, c.before, c.after) for c in conflict_of(response).fields] == [
        ("Publisher", "(empty)", "Le Desk")
    ]


def test_it_adds_new_entries_without_a_revision_to_compare(editor_client):
    url = "/admin/partnerships/partner/add/"
    page = editor_client.get(url)
    assert page.context["adminform"].form["base_revision"].value() in (None, "")
    data = admin_form_data(
        page,
        {
            "name": "Mauritania",
            "slug": "mauritania",
            "kind": Partner.Kind.COUNTRY,
            "citations-0-source": make_source().pk,
            "citations-0-quote": QUOTE,
            "citations-0-note": "a neighbour",
            "edit_summary": "Add Mauritania",
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert Partner.objects.filter(slug="mauritania").exists()


def test_it_renders_the_revision_token_as_a_hidden_input(alice, reviewer_client):
    partner = make_citation().partner
    url = admin_url(partner)

    editor_page = alice.get(url)

    token = editor_page.context["adminform"].form["base_revision"].value()
    assert token.count(".") == 1  # the partner, then its citations
    assert f'type="hidden" name="base_revision" value="{token}"' in page_of(editor_page)
    # Reviewers cannot save, so their read-only page carries no form token.
    assert 'name="base_revision"' not in page_of(reviewer_client.get(url))


def test_it_computes_the_revision_token_in_one_query_per_relation(django_assert_num_queries):
    from django.contrib import admin

    agreement = make_agreement(parties=[make_partner()])
    for _ in range(20):
        make_citation(agreement)
    model_admin = admin.site._registry[Agreement]
    assert isinstance(model_admin, AgreementAdmin)

    with django_assert_num_queries(3):  # the agreement, its parties, its citations
        token = revision_token(Agreement, AGREEMENT.relations, agreement.pk)

    entry, parties, citations = (int(part) for part in token.split("."))
    assert entry == agreement.history.get().history_id
    assert parties == AgreementParty.history.get().history_id
    assert citations == Citation.history.order_by("history_id").last().history_id


# -- what changed between two revisions ------------------------------------------------


def test_it_names_fields_by_their_verbose_names_and_shows_choice_labels():
    agreement = make_agreement(kind=Agreement.Kind.COOPERATION)
    agreement.kind = Agreement.Kind.TREATY
    agreement.status = Agreement.Status.SIGNED
    agreement.save()
    new, old = agreement.history.all()

    changes = field_changes(old, new)

    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Kind", "Cooperation agreement", "Treaty"),
        ("Status", "Reported", "Signed"),
    ]


def test_it_shows_a_precise_date_as_one_value_at_its_precision():
    agreement = make_agreement(
        date=datetime.date(2024, 4, 12), date_precision="day", start_date=None
    )
    agreement.date, agreement.date_precision = datetime.date(2024, 4, 1), "month"
    agreement.date_approximate = True
    agreement.save()
    new, old = agreement.history.all()

    changes = field_changes(old, new)

    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Date", "12 April 2024", str(agreement.concluded))
    ]
    assert str(agreement.concluded).startswith("April 2024 (")


def test_it_names_related_objects_deleted_ones_from_their_history(django_assert_num_queries):
    spain, france = make_partner(name="Spain"), make_partner(name="France")
    procurement = make_procurement(supplier=spain)
    procurement.supplier = france
    procurement.quantity = 24
    procurement.value_amount, procurement.value_currency = Decimal("500000000.00"), "USD"
    procurement.save()
    new, old = procurement.history.all()
    spain_pk = spain.pk
    Partner.objects.filter(pk=spain_pk).delete()  # not through the admin: no cascade to guard
    spain.pk = spain_pk

    with django_assert_num_queries(2):  # live partners, then the deleted one's history
        changes = field_changes(old, new)

    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Supplier", "Spain (deleted)", "France"),
        ("Quantity", "(empty)", "24"),
        ("Value", "(empty)", "500,000,000"),
        ("Currency", "(empty)", "US dollar"),
    ]


def test_it_shows_several_choices_and_yes_or_no():
    exercise = make_exercise(domains=["land"])
    exercise.domains = ["land", "air"]
    exercise.start_date, exercise.start_date_precision = datetime.date(2024, 5, 1), "year"
    exercise.save()
    new, old = exercise.history.all()

    changes = {c.label: (c.before, c.after) for c in field_changes(old, new)}

    assert changes == {"Domains": ("Land", "Land, Air"), "Start date": ("unknown", "2024")}
    assert ("Start date approximate", "no") not in values(new)


def test_it_finds_no_change_between_equal_revisions():
    partner = make_partner(name="Spain")
    record = partner.history.get()

    assert field_changes(record, record) == []
    assert field_changes(record, partner) == []


def test_it_cuts_long_texts_to_the_passage_that_changed():
    before = "A" * 300 + " signed in 2020. " + "B" * 300
    after = "A" * 300 + " signed in 2021. " + "B" * 300

    short_before, short_after = excerpts(before, after)

    assert short_before.startswith("…") and short_before.endswith("…")
    assert "signed in 2020." in short_before and "signed in 2021." in short_after
    assert len(short_before) < 160
    assert excerpts("short", "shorter") == ("short", "shorter")
    _, added = excerpts("", "x" * 1000)
    assert added == "x" * 400 + "…"


def test_it_lists_the_rows_added_removed_and_changed_between_two_moments():
    spain, italy, greece = (make_partner(name=n) for n in ("Spain", "Italy", "Greece"))
    exercise = make_exercise(participants=[spain, italy])
    relation = next(r for r in _relations(Exercise) if r.title == "Participants")
    cutoff = relation_records(relation, exercise.pk)[-1].history_id
    exercise.participations.get(partner=italy).delete()
    participation = exercise.participations.get(partner=spain)
    participation.role = "observer"
    participation.save()
    exercise.participations.create(partner=greece)

    records = relation_records(relation, exercise.pk)
    changes = row_changes(
        relation,
        rows_after(relation, records, exercise.pk, upto(cutoff)),
        rows_after(relation, records, exercise.pk),
    )

    assert changes.added == ["Greece as participant"]
    assert changes.removed == ["Italy as participant"]
    [(name, fields)] = changes.changed
    assert name == "Spain as observer"
    assert [(f.label, f.before, f.after) for f in fields] == [("Role", "Participant", "Observer")]


def test_it_groups_revisions_into_the_saves_that_wrote_them(alice):
    partner, source = make_partner(), make_source()
    with recording():
        agreement = make_agreement(parties=[partner])
        make_citation(agreement, source=source)
    records = [*agreement.history.all(), *AgreementParty.history.all(), *Citation.history.all()]

    [save] = edits(records)

    assert (save.user, save.reason) == (None, "")
    assert str(save).startswith("an unknown user on ")
    assert str(save).endswith("(no edit summary)")


def test_it_loads_related_names_in_one_query_per_model(django_assert_num_queries):
    partners = [make_partner(name=f"P{n}") for n in range(5)]
    names = Names()

    with django_assert_num_queries(1):
        names.load(Partner, [p.pk for p in partners])
        assert names.get(Partner, partners[0].pk) == "P0"

    with CaptureQueriesContext(connection) as queries:
        assert names.get(Procurement, 999_999) == "(unknown equipment procurement)"
    assert len(queries) == 2


def _relations(model):
    from django.contrib import admin

    return admin.site._registry[model].relations


# -- two saves at once --------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to take turns on"
)
@pytest.mark.django_db(transaction=True)
def test_it_makes_simultaneous_saves_take_turns_on_postgresql(alice, bob, monkeypatch):
    partner = make_citation(make_partner(name="Spian")).partner
    url = admin_url(partner)
    alice_page, bob_page = alice.get(url), bob.get(url)
    alice_saving, alice_may_commit = threading.Event(), threading.Event()
    save_model = PartnerAdmin.save_model

    def slow_save_model(self, request, obj, form, change):
        save_model(self, request, obj, form, change)
        if request.user.username == "alice":
            alice_saving.set()
            assert alice_may_commit.wait(10)

    monkeypatch.setattr(PartnerAdmin, "save_model", slow_save_model)
    responses = {}

    def post(name, client, data):
        try:
            responses[name] = client.post(url, data)
        finally:
            connection.close()

    alice_data = admin_form_data(alice_page, {"name": "Spain", "edit_summary": "Spelling"})
    bob_data = admin_form_data(bob_page, {"short_name": "ES", "edit_summary": "Abbreviation"})
    threads = [
        threading.Thread(target=post, args=("alice", alice, alice_data)),
        threading.Thread(target=post, args=("bob", bob, bob_data)),
    ]
    threads[0].start()
    assert alice_saving.wait(10)
    # Alice holds the row lock inside her save; Bob's save waits for it...
    threads[1].start()
    threads[1].join(0.5)
    assert threads[1].is_alive()
    # ...and once Alice's save commits, Bob's sees it and is refused.
    alice_may_commit.set()
    for thread in threads:
        thread.join(10)

    assert responses["alice"].status_code == 302
    assert responses["bob"].status_code == 200
    assert "alice on " in responses["bob"].context["adminform"].form.non_field_errors()[0]
    partner.refresh_from_db()
    assert (partner.name, partner.short_name) == ("Spain", "")
