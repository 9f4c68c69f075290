"""Who may do what in the admin: editors curate, reviewers read, the public reads
the site only."""

import pytest
from django.contrib.auth.models import Group

from partnerships.history.names import day
from partnerships.models import Partner

from .conftest import admin_form_data, make_citation, make_partner, make_user

pytestmark = pytest.mark.django_db

CONTENT = [
    "partnerships.partner",
    "partnerships.agreement",
    "partnerships.agreementparty",
    "partnerships.exercise",
    "partnerships.exerciseparticipant",
    "partnerships.procurement",
    "sources.source",
    "sources.citation",
]


def partner_with_citation(**overrides):
    return make_citation(make_partner(**overrides)).partner


def test_it_creates_the_editor_and_reviewer_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Reviewers"}


def test_it_gives_editors_every_right_on_content_and_none_on_users():
    editor = make_user(groups=["Editors"])

    for label in CONTENT:
        app, model = label.split(".")
        for action in ("add", "change", "delete", "view"):
            assert editor.has_perm(f"{app}.{action}_{model}"), f"{action} {label}"
        assert editor.has_perm(f"{app}.view_historical{model}")
        assert editor.has_perm(f"{app}.change_historical{model}")
    for perm in ("auth.view_user", "auth.change_user", "auth.add_user", "auth.view_group"):
        assert not editor.has_perm(perm)


def test_it_gives_reviewers_view_rights_only():
    reviewer = make_user(groups=["Reviewers"])

    for label in CONTENT:
        app, model = label.split(".")
        assert reviewer.has_perm(f"{app}.view_{model}")
        assert reviewer.has_perm(f"{app}.view_historical{model}")
        for action in ("add", "change", "delete"):
            assert not reviewer.has_perm(f"{app}.{action}_{model}"), f"{action} {label}"
        assert not reviewer.has_perm(f"{app}.change_historical{model}")


# -- editors ---------------------------------------------------------------------


def test_it_lets_an_editor_open_and_change_an_entry(editor_client, editor):
    partner = partner_with_citation(name="Spian")
    url = f"/admin/partnerships/partner/{partner.pk}/change/"

    page = editor_client.get(url)
    assert page.status_code == 200
    assert 'value="Spian"' in page.content.decode()
    response = editor_client.post(
        url, admin_form_data(page, {"name": "Spain", "edit_summary": "Fix the spelling"})
    )

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Spain"
    assert partner.history.first().history_user == editor


def test_it_lets_an_editor_add_an_entry(editor_client):
    response = editor_client.get("/admin/partnerships/partner/add/")

    assert response.status_code == 200
    assert 'name="edit_summary"' in response.content.decode()


def test_it_refuses_an_editor_the_user_accounts(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    assert editor_client.get("/admin/auth/user/add/").status_code == 403


def test_it_hides_user_accounts_from_the_editor_admin_index(editor_client):
    response = editor_client.get("/admin/")

    content = response.content.decode()
    assert "/admin/partnerships/partner/" in content
    assert "/admin/auth/user/" not in content


# -- reviewers -------------------------------------------------------------------


def test_it_lets_a_reviewer_view_an_entry_without_a_save_button(reviewer_client):
    partner = partner_with_citation(name="Spain")

    response = reviewer_client.get(f"/admin/partnerships/partner/{partner.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Spain" in content
    assert 'name="_save"' not in content
    assert 'name="edit_summary"' not in content


def test_it_lets_a_reviewer_read_the_history(reviewer_client, editor_client):
    partner = partner_with_citation(name="Spian")
    url = f"/admin/partnerships/partner/{partner.pk}/change/"
    editor_client.post(
        url,
        admin_form_data(
            editor_client.get(url), {"name": "Spain", "edit_summary": "Fix the spelling"}
        ),
    )

    response = reviewer_client.get(f"/admin/partnerships/partner/{partner.pk}/history/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Fix the spelling" in content
    assert "editor" in content


def test_it_refuses_a_reviewers_change(reviewer_client):
    partner = partner_with_citation(name="Spain")
    url = f"/admin/partnerships/partner/{partner.pk}/change/"

    response = reviewer_client.post(
        url,
        {
            "name": "Espagne",
            "slug": partner.slug,
            "kind": partner.kind,
            "edit_summary": "Rename",
            "citations-TOTAL_FORMS": 0,
            "citations-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.name == "Spain"
    assert partner.history.count() == 1
    assert partner.history.count() == 1


def test_it_refuses_a_reviewer_adding_or_deleting(reviewer_client):
    partner = partner_with_citation()
    delete_url = f"/admin/partnerships/partner/{partner.pk}/delete/"

    assert reviewer_client.get("/admin/partnerships/partner/add/").status_code == 403
    assert reviewer_client.get(delete_url).status_code == 403
    response = reviewer_client.post(delete_url, {"post": "yes", "edit_summary": "Gone"})

    assert response.status_code == 403
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_it_refuses_a_reviewer_reverting_to_a_revision(reviewer_client):
    partner = partner_with_citation(name="Spain")
    revision = partner.history.get()

    response = reviewer_client.post(
        f"/admin/partnerships/partner/{partner.pk}/history/{revision.history_id}/",
        {"name": "Espagne", "slug": partner.slug, "kind": partner.kind, "edit_summary": "x"},
    )

    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.name == "Spain"
    assert partner.history.count() == 1


def test_it_lets_an_editor_revert_to_a_revision_with_a_summary(editor_client, editor):
    partner = partner_with_citation(name="Spain")
    first = partner.history.get()
    partner.name = "Espagne"
    partner.save()
    url = f"/admin/partnerships/partner/{partner.pk}/history/{first.history_id}/"

    response = editor_client.post(
        url, admin_form_data(editor_client.get(url), {"edit_summary": "Revert the rename"})
    )

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Spain"
    latest = partner.history.first()
    assert latest.history_user == editor
    # The revert's own revision names the revision it returned to.
    assert latest.history_change_reason == (
        f"Reverted to revision #{first.history_id} of {day(first.history_date)} "
        "by an unknown user: Revert the rename"
    )


# -- everyone else ---------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/admin/partnerships/partner/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_refuses_the_admin_to_a_user_who_is_not_staff(client):
    client.force_login(make_user(groups=["Editors"], is_staff=False))

    response = client.get("/admin/partnerships/partner/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
