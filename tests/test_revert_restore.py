"""Reverting an entry to an earlier revision, relations included, and restoring
deleted entries: who may, what comes back, and what each records."""

import pytest

from partnerships.history.names import day
from partnerships.history.saves import recording
from partnerships.models import Agreement, AgreementParty, Exercise, ExerciseParticipant, Partner
from sources.models import Citation, Source

from .conftest import (
    QUOTE,
    admin_form_data,
    admin_url,
    count_queries,
    error_messages,
    logged_in,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db


def revision_url(obj, revision):
    return f"{admin_url(obj, 'history')}{revision.history_id}/"


def deleted_url(model):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/deleted/"


def post_change(client, obj, overrides):
    url = admin_url(obj)
    return client.post(url, admin_form_data(client.get(url), overrides))


def revert(client, obj, revision, summary="Back to the sourced version"):
    url = revision_url(obj, revision)
    return client.post(url, admin_form_data(client.get(url), {"edit_summary": summary}))


def delete(client, obj, summary="Duplicate entry"):
    response = client.post(admin_url(obj, "delete"), {"post": "yes", "edit_summary": summary})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def restore(client, obj, summary="Deleted by mistake"):
    return client.post(admin_url(obj, "restore"), {"edit_summary": summary})


def agreement_with_party_and_citations():
    """An agreement made with a party and two citations, in one save as the admin makes it."""
    spain, source = make_partner(name="Spain"), make_source(title="Le Desk")
    with recording():
        agreement = make_agreement(title="Defense pact", parties=[spain])
        make_citation(agreement, source=source, note="the pact")
        make_citation(agreement, source=source, note="its date")
    return agreement


# -- revert -----------------------------------------------------------------------------


def test_it_refuses_a_reviewer_a_revert_and_shows_no_revert_button(reviewer_client):
    agreement = agreement_with_party_and_citations()
    first = agreement.history.get()
    agreement.title = "Renamed"
    agreement.save()

    page = reviewer_client.get(revision_url(agreement, first))
    response = reviewer_client.post(
        revision_url(agreement, first),
        {"title": "Defense pact", "slug": agreement.slug, "edit_summary": "x"},
    )

    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    assert "What reverting to this revision changes" not in page.content.decode()
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.title == "Renamed"


def test_it_reverts_fields_and_relations_and_names_the_revision(editor_client, editor):
    agreement = agreement_with_party_and_citations()
    first = agreement.history.get()
    original = agreement.citations.get(note="the pact")
    citations = set(agreement.citations.values_list("pk", "note"))
    italy = make_partner(name="Italy")
    # The editor renames it, adds Italy as a party and drops the first citation.
    changed = post_change(
        editor_client,
        agreement,
        {
            "title": "Defence pact",
            "party_links-TOTAL_FORMS": 2,
            "party_links-1-partner": italy.pk,
            "party_links-1-agreement": agreement.pk,
            "citations-0-DELETE": True,
            "edit_summary": "Rework",
        },
    )
    assert changed.status_code == 302
    assert set(agreement.parties.values_list("name", flat=True)) == {"Spain", "Italy"}

    response = revert(editor_client, agreement, first, "The rework was unsourced")

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Defense pact"
    assert list(agreement.parties.values_list("name", flat=True)) == ["Spain"]
    # The dropped citation is back under its own id; the other was never touched.
    assert set(agreement.citations.values_list("pk", "note")) == citations
    reason = (
        f"Reverted to revision #{first.history_id} of {day(first.history_date)} "
        "by an unknown user: The rework was unsourced"
    )
    latest = agreement.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        editor,
        reason,
    )
    # Each relation is a revision of its own with the same reason.
    italy_removed = AgreementParty.history.get(partner_id=italy.pk, history_type="-")
    citation_back = Citation.history.filter(id=original.pk).first()
    assert (citation_back.history_type, citation_back.history_change_reason) == ("+", reason)
    assert (italy_removed.history_user, italy_removed.history_change_reason) == (editor, reason)


