"""An entry's public history: every save newest first, each readable as the entry
then stood, any two compared word by word; deleted entries keep theirs; bad
input gets a message, never a 500; queries do not grow with revisions."""

import datetime
import re
import statistics
import time
from decimal import Decimal

import pytest

from partnerships.dates import DatePrecision
from partnerships.history.entry import EntryHistory
from partnerships.history.registry import entry_types
from partnerships.models import (
    Agreement,
    AgreementParty,
    Exercise,
    ExerciseParticipant,
    Partner,
)
from sources.models import Citation, Source

from .conftest import (
    QUOTE,
    admin_form_data,
    count_queries,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
    make_user,
    page_text,
)
from .history_factories import (
    agreement_with_history,
    backdated,
    bulk_revisions,
    deleted,
    history_records,
    hours,
    new,
    one_save,
    saved,
)

pytestmark = pytest.mark.django_db


def history_url(entry, path="agreements"):
    return f"/{path}/{entry.slug}/history/"


def edited_agreement():
    """A pact created, retitled, cited again on its own, then stripped of its party."""
    jane = make_user("jane", first_name="Jane", last_name="Doe")
    omar = make_user("omar")
    agreement = agreement_with_history(user=jane)
    agreement.title = "Defence cooperation pact"
    agreement.status = Agreement.Status.SIGNED
    saved(agreement, hours(1), "Use the treaty's own title", omar)
    new(
        Citation,
        hours(2),
        "Cite the signing",
        omar,
        agreement=agreement,
        source=Source.objects.get(title="Le Desk"),
        quote=QUOTE,
        note="its signing",
    )
    deleted(
        AgreementParty.objects.get(agreement=agreement), hours(3), "Spain is not a party", jane
    )
    return agreement


# -- the history page -------------------------------------------------------------------


def test_it_lists_every_save_newest_first_with_editor_summary_and_what_changed(client):
    agreement = edited_agreement()

    response = client.get(history_url(agreement))

    assert response.status_code == 200
    text = page_text(response)
    assert "History of Defence cooperation pact" in text
    assert "4 revisions" in text
    rows = [
        "Revision 4, 3 March 2026, 12:00 Jane Doe Spain is not a party Removed 1 party",
        "Revision 3, 3 March 2026, 11:00 omar Cite the signing Added 1 citation",
        "Revision 2, 3 March 2026, 10:00 omar Use the treaty's own title Changed title and status",
        "Revision 1, 3 March 2026, 09:00 Jane Doe Create the pact Created; added 1 party; added 1 citation",
    ]
    positions = [text.index(row) for row in rows]
    assert positions == sorted(positions)


def test_it_links_each_revision_and_compares_it_with_the_one_before(client):
    agreement = edited_agreement()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)
    citation_save = history.saves[2]

    content = client.get(history_url(agreement)).content.decode()

    assert citation_save.token.startswith("citation-")
    base = history_url(agreement)
    assert f'href="{base}{citation_save.token}/"' in content
    assert f'href="{base}compare/?to={citation_save.token}"' in content
    # The radio buttons choose the newest two by default, and work without JavaScript.
    assert f'<form method="get" action="{base}compare/"' in content
    assert (
        f'name="to" value="{history.saves[3].token}" id="to-{history.saves[3].token}" checked'
        in content
    )
    assert (
        f'name="from" value="{citation_save.token}" id="from-{citation_save.token}" checked'
        in content
    )


def test_it_names_the_fixture_loader_for_revisions_without_an_editor(client):
    agreement = agreement_with_history()

    text = page_text(client.get(history_url(agreement)))

    assert "the fixture loader Create the pact" in text


def test_it_shows_the_history_of_each_type_of_entry(client):
    partner = make_citation(make_partner()).partner
    exercise = make_exercise(participants=[make_partner()])
    procurement = make_procurement()
    source = make_source()

    for entry, path in [
        (partner, "partners"),
        (make_citation(make_agreement()).agreement, "agreements"),
        (exercise, "exercises"),
        (procurement, "equipment"),
        (source, "sources"),
    ]:
        response = client.get(f"/{path}/{entry.slug}/history/")
        assert response.status_code == 200, path
        assert f"History of {entry}" in page_text(response)


