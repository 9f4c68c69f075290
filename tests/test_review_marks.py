"""Review marks: reviewers mark a revision reviewed from recent changes, a revision
or a comparison; no one else may; marks are kept for good and unreviewed
saves make a queue. A mark is on a save, and so on every revision it wrote."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import Client

from partnerships.history.entry import EntryHistory
from partnerships.history.registry import entry_types
from partnerships.models import Agreement, AgreementParty, ReviewMark
from sources.models import Citation

from .conftest import QUOTE, logged_in, make_source, make_user, page_text
from .history_factories import agreement_with_history, hours, new, saved

pytestmark = pytest.mark.django_db


def review_url(agreement, token):
    return f"/agreements/{agreement.slug}/history/{token}/review/"


def retitled_agreement():
    agreement = agreement_with_history()
    agreement.title = "Defence cooperation pact"
    saved(agreement, hours(1), "Use the treaty's own title", make_user("omar"))
    return agreement


def marks():
    """(history table, history id) of every revision a mark covers."""
    return sorted(
        (revision_type, history_id)
        for mark in ReviewMark.objects.select_related("change")
        for revision_type, history_id, _ in mark.change.revisions
    )


# -- who may ------------------------------------------------------------------------------


def test_it_lets_reviewers_mark_revisions_and_editors_only_see_the_marks():
    reviewer = make_user(groups=["Reviewers"])
    editor = make_user(groups=["Editors"])

    assert reviewer.has_perm("partnerships.add_reviewmark")
    assert reviewer.has_perm("partnerships.view_reviewmark")
    assert not editor.has_perm("partnerships.add_reviewmark")
    assert editor.has_perm("partnerships.view_reviewmark")


def test_it_has_no_permission_to_change_or_delete_a_mark_for_anyone_to_hold():
    codenames = set(
        Permission.objects.filter(content_type__model="reviewmark").values_list(
            "codename", flat=True
        )
    )

    assert codenames == {"add_reviewmark", "view_reviewmark"}
    for group in Group.objects.all():
        assert not group.permissions.filter(codename__startswith="delete_reviewmark").exists()


@pytest.mark.parametrize("who", [None, "Editors", "staff"])
def test_it_refuses_a_mark_from_anyone_but_a_reviewer(client, who):
    agreement = retitled_agreement()
    if who is not None:
        client.force_login(make_user(groups=[who] if who == "Editors" else []))

    response = client.post(review_url(agreement, agreement.history.first().history_id))

    assert response.status_code == 403
    assert ReviewMark.objects.count() == 0


def test_it_marks_only_by_post(reviewer_client):
    agreement = retitled_agreement()

    response = reviewer_client.get(review_url(agreement, agreement.history.first().history_id))

    assert response.status_code == 405
    assert ReviewMark.objects.count() == 0


def test_it_refuses_a_mark_without_the_csrf_token(reviewer):
    agreement = retitled_agreement()
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)

    response = client.post(review_url(agreement, agreement.history.first().history_id))

    assert response.status_code == 403
    assert ReviewMark.objects.count() == 0


# -- marking --------------------------------------------------------------------------------


def test_it_marks_every_revision_a_save_wrote(reviewer_client, reviewer):
    agreement = agreement_with_history()
    created = agreement.history.get()
    party = AgreementParty.history.get(agreement_id=agreement.pk)
    citation = Citation.history.get(agreement_id=agreement.pk)

    response = reviewer_client.post(
        review_url(agreement, created.history_id), {"note": "Checked against Le Desk"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/agreements/{agreement.slug}/history/{created.history_id}/"
    assert marks() == sorted(
        [
            ("agreement", created.history_id),
            ("agreementparty", party.history_id),
            ("citation", citation.history_id),
        ]
    )
    mark = ReviewMark.objects.get()
    assert (mark.reviewer, mark.note) == (reviewer, "Checked against Le Desk")


def test_it_marks_a_citation_saved_on_its_own(reviewer_client):
    agreement = agreement_with_history()
    citation = new(
        Citation,
        hours(2),
        "Cite the signing",
        agreement=agreement,
        source=make_source(),
        quote=QUOTE,
        note="its signing",
    )
    record = citation.history.get()

    response = reviewer_client.post(review_url(agreement, f"citation-{record.history_id}"))

    assert response.status_code == 302
    assert marks() == [("citation", record.history_id)]


def test_it_goes_back_to_the_page_the_button_was_on(reviewer_client):
    agreement = retitled_agreement()
    token = agreement.history.first().history_id

    response = reviewer_client.post(
        review_url(agreement, token), {"next": "/changes/?reviewed=no&page=1"}
    )

    assert response["Location"] == "/changes/?reviewed=no&page=1"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_it_never_sends_a_reviewer_off_the_site(reviewer_client, target):
    agreement = retitled_agreement()
    token = agreement.history.first().history_id

    response = reviewer_client.post(review_url(agreement, token), {"next": target})

    assert response["Location"] == f"/agreements/{agreement.slug}/history/{token}/"


def test_it_keeps_the_first_mark_when_a_revision_is_marked_twice(reviewer_client, reviewer):
    agreement = retitled_agreement()
    token = agreement.history.first().history_id
    other = make_user(groups=["Reviewers"])
    logged_in(other).post(review_url(agreement, token), {"note": "First"})

    response = reviewer_client.post(review_url(agreement, token), {"note": "Second"})

    assert response.status_code == 302
    mark = ReviewMark.objects.get()
    assert (mark.reviewer, mark.note) == (other, "First")


@pytest.mark.parametrize(
    ("note", "message"),
    [("x" * 501, "Keep the note under 500 characters."), ("a\x00b", "Null characters")],
)
def test_it_refuses_a_bad_note_with_a_message(reviewer_client, note, message):
    agreement = retitled_agreement()

    response = reviewer_client.post(
        review_url(agreement, agreement.history.first().history_id), {"note": note}
    )

    assert response.status_code == 400
    assert message in page_text(response)
    assert ReviewMark.objects.count() == 0


@pytest.mark.parametrize(("token", "status"), [("abc", 400), ("999999", 404)])
def test_it_refuses_to_mark_a_revision_that_is_not_there(reviewer_client, token, status):
    agreement = retitled_agreement()

    response = reviewer_client.post(review_url(agreement, token))

    assert response.status_code == status
    assert ReviewMark.objects.count() == 0


# -- where marks show -------------------------------------------------------------------------


def test_it_offers_the_button_to_reviewers_only(client, reviewer):
    agreement = retitled_agreement()
    token = agreement.history.first().history_id
    pages = ["/changes/", f"/agreements/{agreement.slug}/history/{token}/"]
    pages.append(f"/agreements/{agreement.slug}/history/compare/?to={token}")

    for url in pages:
        assert "Mark" not in page_text(client.get(url)).replace("Marks", ""), url
    client.force_login(reviewer)
    for url in pages:
        content = client.get(url).content.decode()
        assert 'name="csrfmiddlewaretoken"' in content, url
        assert f'action="{review_url(agreement, token)}"' in content, url


def test_it_works_through_the_unreviewed_queue(reviewer_client):
    agreement = retitled_agreement()
    token = agreement.history.first().history_id

    before = page_text(reviewer_client.get("/changes/", {"reviewed": "no"}))
    reviewer_client.post(review_url(agreement, token), {"next": "/changes/?reviewed=no"})
    after = page_text(reviewer_client.get("/changes/", {"reviewed": "no"}))
    reviewed = page_text(reviewer_client.get("/changes/", {"reviewed": "yes"}))

    assert "Use the treaty's own title" in before
    assert "Use the treaty's own title" not in after
    assert "Use the treaty's own title" in reviewed
    assert "reviewed by reviewer" in reviewed


def test_it_shows_on_the_entry_page_whether_its_latest_revision_is_reviewed(
    client, reviewer_client
):
    agreement = retitled_agreement()
    url = f"/agreements/{agreement.slug}/"
    token = agreement.history.first().history_id

    before = page_text(client.get(url))
    reviewer_client.post(review_url(agreement, token))
    after = page_text(client.get(url))

    assert "; not yet reviewed." in before
    assert "by omar (“Use the treaty's own title”); reviewed." in after


def test_it_shows_who_reviewed_a_revision_and_their_note(client, reviewer_client):
    agreement = retitled_agreement()
    token = agreement.history.first().history_id
    reviewer_client.post(review_url(agreement, token), {"note": "Title checked <b>twice</b>"})

    response = client.get(f"/agreements/{agreement.slug}/history/{token}/")
    history = client.get(f"/agreements/{agreement.slug}/history/")

    assert "Reviewed by reviewer on" in page_text(response)
    assert "“Title checked <b>twice</b>”" in page_text(response)
    assert "<b>twice</b>" not in response.content.decode()
    assert "Changed title compare revision 2 with the one before reviewed" in page_text(history)


def test_it_counts_a_save_reviewed_when_its_leading_revision_is():
    agreement = agreement_with_history()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)
    [save] = history.saves

    assert save.lead.revision_type == "agreement"
    assert len(save.records) == 3


# -- kept for good -----------------------------------------------------------------------------


def test_it_lets_no_one_change_or_delete_a_mark_in_the_admin(superuser_client, superuser):
    agreement = retitled_agreement()
    mark = ReviewMark.objects.create(
        change=agreement.history.first().history_change, reviewer=superuser
    )

    listing = superuser_client.get("/admin/partnerships/reviewmark/")
    change = superuser_client.get(f"/admin/partnerships/reviewmark/{mark.pk}/change/")
    delete = superuser_client.post(
        f"/admin/partnerships/reviewmark/{mark.pk}/delete/", {"post": "yes"}
    )
    add = superuser_client.get("/admin/partnerships/reviewmark/add/")

    assert listing.status_code == 200
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert delete.status_code == 403
    assert add.status_code == 403
    assert ReviewMark.objects.filter(pk=mark.pk).exists()


def test_it_keeps_a_reviewer_who_has_marks():
    reviewer = make_user(groups=["Reviewers"])
    change = retitled_agreement().history.first().history_change
    ReviewMark.objects.create(change=change, reviewer=reviewer)

    with pytest.raises(ProtectedError):
        reviewer.delete()


def test_it_allows_one_mark_per_save():
    reviewer = make_user()
    retitled, created = retitled_agreement().history.all()[:2]
    ReviewMark.objects.create(change=retitled.history_change, reviewer=reviewer)
    again = ReviewMark(change=retitled.history_change, reviewer=reviewer)

    with pytest.raises(ValidationError, match="already marked reviewed"):
        again.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()
    # Another save of the same entry is another change to review.
    ReviewMark.objects.create(change=created.history_change, reviewer=reviewer)


def test_it_marks_a_revision_of_a_renamed_entry_by_its_old_address(reviewer_client):
    agreement = retitled_agreement()
    token = agreement.history.first().history_id
    old = review_url(agreement, token)
    agreement.slug = "renamed-pact"
    saved(agreement, hours(2), "New address")

    response = reviewer_client.post(old)

    assert response.status_code == 302
    assert response["Location"] == f"/agreements/renamed-pact/history/{token}/"
    marked = Agreement.history.get(history_id=token).history_change
    assert ReviewMark.objects.filter(change=marked).exists()