def test_it_reverts_to_a_revision_saved_with_its_inline_rows(editor_client):
    spain, italy, source = make_partner(name="Spain"), make_partner(name="Italy"), make_source()
    add = "/admin/partnerships/agreement/add/"
    created = editor_client.post(
        add,
        admin_form_data(
            editor_client.get(add),
            {
                "title": "Pact",
                "slug": "pact",
                "kind": Agreement.Kind.TREATY,
                "party_links-0-partner": spain.pk,
                "citations-0-source": source.pk,
                "citations-0-quote": QUOTE,
                "citations-0-note": "the pact",
                "edit_summary": "Add the pact",
            },
        ),
    )
    assert created.status_code == 302
    agreement = Agreement.objects.get(slug="pact")
    first = agreement.history.get()
    post_change(editor_client, agreement, {"party_links-0-partner": italy.pk, "edit_summary": "x"})
    assert list(agreement.parties.all()) == [italy]

    response = revert(editor_client, agreement, first)

    # The parties saved with the first revision, moments after it, are part of it.
    assert response.status_code == 302
    assert list(agreement.parties.all()) == [spain]
    assert agreement.citations.count() == 1


def test_it_names_the_author_of_the_revision_returned_to(editor_client):
    alice = make_user("alice", groups=["Editors"], first_name="Alice", last_name="Amrani")
    partner = make_citation(make_partner(name="Spain")).partner
    post_change(logged_in(alice), partner, {"name": "Espana", "edit_summary": "Local name"})
    alices = partner.history.first()
    post_change(editor_client, partner, {"name": "Espagne", "edit_summary": "French name"})

    revert(editor_client, partner, alices, "Spanish it is")

    partner.refresh_from_db()
    assert partner.name == "Espana"
    assert partner.history.first().history_change_reason == (
        f"Reverted to revision #{alices.history_id} of {day(alices.history_date)} "
        "by Alice Amrani: Spanish it is"
    )


def test_it_shows_what_a_revert_changes_before_it_is_made(editor_client):
    spain, source = make_partner(name="Spain"), make_source()
    with recording():
        agreement = make_agreement(title="Pact", parties=[spain])
        make_citation(agreement, source=source)
    first = agreement.history.get()
    post_change(
        editor_client,
        agreement,
        {
            "title": "Big pact",
            "party_links-0-partner": make_partner(name="Italy").pk,
            "party_links-TOTAL_FORMS": 2,
            "party_links-1-partner": make_partner(name="Greece").pk,
            "party_links-1-agreement": agreement.pk,
            "edit_summary": "x",
        },
    )

    response = editor_client.get(revision_url(agreement, first))

    content = response.content.decode()
    assert "What reverting to this revision changes" in content
    assert "<td>Big pact</td><td>Pact</td>" in content
    # The first party row now names Italy; the revert puts Spain back in it.
    assert "<li>Partner: <bdi>Italy</bdi> → <bdi>Spain</bdi></li>" in content
    assert "Goes: Greece" in content


def test_it_refuses_a_revert_that_needs_a_deleted_source(editor_client):
    partner, source = make_partner(), make_source(title="Vanished report")
    with recording():
        agreement = make_agreement(parties=[partner])
        gone = make_citation(agreement, source=source)
    first = agreement.history.get()
    make_citation(agreement)
    post_change(editor_client, agreement, {"citations-0-DELETE": True, "edit_summary": "Drop it"})
    Source.objects.filter(pk=gone.source_id).delete()
    revisions = Citation.history.count()

    response = revert(editor_client, agreement, first)

    assert response.status_code == 200
    assert (
        "Citations: The source “Vanished report (deleted)” no longer exists; restore it first."
        in (error_messages(response))
    )
    assert not Citation.objects.filter(pk=gone.pk).exists()
    assert Citation.history.count() == revisions


def test_it_refuses_a_revert_after_someone_else_saved(editor_client):
    partner = make_citation(make_partner(name="Spain")).partner
    first = partner.history.get()
    partner.name = "Espagne"
    partner.save()
    page = editor_client.get(revision_url(partner, first))
    alice = logged_in(make_user("alice", groups=["Editors"]))
    post_change(alice, partner, {"short_name": "ES", "edit_summary": "Abbreviation"})

    response = editor_client.post(
        revision_url(partner, first), admin_form_data(page, {"edit_summary": "Revert"})
    )

    assert response.status_code == 200
    assert any("alice on " in m and "“Abbreviation”" in m for m in error_messages(response))
    partner.refresh_from_db()
    assert (partner.name, partner.short_name) == ("Espagne", "ES")


def test_it_sends_a_revert_of_a_deleted_entry_to_its_restore_page(editor_client):
    agreement = agreement_with_party_and_citations()
    first = agreement.history.get()
    page = editor_client.get(revision_url(agreement, first))
    delete(editor_client, agreement)

    response = editor_client.post(
        revision_url(agreement, first), admin_form_data(page, {"edit_summary": "Back"})
    )

    assert response.status_code == 302
    assert response["Location"] == admin_url(agreement, "restore")
    assert not Agreement.objects.filter(pk=agreement.pk).exists()