def test_it_paginates_fifty_revisions_a_page(client):
    agreement = agreement_with_history()
    bulk_revisions(agreement, 60)

    first = client.get(history_url(agreement))
    second = client.get(history_url(agreement) + "?page=2")

    assert "61 revisions, page 1 of 2" in page_text(first)
    assert first.content.decode().count('name="to"') == 50
    assert second.content.decode().count('name="to"') == 11
    assert "Revision 1," in page_text(second)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "3", "1.5", "9" * 40, "\x00"])
def test_it_answers_a_bad_page_number_with_a_message(client, page):
    agreement = agreement_with_history()

    response = client.get(history_url(agreement), {"page": page})

    assert response.status_code == 400
    assert "page" in page_text(response).lower()


# -- on a phone: rows that stack as labelled cards --------------------------------------


def test_each_cell_of_a_revision_row_is_labelled_with_its_column(client):
    agreement = edited_agreement()

    content = client.get(history_url(agreement)).content.decode()

    assert '<table class="list cards history">' in content
    heads = re.findall(r'<th scope="col">([^<]*)</th>', content)
    assert heads == ["From", "To", "Saved", "Editor", "Edit summary", "What changed", "Review"]
    first_row = content[
        content.index("<tbody>") : content.index("</tr>", content.index("<tbody>"))
    ]
    # "Saved" heads the row; each other cell names its column, the first of the two
    # radio buttons for both (a phone shows "Compare: from" before the pair).
    assert re.findall(r'<td data-label="([^"]*)"', first_row) == [
        "Compare: from",
        *(label for label in heads if label not in {"Saved", "From"}),
    ]
    assert content.count("<td data-label=") == 4 * 6


def test_each_cell_of_a_recent_change_is_labelled_with_its_column(client):
    edited_agreement()

    content = client.get("/changes/").content.decode()

    assert '<table class="list cards changes-list">' in content
    heads = re.findall(r'<th scope="col">([^<]*)</th>', content)
    assert heads == ["Saved", "Entry", "Change", "Editor", "Edit summary", "Review"]
    labels = re.findall(r'<td data-label="([^"]*)"', content)
    assert labels[:5] == ["Saved", "Change", "Editor", "Edit summary", "Review"]
    assert len(labels) == 5 * content.count('<th scope="row">')
    # Recent changes fold their filters on a phone as the lists do.
    assert '<label for="filters-shown" class="fold-control">Filters</label>' in content


def test_a_history_isolates_names_and_says_what_it_holds(client):
    agreement = agreement_with_history(title="اتفاق دفاعي", slug="pact")

    content = client.get(history_url(agreement)).content.decode()

    assert "<h1>History of <bdi>اتفاق دفاعي</bdi></h1>" in content
    assert (
        '<meta name="description" content="History of the agreement “اتفاق دفاعي”: 1 revision,'
    ) in content


# -- one revision as the entry then stood ---------------------------------------------


def test_it_shows_a_revision_as_the_entry_then_stood(client):
    agreement = edited_agreement()
    agreement.date = datetime.date(2022, 2, 1)
    agreement.date_precision = DatePrecision.MONTH
    agreement.value_amount, agreement.value_currency = Decimal("500000000"), "USD"
    saved(agreement, hours(4), "Date and value")
    first = history_records(Agreement, agreement.pk).first()

    old = client.get(f"{history_url(agreement)}{first.history_id}/")
    latest = client.get(f"{history_url(agreement)}{agreement.history.first().history_id}/")

    assert old.status_code == 200
    text = page_text(old)
    assert "Defence pact as it stood on 3 March 2026, 09:00" in text
    assert "Revision 1 of 5, saved on 3 March 2026, 09:00 by Jane Doe: “Create the pact”." in text
    assert "Title Defence pact" in text
    assert "Status Reported" in text
    assert "Parties Spain" in text
    assert f"{QUOTE} — Le Desk. States: existence of the entry. The pact." in text
    assert "its signing" not in text
    assert "see the current version" in text
    latest_text = page_text(latest)
    assert "Date February 2022" in latest_text
    assert "1 February 2022" not in latest_text
    assert "Value 500,000,000" in latest_text
    assert "Parties none" in latest_text
    assert "States: existence of the entry. Its signing." in latest_text


