"""An editor works through the admin in a real browser."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from partnerships.models import Agreement

pytestmark = pytest.mark.django_db(transaction=True)

AGREEMENT = "morocco-israel-500-million-defence-agreement"


@pytest.fixture
def editor():
    # Transactional tests empty the database between tests, groups included;
    # rebuild them with the migration's own code.
    groups = importlib.import_module("partnerships.migrations.0002_editor_and_reviewer_groups")
    groups.create_groups(apps, None)
    call_command("load_fixtures", verbosity=0)
    user = User.objects.create_user("editor", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def log_in(page, live_server):
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def test_it_edits_an_agreement_with_a_summary_that_history_shows(page, live_server, editor):
    agreement = Agreement.objects.get(slug=AGREEMENT)
    log_in(page, live_server)

    page.goto(f"{live_server.url}/admin/partnerships/agreement/{agreement.pk}/change/")
    assert "reached in February" in page.content()
    page.fill("#id_summary", agreement.summary + " Checked against the report.")
    page.fill("#id_edit_summary", "Note that the summary was checked")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{live_server.url}/admin/partnerships/agreement/{agreement.pk}/history/")
    history = page.inner_text("#content")
    assert "Note that the summary was checked" in history
    assert "editor" in history

    page.goto(f"{live_server.url}/agreements/{AGREEMENT}/")
    text = page.inner_text("main")
    assert "February, year not stated" in text
    assert "2022" not in text
    assert "500,000,000 USD" in text
    assert "Checked against the report." in text


def test_it_refuses_a_summary_marker_that_points_nowhere(page, live_server, editor):
    agreement = Agreement.objects.get(slug=AGREEMENT)
    log_in(page, live_server)

    page.goto(f"{live_server.url}/admin/partnerships/agreement/{agreement.pk}/change/")
    page.fill("#id_summary", agreement.summary + " It was signed.[4]")
    page.fill("#id_edit_summary", "Footnote a claim")
    page.click("input[name=_save]")

    page.wait_for_selector(".errornote")
    assert "The summary's marker [4] points to no footnote" in page.inner_text("#content")
    agreement.refresh_from_db()
    assert "[4]" not in agreement.summary


def test_it_refuses_a_quote_that_is_not_in_the_source(page, live_server, editor):
    agreement = Agreement.objects.get(slug=AGREEMENT)
    log_in(page, live_server)

    page.goto(f"{live_server.url}/admin/partnerships/agreement/{agreement.pk}/change/")
    page.fill("#id_citations-0-quote", "Morocco and Israel signed a $900 million deal.")
    page.fill("#id_edit_summary", "Try a wrong quote")
    page.click("input[name=_save]")

    page.wait_for_selector(".errornote")
    assert "This quote does not occur in" in page.inner_text("#content")
    assert agreement.citations.filter(quote__contains="$900 million").count() == 0
