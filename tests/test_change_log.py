"""The change log: one row per save, whatever the save wrote, with every revision
carrying its save's id; quick saves with the same summary stay apart; the
migration that built the log from the old rule."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import resolve
from django.utils import timezone

from partnerships.history.models import Change
from partnerships.history.registry import entry_types
from partnerships.models import (
    Agreement,
)

from .conftest import (
    QUOTE,
    admin_form_data,
    admin_url,
    make_agreement,
    make_citation,
    make_partner,
    make_source,
    page_text,
)

pytestmark = pytest.mark.django_db

# Every revisioned model: each entry type's and its relations' (citations once).
HISTORIES = list(
    dict.fromkeys(
        model
        for entry_type in entry_types
        for model in (entry_type.model, *(relation.model for relation in entry_type.relations))
    )
)


def post_change(client, obj, overrides):
    url = admin_url(obj)
    response = client.post(url, admin_form_data(client.get(url), overrides))
    assert response.status_code == 302, response.context and response.context.get("errors")
    return response


def saves_of(entry):
    entry_type = entry_types.for_model(type(entry))
    return list(Change.objects.of_entry(entry_type, entry.pk).order_by("date", "id"))


def written(change):
    """(history table, +/~/-) of each revision a save wrote, in order."""
    return [(revision_type, action) for revision_type, _, action in change.revisions]


def assert_every_revision_carries_its_save():
    """Each history row names a save, and each save lists exactly the rows that name it."""
    listed = {
        (revision_type, history_id): change.pk
        for change in Change.objects.all()
        for revision_type, history_id, _ in change.revisions
    }
    carried = {
        (model._meta.model_name, history_id): change_id
        for model in HISTORIES
        for history_id, change_id in model.history.values_list("history_id", "history_change_id")
    }
    assert None not in carried.values()
    assert carried == listed


def add_agreement(client, **overrides):
    url = "/admin/partnerships/agreement/add/"
    data = admin_form_data(
        client.get(url),
        {
            "title": "Madrid pact",
            "slug": "madrid-pact",
            "kind": "treaty",
            "status": "signed",
            "edit_summary": "Add the Madrid pact",
            **overrides,
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    return Agreement.objects.get(slug="madrid-pact")


# -- one row per save ---------------------------------------------------------------------


def test_it_writes_one_row_for_an_agreement_saved_with_two_parties_and_a_citation(
    editor_client, editor
):
    spain, italy, source = make_partner(name="Spain"), make_partner(name="Italy"), make_source()

    agreement = add_agreement(
        editor_client,
        **{
            "party_links-TOTAL_FORMS": 2,
            "party_links-0-partner": spain.pk,
            "party_links-1-partner": italy.pk,
            "citations-0-source": source.pk,
            "citations-0-quote": QUOTE,
            "citations-0-note": "the pact",
        },
    )

    [change] = saves_of(agreement)
    assert (change.kind, change.user, change.summary) == ("created", editor, "Add the Madrid pact")
    assert (change.entry_label, change.entry_slug) == ("Madrid pact", "madrid-pact")
    assert written(change) == [
        ("agreement", "+"),
        ("agreementparty", "+"),
        ("agreementparty", "+"),
        ("citation", "+"),
    ]
    assert_every_revision_carries_its_save()


@pytest.mark.parametrize("second", ["the entry's fields", "a citation only", "a party only"])
def test_it_keeps_two_quick_saves_with_the_same_summary_apart(
    editor_client, client, second, monkeypatch
):
    spain, italy, source = make_partner(name="Spain"), make_partner(name="Italy"), make_source()
    agreement = add_agreement(
        editor_client,
        **{
            "party_links-0-partner": spain.pk,
            "citations-0-source": source.pk,
            "citations-0-quote": QUOTE,
            "citations-0-note": "the pact",
        },
    )
    # The two saves at one instant: as quick as saves can be, on any machine however busy
    # (timing them instead failed when a save took more than a second).
    instant = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: instant)
    post_change(editor_client, agreement, {"summary": "Signed.", "edit_summary": "Fix it"})
    overrides = {
        "the entry's fields": {"summary": "Signed in Madrid."},
        "a citation only": {"citations-0-note": "the Madrid pact"},
        "a party only": {"party_links-0-partner": italy.pk},
    }[second]

    post_change(editor_client, agreement, {**overrides, "edit_summary": "Fix it"})

    monkeypatch.undo()
    _, first, again = saves_of(agreement)
    assert (first.summary, again.summary) == ("Fix it", "Fix it")
    assert first.user == again.user
    recent = page_text(client.get("/changes/", {"type": "agreement"}))
    assert "3 changes" in recent
    assert recent.count("Fix it") == 2
    history = page_text(client.get(f"/agreements/{agreement.slug}/history/"))
    assert "3 revisions" in history
    assert history.count("Fix it") == 2
    assert_every_revision_carries_its_save()


def test_it_writes_one_row_for_a_deletion_with_its_cascade(editor_client):
    agreement = make_agreement(parties=[make_partner()])
    make_citation(agreement)
    make_citation(agreement)

    editor_client.post(admin_url(agreement, "delete"), {"post": "yes", "edit_summary": "Gone"})

    change = saves_of(agreement)[-1]
    assert (change.kind, change.summary, change.entry_label) == ("deleted", "Gone", str(agreement))
    assert sorted(written(change)) == [
        ("agreement", "-"),
        ("agreementparty", "-"),
        ("citation", "-"),
        ("citation", "-"),
    ]
    assert_every_revision_carries_its_save()


def test_it_writes_one_row_for_a_revert_and_one_for_a_restore(editor_client):
    spain, italy, source = make_partner(name="Spain"), make_partner(name="Italy"), make_source()
    agreement = add_agreement(
        editor_client,
        **{
            "party_links-0-partner": spain.pk,
            "citations-0-source": source.pk,
            "citations-0-quote": QUOTE,
            "citations-0-note": "the pact",
        },
    )
    first = agreement.history.get()
    post_change(
        editor_client,
        agreement,
        {"title": "Big pact", "party_links-0-partner": italy.pk, "edit_summary": "Rework"},
    )
    url = f"{admin_url(agreement, 'history')}{first.history_id}/"
    editor_client.post(url, admin_form_data(editor_client.get(url), {"edit_summary": "Undo"}))
    editor_client.post(admin_url(agreement, "delete"), {"post": "yes", "edit_summary": "Gone"})

    editor_client.post(admin_url(agreement, "restore"), {"edit_summary": "Back"})

    kinds = [change.kind for change in saves_of(agreement)]
    assert kinds == ["created", "changed", "reverted", "deleted", "restored"]
    reverted, restored = saves_of(agreement)[2], saves_of(agreement)[4]
    assert reverted.summary.startswith(f"Reverted to revision #{first.history_id} ")
    # The entry as it was, then its party row back from Italy to Spain.
    assert written(reverted) == [("agreement", "~"), ("agreementparty", "~")]
    assert sorted(written(restored)) == [
        ("agreement", "+"),
        ("agreementparty", "+"),
        ("citation", "+"),
    ]
    assert_every_revision_carries_its_save()


def test_it_writes_one_row_per_entry_loaded_from_the_fixtures():
    call_command("load_fixtures", stdout=StringIO())

    agreement = Agreement.objects.get(slug="morocco-israel-500-million-defence-agreement")
    [change] = saves_of(agreement)
    assert change.user is None and change.summary == "Loaded from fixtures/entries.toml"
    assert {revision_type for revision_type, _ in written(change)} == {
        "agreement",
        "agreementparty",
        "citation",
    }
    for entry_type in entry_types:
        assert Change.objects.filter(entry_type=entry_type.name).count() == (
            entry_type.model.objects.count()
        ), entry_type.name
    assert_every_revision_carries_its_save()
    before = Change.objects.count()
    call_command("load_fixtures", stdout=StringIO())
    assert Change.objects.count() == before


def test_it_counts_a_revision_written_by_a_script_as_a_save_of_its_own():
    partner = make_partner(name="Spain")
    citation = make_citation(partner, note="a neighbour")

    saves = saves_of(partner)

    assert [change.kind for change in saves] == ["created", "changed"]
    assert saves[1].action == "citation added"
    assert saves[1].detail == "existence of the entry — “a neighbour”"
    assert saves[1].token == f"citation-{citation.history.get().history_id}"
    assert_every_revision_carries_its_save()


def test_it_names_the_entry_as_it_was_called_at_each_save(editor_client):
    partner = make_citation(make_partner(name="Spian")).partner

    post_change(editor_client, partner, {"name": "Spain", "edit_summary": "Spelling"})
    make_citation(partner)

    labels = [change.entry_label for change in saves_of(partner)]
    assert labels == ["Spian", "Spian", "Spain", "Spain"]


def test_it_writes_nothing_for_a_form_saved_unchanged(editor_client):
    partner = make_citation(make_partner()).partner
    before = Change.objects.count()

    post_change(editor_client, partner, {"edit_summary": "Nothing, really"})

    assert Change.objects.count() == before


# -- the migration that built the log ---------------------------------------------------

BEFORE = [("partnerships", "0005_reviewers_mark_revisions"), ("sources", "0003_history_indexes")]
AFTER = [("partnerships", "0008_change_log_required"), ("sources", "0005_history_change_required")]


@pytest.fixture
def migrated_back():
    """The database migrated as the test asks, and to the latest state after it: the
    transactional tests that follow (pytest-django runs them last) need every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_it_built_the_log_from_the_old_rule_once(migrated_back):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    omar = User.objects.create(username="omar")
    start = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC)

    def at(seconds):
        return start + datetime.timedelta(seconds=seconds)

    def record(model, when, reason, user=None, action="+", **values):
        history = apps.get_model(*model.split("."))
        return history.objects.create(
            history_date=when,
            history_type=action,
            history_change_reason=reason,
            history_user=user,
            **values,
        )

    pact = {"id": 1, "title": "Pact", "slug": "pact", "kind": "treaty", "status": "signed"}
    pact |= {"summary": "", "date_precision": "", "start_date_precision": ""}
    pact |= {"end_date_precision": "", "value_currency": ""}
    for flag in ("date", "start_date", "end_date"):
        pact[f"{flag}_approximate"] = False
    created = record("partnerships.HistoricalAgreement", at(0), "Create", omar, **pact)
    # Its party, a second later: the same save by the old rule.
    party = record(
        "partnerships.HistoricalAgreementParty",
        at(1),
        "Create",
        omar,
        id=1,
        agreement_id=1,
        partner_id=7,
    )
    # Two citations saved alone, two seconds apart: one loose save.
    # Records as the migration under test found them: with "supports", since renamed "note".
    cite = {"source_id": 1, "quote": "q", "stance": "supports", "agreement_id": 1}
    first = record("sources.HistoricalCitation", at(60), "Cite", omar, id=1, supports="a", **cite)
    second = record("sources.HistoricalCitation", at(62), "Cite", omar, id=2, supports="b", **cite)
    # The same summary a minute later: another save.
    retitled = record(
        "partnerships.HistoricalAgreement", at(120), "Cite", omar, action="~", **pact
    )
    ReviewMark = apps.get_model("partnerships", "ReviewMark")
    ReviewMark.objects.create(revision_type="agreementparty", history_id=party.pk, reviewer=omar)
    ReviewMark.objects.create(revision_type="agreement", history_id=created.pk, reviewer=omar)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Change = apps.get_model("partnerships", "Change")

    saves = list(Change.objects.order_by("date", "id"))
    assert [(c.kind, c.summary, c.entry_label) for c in saves] == [
        ("created", "Create", "Pact"),
        ("changed", "Cite", "Pact"),
        ("changed", "Cite", "Pact"),
    ]
    assert saves[0].revisions == [
        ["agreement", created.pk, "+"],
        ["agreementparty", party.pk, "+"],
    ]
    assert saves[1].revisions == [["citation", first.pk, "+"], ["citation", second.pk, "+"]]
    assert saves[2].revisions == [["agreement", retitled.pk, "~"]]
    history = apps.get_model("sources", "HistoricalCitation")
    assert set(history.objects.values_list("history_change_id", flat=True)) == {saves[1].pk}
    # Two marks on revisions of one save: the save keeps one mark.
    marks = apps.get_model("partnerships", "ReviewMark").objects.all()
    assert [mark.change_id for mark in marks] == [saves[0].pk]


def test_it_links_each_save_to_the_pages_that_show_it():
    partner = make_partner(name="Spain")
    make_citation(partner)
    created, cited = saves_of(partner)

    for change in (created, cited):
        for url, view in [
            (change.history_url, "entry-history"),
            (change.revision_url, "entry-revision"),
            (change.compare_url.partition("?")[0], "entry-compare"),
            (change.review_url, "entry-review"),
            (change.entry_url, "partner-detail"),
        ]:
            assert resolve(url).url_name == view, url
    assert cited.revision_url.endswith(f"/history/{cited.token}/")
    assert cited.compare_url.endswith(f"?to={cited.token}")