def test_it_shows_a_save_of_relation_rows_alone_by_their_revision(client):
    agreement = edited_agreement()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)
    citation_save = history.saves[2]

    response = client.get(f"{history_url(agreement)}{citation_save.token}/")

    text = page_text(response)
    assert response.status_code == 200
    assert "Revision 3 of 4" in text
    assert "by omar: “Cite the signing”. Added 1 citation." in text
    assert "The pact." in text and "Its signing." in text


def test_it_tells_what_each_save_changed_from_the_compared_columns_alone():
    agreement = edited_agreement()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)
    ids = history.entry_ids_for(history.saves)

    compared, full = history.load_compared(ids), history.load_entries(ids)

    assert set(compared) == set(full) == ids
    assert not any(isinstance(row, Agreement.history.model) for row in compared.values())
    assert [history.what_changed(save, compared) for save in history.saves] == [
        history.what_changed(save, full) for save in history.saves
    ]
    assert any("Changed" in history.what_changed(save, compared) for save in history.saves)


# -- comparing two revisions ------------------------------------------------------------


def test_it_compares_two_revisions_field_by_field_and_word_by_word(client):
    agreement = agreement_with_history()
    history = list(history_records(Agreement, agreement.pk))
    agreement.summary = "The deal was announced in Rabat by <b>officials</b>."
    saved(agreement, hours(1), "Correct the summary")
    newer = agreement.history.first()

    response = client.get(
        f"{history_url(agreement)}compare/",
        {"from": history[0].history_id, "to": newer.history_id},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "The deal was <del>signed </del>in <del>Rabat.</del>" in content
    assert (
        "The deal was <ins>announced </ins>in <ins>Rabat by &lt;b&gt;officials&lt;/b&gt;.</ins>"
        in content
    )
    assert "<b>officials</b>" not in content
    text = page_text(response)
    # The unchanged title is left out until asked for (tests/test_compare_changes_only.py).
    assert "Title Defence pact Defence pact" not in text
    assert "Revision 1 (3 March 2026, 09:00, by the fixture loader: “Create the pact”)" in text


def test_it_compares_relations_and_citations_by_name(client):
    agreement = edited_agreement()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)

    response = client.get(
        f"{history_url(agreement)}compare/",
        {"from": history.saves[0].token, "to": history.saves[3].token},
    )

    content = response.content.decode()
    assert '<td class="diff" dir="auto"><del>Spain</del></td>' in content
    assert "removed" in page_text(response)
    assert f"<ins>“{QUOTE}” for existence of the entry</ins>" in content
    # Names, never ids or join rows.
    assert "AgreementParty" not in content
    assert "object (" not in content
    assert "Defence cooperation pact" in page_text(response)


def test_it_compares_with_the_revision_before_when_from_is_left_out(client):
    agreement = edited_agreement()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)

    response = client.get(f"{history_url(agreement)}compare/", {"to": history.saves[1].token})

    text = page_text(response)
    assert "Revision 1 (" in text and "beside revision 2 (" in text
    assert "<del>Reported</del>" in response.content.decode()
    assert "<ins>Signed</ins>" in response.content.decode()


def test_it_puts_the_older_revision_first_whichever_order_they_come_in(client):
    agreement = edited_agreement()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)

    response = client.get(
        f"{history_url(agreement)}compare/",
        {"from": history.saves[3].token, "to": history.saves[0].token},
    )

    assert "Revision 1 (" in page_text(response)
    assert "beside revision 4 (" in page_text(response)


def test_it_compares_the_first_revision_with_nothing(client):
    agreement = agreement_with_history()
    first = agreement.history.get()

    response = client.get(f"{history_url(agreement)}compare/", {"to": first.history_id})

    assert response.status_code == 200
    assert "Before the agreement was created beside revision 1" in page_text(response)
    assert "<ins>Defence pact</ins>" in response.content.decode()


def test_it_says_when_both_revisions_are_the_same(client):
    agreement = agreement_with_history()
    first = agreement.history.get().history_id

    response = client.get(f"{history_url(agreement)}compare/", {"from": first, "to": first})

    assert response.status_code == 200
    assert "These are the same revision." in page_text(response)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"to": ""}, 400),
        ({"to": "abc"}, 400),
        ({"to": "<script>alert(1)</script>"}, 400),
        ({"to": "1" * 5000}, 400),
        ({"to": "\x00"}, 400),
        ({"to": "-1"}, 400),
        ({"to": "citation-"}, 400),
        ({"to": "party-1.5"}, 400),
        ({"to": "LATEST", "from": "1"}, 400),
        ({"to": "999999"}, 404),
        ({"to": "citation-999999"}, 404),
        ({"to": "participant-1"}, 400),  # agreements have parties, not participants
    ],
)
def test_it_answers_bad_revision_numbers_with_a_message(client, params, status):
    agreement = agreement_with_history()

    response = client.get(f"{history_url(agreement)}compare/", params)

    assert response.status_code == status
    content = response.content.decode()
    assert "<script>alert" not in content
    assert response.context["message"]