def test_it_shows_a_revision_page_in_the_same_queries_for_1_or_30_citations(
    editor_client, django_assert_num_queries
):
    small, large = (
        make_agreement(parties=[make_partner()]),
        make_agreement(parties=[make_partner()]),
    )
    make_citation(small)
    for _ in range(30):
        make_citation(large)
    for agreement in (small, large):
        agreement.title += " (renamed)"
        agreement.save()
    small_first, large_first = small.history.last(), large.history.last()
    expected = count_queries(editor_client, revision_url(small, small_first))

    with django_assert_num_queries(expected):
        editor_client.get(revision_url(large, large_first))


# -- deleted entries ------------------------------------------------------------------


def test_it_lists_deleted_entries_with_who_deleted_them_and_when(editor_client, reviewer):
    agreement = agreement_with_party_and_citations()
    kept = make_agreement(title="Still here")
    delete(editor_client, agreement, "Not an agreement")
    reviewer_client = logged_in(reviewer)

    response = reviewer_client.get(deleted_url(Agreement))

    assert response.status_code == 200
    [row] = response.context["rows"]
    assert (row["name"], row["user"], row["reason"]) == (
        "Defense pact",
        "editor",
        "Not an agreement",
    )
    content = response.content.decode()
    assert '<th scope="row">Defense pact</th>' in content
    assert day(agreement.history.first().history_date) in content
    assert kept.title not in content
    # Reviewers read; they do not restore.
    assert "Restore…" not in content
    assert admin_url(agreement, "history") in content


def test_it_links_the_deleted_list_from_the_changelist(reviewer_client):
    response = reviewer_client.get("/admin/partnerships/agreement/")

    assert f'href="{deleted_url(Agreement)}"' in response.content.decode()


def test_it_lists_an_entry_again_only_while_it_is_deleted(editor_client):
    agreement = agreement_with_party_and_citations()
    delete(editor_client, agreement)
    assert restore(editor_client, agreement).status_code == 302

    response = editor_client.get(deleted_url(Agreement))

    assert response.context["rows"] == []
    assert "No agreements are deleted." in response.content.decode()


def test_it_refuses_the_deleted_list_to_staff_without_history_rights(client):
    client.force_login(make_user("visitor"))

    assert client.get(deleted_url(Agreement)).status_code == 403


def test_it_lists_deleted_entries_in_the_same_queries_for_1_or_30(
    editor_client, django_assert_num_queries
):
    first = make_partner(name="Atlantis")
    first.delete()
    expected = count_queries(editor_client, deleted_url(Partner))
    for n in range(29):
        make_partner(name=f"Lost {n}").delete()

    with django_assert_num_queries(expected):
        response = editor_client.get(deleted_url(Partner))

    assert len(response.context["rows"]) == 30


# -- restore ----------------------------------------------------------------------------


def test_it_restores_an_entry_with_its_parties_and_citations(editor_client, editor):
    agreement = agreement_with_party_and_citations()
    italy = make_partner(name="Italy")
    AgreementParty.objects.create(agreement=agreement, partner=italy)
    parties = set(AgreementParty.objects.values_list("pk", "partner_id"))
    citations = set(agreement.citations.values_list("pk", "source_id", "quote", "note"))
    delete(editor_client, agreement, "Duplicate")
    deletion = agreement.history.first()

    page = editor_client.get(admin_url(agreement, "restore"))
    response = restore(editor_client, agreement, "Not a duplicate after all")

    assert "Parties restored with it" in page.content.decode()
    assert "<li>Italy</li>" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == admin_url(agreement)
    restored = Agreement.objects.get(pk=agreement.pk)
    assert (restored.title, restored.slug) == ("Defense pact", agreement.slug)
    assert set(AgreementParty.objects.values_list("pk", "partner_id")) == parties
    assert set(restored.citations.values_list("pk", "source_id", "quote", "note")) == citations
    reason = (
        f"Restored after deletion by editor on {day(deletion.history_date)}: "
        "Not a duplicate after all"
    )
    records = [
        restored.history.first(),
        *AgreementParty.history.filter(agreement_id=agreement.pk, history_type="+").exclude(
            history_change_reason=None
        ),
        *Citation.history.filter(agreement_id=agreement.pk, history_change_reason=reason),
    ]
    assert len(records) == 1 + 2 + 2
    assert {(r.history_type, r.history_user, r.history_change_reason) for r in records} == {
        ("+", editor, reason)
    }


