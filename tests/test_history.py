"""Every change made through the admin is one revision carrying its editor and
edit summary; nothing is lost, deletions included."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from partnerships.models import Agreement, AgreementParty, Exercise, Partner
from sources.models import Citation

from .conftest import (
    admin_form_data,
    count_queries,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
    page_text,
)

pytestmark = pytest.mark.django_db


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def delete_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/delete/"


def post_change(client, obj, overrides):
    url = change_url(obj)
    return client.post(url, admin_form_data(client.get(url), overrides))


# -- saving --------------------------------------------------------------------


def test_it_records_one_revision_with_the_editor_and_summary(editor_client, editor):
    partner = make_citation(make_partner(name="Spian")).partner
    before = partner.history.count()

    response = post_change(
        editor_client, partner, {"name": "Spain", "edit_summary": "Fix the spelling of Spain"}
    )

    assert response.status_code == 302
    assert partner.history.count() == before + 1
    revision = partner.history.first()
    assert revision.history_type == "~"
    assert revision.name == "Spain"
    assert revision.history_user == editor
    assert revision.history_change_reason == "Fix the spelling of Spain"
    # The untouched citation inline records nothing.
    assert Citation.history.filter(partner_id=partner.pk).count() == 1


def test_it_records_a_new_entry_with_the_editor_and_summary(editor_client, editor):
    source = make_source()
    url = "/admin/partnerships/partner/add/"
    data = admin_form_data(
        editor_client.get(url),
        {
            "name": "Mauritania",
            "slug": "mauritania",
            "kind": Partner.Kind.COUNTRY,
            "citations-0-source": source.pk,
            "citations-0-quote": "Morocco’s armed forces",
            "citations-0-note": "a neighbour",
            "edit_summary": "Add Mauritania",
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302
    partner = Partner.objects.get(slug="mauritania")
    revision = partner.history.get()
    assert revision.history_type == "+"
    assert (revision.history_user, revision.history_change_reason) == (editor, "Add Mauritania")


def test_it_records_no_revision_for_an_unchanged_form(editor_client):
    partner = make_citation().partner
    partner_revisions, citation_revisions = partner.history.count(), Citation.history.count()

    response = post_change(editor_client, partner, {"edit_summary": "Nothing, really"})

    assert response.status_code == 302
    assert partner.history.count() == partner_revisions
    assert Citation.history.count() == citation_revisions


def test_it_records_no_revision_for_a_save_that_changes_nothing():
    partner = Partner(name="Spain", slug="spain", kind=Partner.Kind.COUNTRY)
    partner.save()
    partner.save()
    Partner.objects.get(pk=partner.pk).save()

    assert partner.history.count() == 1
    assert partner.history.get().history_type == "+"


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_partner(
            kind="company", parent=make_partner(), aliases="IAI\nIsrael Aircraft"
        ),
        lambda: make_agreement(
            date=datetime.date(2022, 2, 1),
            date_precision="month",
            date_approximate=True,
            value_amount=Decimal("500000000"),
            value_currency="USD",
        ),
        lambda: make_exercise(
            domains=["land", "air"], start_date="2024-05-01", start_date_precision="month"
        ),
        lambda: make_procurement(quantity=3, value_amount=Decimal("1.5"), value_currency="EUR"),
        make_source,
        make_citation,
    ],
    ids=["partner", "agreement", "exercise", "procurement", "source", "citation"],
)
def test_it_records_no_revision_when_an_entry_is_saved_again_unchanged(make):
    entry = make()
    entry.save()
    type(entry).objects.get(pk=entry.pk).save()

    assert entry.history.count() == 1


def test_it_records_a_revision_for_a_save_that_changes_something():
    partner = make_partner(name="Spain")
    partner.summary = "A prominent partner."
    partner.save()
    partner.save()

    assert [r.history_type for r in partner.history.all()] == ["~", "+"]


@pytest.mark.parametrize("summary", [None, "", "   "])
def test_it_refuses_a_change_without_an_edit_summary(editor_client, summary):
    partner = make_citation(make_partner(name="Spian")).partner

    response = post_change(editor_client, partner, {"name": "Spain", "edit_summary": summary})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["edit_summary"] == [
        "Give an edit summary: say what you changed and why."
    ]
    assert "Please correct the error below." in response.content.decode()
    partner.refresh_from_db()
    assert partner.name == "Spian"
    assert partner.history.count() == 1


def test_it_offers_the_edit_summary_field_to_editors(editor_client):
    partner = make_citation().partner

    response = editor_client.get(change_url(partner))

    assert 'name="edit_summary"' in response.content.decode()
    assert "Say what you changed and why." in response.content.decode()


def test_it_records_a_party_added_inline_with_the_editor_and_summary(editor_client, editor):
    spain, italy = make_partner(name="Spain"), make_partner(name="Italy")
    agreement = make_agreement(parties=[spain])
    make_citation(agreement)
    page = editor_client.get(change_url(agreement))
    data = admin_form_data(
        page,
        {
            "party_links-TOTAL_FORMS": 2,
            "party_links-1-partner": italy.pk,
            "party_links-1-agreement": agreement.pk,
            "edit_summary": "Italy is a party too",
        },
    )

    response = editor_client.post(change_url(agreement), data)

    assert response.status_code == 302
    assert set(agreement.parties.all()) == {spain, italy}
    revision = AgreementParty.history.get(partner_id=italy.pk)
    assert revision.history_type == "+"
    assert revision.agreement_id == agreement.pk
    assert revision.history_user == editor
    assert revision.history_change_reason == "Italy is a party too"
    # The agreement itself did not change, so it has no new revision.
    assert agreement.history.count() == 1


def test_it_records_an_inline_citation_change_with_the_editor_and_summary(editor_client, editor):
    citation = make_citation(make_procurement())

    response = post_change(
        editor_client,
        citation.procurement,
        {"citations-0-note": "its supplier", "edit_summary": "Say what the quote backs"},
    )

    assert response.status_code == 302
    revision = citation.history.first()
    assert (revision.history_type, revision.note) == ("~", "its supplier")
    assert revision.history_user == editor
    assert revision.history_change_reason == "Say what the quote backs"


# -- deleting ------------------------------------------------------------------


def agreement_with_party_and_citations():
    agreement = make_agreement(parties=[make_partner(name="Israel")])
    source = make_source()
    make_citation(agreement, source=source)
    make_citation(agreement, source=source, note="the date")
    return agreement


def test_it_refuses_a_deletion_without_an_edit_summary(editor_client):
    agreement = agreement_with_party_and_citations()

    response = editor_client.post(delete_url(agreement), {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == delete_url(agreement)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Give an edit summary: say why this is being deleted."
    ]
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    assert agreement.citations.count() == 2
    assert not Agreement.history.filter(history_type="-").exists()


def test_it_refuses_a_deletion_with_a_blank_edit_summary(editor_client):
    agreement = agreement_with_party_and_citations()

    response = editor_client.post(
        delete_url(agreement), {"post": "yes", "edit_summary": "  "}, follow=True
    )

    assert "Give an edit summary: say why this is being deleted." in response.content.decode()
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_it_asks_for_an_edit_summary_on_the_delete_page(editor_client):
    agreement = agreement_with_party_and_citations()

    response = editor_client.get(delete_url(agreement))

    content = response.content.decode()
    assert 'name="edit_summary"' in content
    assert "The entry's history is kept" in content


def test_it_deletes_with_an_edit_summary_and_keeps_the_history(editor_client, editor):
    agreement = agreement_with_party_and_citations()
    pk = agreement.pk
    citation_ids = set(agreement.citations.values_list("pk", flat=True))

    response = editor_client.post(
        delete_url(agreement), {"post": "yes", "edit_summary": "Duplicate of another entry"}
    )

    assert response.status_code == 302
    assert not Agreement.objects.filter(pk=pk).exists()
    assert [r.history_type for r in Agreement.history.filter(id=pk)] == ["-", "+"]
    deletion = Agreement.history.filter(id=pk).first()
    assert deletion.history_user == editor
    assert deletion.history_change_reason == "Duplicate of another entry"
    assert deletion.title == agreement.title
    # The cascaded citations and party rows are recorded as deleted too.
    cascaded = [
        *Citation.history.filter(agreement_id=pk, history_type="-"),
        *AgreementParty.history.filter(agreement_id=pk, history_type="-"),
    ]
    assert {r.id for r in cascaded if r._meta.model_name == "historicalcitation"} == (citation_ids)
    assert len(cascaded) == 3
    assert {(r.history_user, r.history_change_reason) for r in cascaded} == {
        (editor, "Duplicate of another entry")
    }


def test_it_refuses_to_delete_a_partner_an_agreement_still_names(editor_client):
    partner = make_citation(make_partner(name="Israel")).partner
    make_agreement(parties=[partner])

    response = editor_client.post(delete_url(partner), {"post": "yes", "edit_summary": "Gone"})

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert not Partner.history.filter(history_type="-").exists()


def test_it_lets_reviewers_read_the_history_of_a_deleted_entry(editor_client, client, reviewer):
    agreement = agreement_with_party_and_citations()
    editor_client.post(delete_url(agreement), {"post": "yes", "edit_summary": "Not an agreement"})
    client.force_login(reviewer)

    response = client.get(f"/admin/partnerships/agreement/{agreement.pk}/history/")

    assert response.status_code == 200
    assert "Not an agreement" in response.content.decode()


def test_it_keeps_a_procurements_history_true_when_its_agreement_is_deleted(editor_client):
    agreement = agreement_with_party_and_citations()
    procurement = make_procurement(agreement=agreement)

    editor_client.post(delete_url(agreement), {"post": "yes", "edit_summary": "Not real"})

    # Whether the deletion is refused or clears the link, the procurement's
    # latest revision must say what the procurement now says.
    procurement.refresh_from_db()
    assert procurement.history.first().agreement_id == procurement.agreement_id


# -- bulk deletion ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/partnerships/partner/",
        "/admin/partnerships/agreement/",
        "/admin/partnerships/agreementparty/",
        "/admin/partnerships/exercise/",
        "/admin/partnerships/exerciseparticipant/",
        "/admin/partnerships/procurement/",
        "/admin/sources/source/",
        "/admin/sources/citation/",
    ],
)
def test_it_offers_no_bulk_deletion(editor_client, url):
    make_citation(make_exercise())

    response = editor_client.get(url)

    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()
    action_form = response.context["action_form"]
    if action_form is not None:
        assert "delete_selected" not in dict(action_form.fields["action"].choices)


def test_it_refuses_a_bulk_deletion_posted_anyway(editor_client):
    partner = make_citation().partner

    response = editor_client.post(
        "/admin/partnerships/partner/",
        {"action": "delete_selected", "_selected_action": [partner.pk], "post": "yes"},
    )

    # The changelist is shown again; nothing is deleted.
    assert response.status_code == 200
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert not Partner.history.filter(history_type="-").exists()


def test_it_keeps_bulk_deletion_off_even_for_superusers(superuser_client):
    make_citation(make_exercise())

    response = superuser_client.get("/admin/partnerships/exercise/")

    assert "delete_selected" not in response.content.decode()
    assert Exercise.objects.count() == 1


def test_it_records_a_citation_removed_inline_and_lists_it_in_the_history(editor_client, editor):
    agreement = agreement_with_party_and_citations()
    first, second = agreement.citations.all()

    response = post_change(
        editor_client,
        agreement,
        {"citations-1-DELETE": True, "edit_summary": "The second quote says nothing new"},
    )

    assert response.status_code == 302
    assert list(agreement.citations.all()) == [first]
    removal = Citation.history.get(id=second.pk, history_type="-")
    assert removal.history_user == editor
    assert removal.history_change_reason == "The second quote says nothing new"
    history = editor_client.get(f"/admin/partnerships/agreement/{agreement.pk}/history/")
    content = history.content.decode()
    assert "Citations: added, changed and removed" in content
    assert "The second quote says nothing new" in content


def test_it_names_deleted_parties_from_their_history(editor_client):
    agreement = make_agreement()
    partner = make_partner(name="Atlantis")
    party = AgreementParty.objects.create(agreement=agreement, partner=partner)
    party.delete()
    partner.delete()

    response = editor_client.get(f"/admin/partnerships/agreement/{agreement.pk}/history/")

    assert "Atlantis (deleted)" in response.content.decode()


def test_it_shows_an_entry_history_in_the_same_queries_for_1_or_50_related_revisions(
    editor_client, django_assert_num_queries
):
    small, large = make_agreement(), make_agreement()
    make_citation(small)
    AgreementParty.objects.create(agreement=small, partner=make_partner())
    for _ in range(50):
        make_citation(large)
        AgreementParty.objects.create(agreement=large, partner=make_partner())
    expected = count_queries(editor_client, f"/admin/partnerships/agreement/{small.pk}/history/")

    with django_assert_num_queries(expected):
        editor_client.get(f"/admin/partnerships/agreement/{large.pk}/history/")


def test_it_names_the_fixture_loader_in_the_admin_history(superuser_client):
    partner = make_citation(make_partner(name="Spain")).partner

    response = superuser_client.get(f"/admin/partnerships/partner/{partner.pk}/history/")

    text = page_text(response)
    assert "the fixture loader" in text
    assert "None" not in text


def test_the_shared_history_manager_reads_every_entry_and_is_made_once():
    from partnerships.history.names import history_of

    first, second = make_partner(name="Aland"), make_partner(name="Borland")
    # An entry's own manager, bound to it, leaves the shared one unbound.
    assert list(first.history.values_list("id", flat=True).distinct()) == [first.pk]

    manager = history_of(Partner)
    assert manager is history_of(Partner)
    assert manager.instance is None
    assert set(manager.values_list("id", flat=True)) >= {first.pk, second.pk}