def test_it_refuses_a_revision_of_another_entry(client):
    agreement = agreement_with_history()
    other = agreement_with_history(title="Other pact")
    theirs = other.history.get().history_id

    compared = client.get(f"{history_url(agreement)}compare/", {"to": theirs})
    shown = client.get(f"{history_url(agreement)}{theirs}/")

    assert compared.status_code == 404
    assert shown.status_code == 404
    assert f"no revision “{theirs}”" in page_text(shown)


@pytest.mark.parametrize("token", ["abc", "compare-1", "99999999999", "party-x", "%3Cb%3E"])
def test_it_answers_a_bad_revision_address_with_a_message(client, token):
    agreement = agreement_with_history()

    response = client.get(f"{history_url(agreement)}{token}/")

    assert response.status_code == 400
    assert "is not a revision number" in page_text(response)
    assert "<b>" not in response.content.decode()


def test_it_escapes_what_editors_typed_on_every_history_page(client):
    agreement = agreement_with_history(title="<i>Pact</i>", slug="pact")
    agreement.summary = "<script>alert(1)</script>"
    sly = make_user("sly", first_name="<u>Sly</u>", last_name="O'Hara & Co")
    saved(agreement, hours(1), "<img src=x onerror=alert(1)>", user=sly)
    token = agreement.history.first().history_id

    for url in [
        history_url(agreement),
        f"{history_url(agreement)}{token}/",
        f"{history_url(agreement)}compare/?to={token}",
    ]:
        content = client.get(url).content.decode()
        assert "<script>alert" not in content, url
        assert "<img src=x" not in content, url
        assert "<i>Pact</i>" not in content, url
        assert "&lt;i&gt;Pact&lt;/i&gt;" in content, url
    listed = client.get(history_url(agreement)).content.decode()
    assert "<u>Sly</u>" not in listed
    assert "&lt;u&gt;Sly&lt;/u&gt; O&#x27;Hara &amp; Co" in listed
    assert "&lt;img src=x onerror=alert(1)&gt;" in listed


# -- deleted and renamed entries --------------------------------------------------------


def test_it_keeps_the_history_of_a_deleted_entry_by_its_slug(client):
    agreement = edited_agreement()
    slug = agreement.slug
    deleted(Agreement.objects.get(pk=agreement.pk), hours(5), "A duplicate", make_user("ali"))

    response = client.get(f"/agreements/{slug}/history/")

    assert response.status_code == 200
    text = page_text(response)
    assert "History of Defence cooperation pact" in text
    assert "This agreement was deleted on 3 March 2026, 14:00 by ali (“A duplicate”)." in text
    assert "Revision 5, 3 March 2026, 14:00 ali A duplicate Deleted" in text
    assert client.get(f"/agreements/{slug}/").status_code == 404


def test_it_shows_a_deleted_entry_as_it_stood_when_deleted(client):
    agreement = edited_agreement()
    slug = agreement.slug
    new(
        AgreementParty,
        hours(4),
        "Morocco's real partner",
        agreement=agreement,
        partner=make_partner(name="Portugal"),
    )
    deleted(Agreement.objects.get(pk=agreement.pk), hours(5), "A duplicate")
    deletion = Agreement.history.filter(id=agreement.pk, history_type="-").get()

    response = client.get(f"/agreements/{slug}/history/{deletion.history_id}/")

    text = page_text(response)
    assert response.status_code == 200
    assert "This revision deleted the agreement." in text
    assert "Parties Portugal" in text
    assert "it has since been deleted" in text


def test_it_answers_404_for_a_slug_no_entry_ever_had(client):
    response = client.get("/agreements/never-was/history/")

    assert response.status_code == 404