def test_it_restores_a_partner_with_its_citations(editor_client):
    partner = make_partner(name="Mauritania")
    make_citation(partner, note="a neighbour")
    delete(editor_client, partner)

    response = restore(editor_client, partner)

    assert response.status_code == 302
    assert Partner.objects.get(pk=partner.pk).citations.get().note == "a neighbour"


def test_it_refuses_a_reviewer_a_restore(editor_client, reviewer):
    agreement = agreement_with_party_and_citations()
    delete(editor_client, agreement)
    reviewer_client = logged_in(reviewer)

    assert reviewer_client.get(admin_url(agreement, "restore")).status_code == 403
    assert restore(reviewer_client, agreement).status_code == 403
    assert not Agreement.objects.filter(pk=agreement.pk).exists()


def test_it_requires_a_summary_to_restore(editor_client):
    agreement = agreement_with_party_and_citations()
    delete(editor_client, agreement)

    response = restore(editor_client, agreement, summary="  ")

    assert response.status_code == 200
    assert "Give an edit summary: say why this entry comes back." in response.content.decode()
    assert not Agreement.objects.filter(pk=agreement.pk).exists()


def test_it_refuses_a_restore_whose_slug_has_been_taken(editor_client):
    agreement = agreement_with_party_and_citations()
    delete(editor_client, agreement)
    make_agreement(title="The new pact", slug=agreement.slug)
    revisions = Citation.history.count() + AgreementParty.history.count()

    response = restore(editor_client, agreement)

    assert response.status_code == 200
    message = (
        f"Its address is taken: “The new pact” now uses the slug “{agreement.slug}”. "
        "Give one of them another slug first."
    )
    assert message in response.context["problems"]
    assert "The new pact" in response.content.decode()
    assert not Agreement.objects.filter(pk=agreement.pk).exists()
    assert Citation.history.count() + AgreementParty.history.count() == revisions


def test_it_refuses_a_restore_whose_partner_no_longer_exists(editor_client):
    atlantis = make_partner(name="Atlantis")
    exercise = make_exercise(participants=[atlantis])
    make_citation(exercise)
    delete(editor_client, exercise)
    atlantis.delete()

    response = restore(editor_client, exercise)

    assert response.status_code == 200
    assert response.context["problems"] == [
        "Participants: The partner “Atlantis (deleted)” no longer exists; restore it first."
    ]
    assert not Exercise.objects.filter(pk=exercise.pk).exists()
    assert not ExerciseParticipant.objects.exists()


def test_it_refuses_a_restore_whose_quote_left_its_source(editor_client):
    partner = make_partner(name="Mauritania")
    citation = make_citation(partner)
    delete(editor_client, partner)
    source = Source.objects.get(pk=citation.source_id)
    source.full_text = "A different text."
    source.save()

    response = restore(editor_client, partner)

    assert response.status_code == 200
    [problem] = response.context["problems"]
    assert problem.startswith("Citations: “Morocco’s armed forces are modernising quickly.”")
    assert "does not occur in" in problem
    # Nothing half-done: the partner was rolled back with its citations.
    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert (
        not Partner.history.filter(id=partner.pk, history_type="+")
        .exclude(history_change_reason=None)
        .exists()
    )


def test_it_sends_a_restore_of_an_entry_that_exists_to_its_page(editor_client):
    partner = make_citation().partner

    response = editor_client.get(admin_url(partner, "restore"))

    assert response.status_code == 302
    assert response["Location"] == admin_url(partner)


def test_it_answers_404_for_an_entry_it_never_had(editor_client):
    assert editor_client.get("/admin/partnerships/partner/999999/restore/").status_code == 404
    assert editor_client.get("/admin/partnerships/partner/nope/restore/").status_code == 404


def test_it_offers_a_restore_on_a_deleted_entrys_history(editor_client):
    agreement = agreement_with_party_and_citations()
    delete(editor_client, agreement)

    response = editor_client.get(admin_url(agreement, "history"))

    assert f'href="{admin_url(agreement, "restore")}"' in response.content.decode()


def test_it_shows_a_restore_page_in_the_same_queries_for_1_or_30_citations(
    editor_client, django_assert_num_queries
):
    small, large = (
        make_agreement(parties=[make_partner()]),
        make_agreement(parties=[make_partner()]),
    )
    make_citation(small)
    for _ in range(30):
        make_citation(large)
    delete(editor_client, small)
    delete(editor_client, large)
    expected = count_queries(editor_client, admin_url(small, "restore"))

    with django_assert_num_queries(expected):
        editor_client.get(admin_url(large, "restore"))