def test_it_sends_an_old_slug_to_the_entry_under_its_new_one(client):
    agreement = agreement_with_history()
    agreement.slug = "renamed-pact"
    saved(agreement, hours(1), "New address")
    first = history_records(Agreement, agreement.pk).first().history_id

    response = client.get(f"/agreements/defence-pact/history/{first}/?x=1")

    assert response.status_code == 302
    assert response["Location"] == f"/agreements/renamed-pact/history/{first}/?x=1"


# -- entry pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "path", "field"),
    [
        (lambda: make_citation(make_partner()).partner, "partners", "summary"),
        (lambda: make_citation(make_agreement()).agreement, "agreements", "summary"),
        (lambda: make_citation(make_exercise()).exercise, "exercises", "summary"),
        (lambda: make_citation(make_procurement()).procurement, "equipment", "summary"),
        (make_source, "sources", "reliability_note"),
    ],
)
def test_it_tells_on_each_entry_page_when_and_by_whom_it_last_changed(client, make, path, field):
    entry = make()
    # Made by the factory, now; moved to before the edit below, whatever the clock says.
    backdated(type(entry).history.filter(id=entry.pk), hours(0))
    backdated(Citation.history.all(), hours(0))
    setattr(entry, field, "Changed.")
    saved(
        entry,
        hours(2),
        "Tidy the summary",
        make_user("amal", first_name="Amal", last_name="Idrissi"),
    )

    response = client.get(f"/{path}/{entry.slug}/")

    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Last changed 3 March 2026 by Amal Idrissi (“Tidy the summary”); not yet reviewed." in text
    )
    link = f'<a href="/{path}/{entry.slug}/history/">History of this page</a>'
    assert link in response.content.decode()


def test_it_counts_a_citation_added_alone_as_the_entrys_last_change(client):
    agreement = agreement_with_history()
    new(
        Citation,
        hours(2),
        "Cite the signing",
        make_user("omar"),
        agreement=agreement,
        source=make_source(),
        quote=QUOTE,
        note="its signing",
    )

    text = page_text(client.get(f"/agreements/{agreement.slug}/"))

    assert "Last changed 3 March 2026 by omar (“Cite the signing”)" in text


# -- queries and speed ------------------------------------------------------------------

MANY = 1000


def test_it_shows_the_history_in_the_same_queries_for_1_or_1000_revisions(
    client, django_assert_num_queries
):
    agreement = agreement_with_history()
    url = history_url(agreement)
    queries = count_queries(client, url)

    bulk_revisions(agreement, MANY - 1)

    with django_assert_num_queries(queries):
        response = client.get(url)
    assert f"{MANY} revisions, page 1 of 20" in page_text(response)


def test_it_compares_in_the_same_queries_for_1_or_50_rows(client, django_assert_num_queries):
    def grown(agreement, count):
        partners = [make_partner() for _ in range(count)]
        sources = [make_source() for _ in range(count)]
        with one_save("Many parties"):
            for number in range(count):
                new(
                    AgreementParty,
                    hours(1),
                    "Many parties",
                    agreement=agreement,
                    partner=partners[number],
                )
                new(
                    Citation,
                    hours(1),
                    "Many parties",
                    agreement=agreement,
                    source=sources[number],
                    quote=QUOTE,
                    note=f"claim {number}",
                )
            agreement.title = f"Changed {count}"
            saved(agreement, hours(1), "Many parties")
        return agreement

    few, many = grown(agreement_with_history(), 1), grown(agreement_with_history("Big"), 50)
    few_url = f"{history_url(few)}compare/?to={few.history.first().history_id}"
    many_url = f"{history_url(many)}compare/?to={many.history.first().history_id}"
    queries = count_queries(client, few_url)

    with django_assert_num_queries(queries):
        response = client.get(many_url)
    assert "Changed 50: revisions compared" in page_text(response)
    assert response.content.decode().count("<ins>") >= 100


def test_it_shows_a_revision_in_the_same_queries_for_1_or_50_citations(
    client, django_assert_num_queries
):
    few = agreement_with_history()
    many = agreement_with_history("Big")
    for number in range(49):
        make_citation(many, note=f"claim {number}")
    few_url = f"{history_url(few)}{few.history.get().history_id}/"
    many_url = f"{history_url(many)}{many.history.get().history_id}/"
    queries = count_queries(client, few_url)

    with django_assert_num_queries(queries):
        response = client.get(many_url)
    assert response.status_code == 200


def best_time(client, url, runs=5):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return min(timings), statistics.median(timings)


def test_it_opens_the_history_of_1000_revisions_about_as_fast_as_the_entry(client, capsys):
    agreement = agreement_with_history()
    bulk_revisions(agreement, MANY - 1)
    client.get(history_url(agreement))

    entry_best, entry_median = best_time(client, f"/agreements/{agreement.slug}/")
    history_best, history_median = best_time(client, history_url(agreement))

    with capsys.disabled():
        print(
            f"\n{MANY} revisions: entry page {entry_median * 1000:.1f} ms, "
            f"history page {history_median * 1000:.1f} ms (medians of 5)"
        )
    # Generous: shared CI machines are noisy. Both are tens of milliseconds here.
    assert history_best < 1.0
    assert history_best < max(10 * entry_best, 0.25)


# -- the groups of revisions -------------------------------------------------------------


def test_it_groups_an_admin_save_and_its_inline_rows_into_one_revision(editor_client):
    partner = make_partner(name="Spain")
    source = make_source()
    url = "/admin/partnerships/agreement/add/"
    data = admin_form_data(
        editor_client.get(url),
        {
            "title": "Madrid pact",
            "slug": "madrid-pact",
            "kind": "treaty",
            "status": "signed",
            "party_links-0-partner": partner.pk,
            "citations-0-source": source.pk,
            "citations-0-quote": QUOTE,
            "citations-0-note": "the pact",
            "edit_summary": "Add the Madrid pact",
        },
    )
    assert editor_client.post(url, data).status_code == 302

    response = editor_client.get("/agreements/madrid-pact/history/")

    text = page_text(response)
    assert "1 revision" in text
    assert "editor Add the Madrid pact Created; added 1 party; added 1 citation" in text


def test_it_leaves_out_saves_of_rows_that_only_passed_through(client):
    spain = make_partner(name="Spain")
    first = agreement_with_history()
    second = agreement_with_history(title="Second pact", when=hours(1))
    party = new(AgreementParty, hours(2), "Wrong pact", agreement=first, partner=spain)
    party.agreement = second
    saved(party, hours(3), "Move Spain to the second pact")

    first_history = EntryHistory(entry_types.by_name("agreement"), first.pk)
    second_history = EntryHistory(entry_types.by_name("agreement"), second.pk)

    assert [s.summary for s in first_history.saves] == [
        "Create the pact",
        "Wrong pact",
        "Move Spain to the second pact",
    ]
    assert first_history.what_changed(first_history.saves[2], {}) == "Removed 1 party"
    assert [s.summary for s in second_history.saves] == [
        "Create the pact",
        "Move Spain to the second pact",
    ]
    assert second_history.what_changed(second_history.saves[1], {}) == "Added 1 party"


def test_it_reads_an_exercise_s_participants_with_their_roles(client):
    nato = make_partner(name="NATO", kind=Partner.Kind.ORGANIZATION)
    with one_save("Create"):
        exercise = new(Exercise, hours(0), "Create", name="African Lion", slug="african-lion")
        new(
            ExerciseParticipant,
            hours(0),
            "Create",
            exercise=exercise,
            partner=nato,
            role="organizer",
        )

    response = client.get(f"/exercises/african-lion/history/{exercise.history.get().history_id}/")

    assert "Participants NATO as organizer" in page_text(response)


def test_it_names_the_latest_revision_latest(client):
    agreement = edited_agreement()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)

    shown = client.get(f"{history_url(agreement)}latest/")
    compared = client.get(f"{history_url(agreement)}compare/", {"to": "latest"})

    assert "Revision 4 of 4" in page_text(shown)
    assert "Revision 3 (" in page_text(compared)
    assert "beside revision 4 (" in page_text(compared)
    assert history.latest.token != "latest"


def test_it_shows_rows_saved_for_an_entry_whose_own_history_is_missing(client):
    agreement = agreement_with_history()
    Agreement.history.filter(id=agreement.pk).delete()
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)
    token = history.latest.token

    shown = client.get(f"{history_url(agreement)}{token}/")
    compared = client.get(f"{history_url(agreement)}compare/?to={token}")

    assert shown.status_code == 200
    assert "Parties Spain" in page_text(shown)
    assert compared.status_code == 200
