"""Entry pages as of a date: ?as_of=YYYY-MM-DD shows the entry as it stood at the
end of that day, from its history, clearly labelled; a date before it existed or
one that is not a date gets a message, never a 500."""

import datetime

import pytest

from partnerships.models import Agreement, AgreementParty, Exercise, ExerciseParticipant
from sources.models import Citation, Source

from .conftest import (
    QUOTE,
    count_queries,
    make_partner,
    make_procurement,
    make_source,
    make_user,
    page_text,
)
from .history_factories import START, agreement_with_history, backdated, deleted, hours, new, saved

pytestmark = pytest.mark.django_db

URL = "/agreements/defence-pact/"


def changed_over_days():
    """Created 3 March 09:00; retitled 3 March 23:30; given Portugal as a party on 4 March."""
    agreement = agreement_with_history()
    agreement.title = "Defence cooperation pact"
    saved(agreement, hours(14.5), "Use the treaty's own title", make_user("omar"))
    new(
        AgreementParty,
        hours(26),
        "Add Portugal",
        agreement=agreement,
        partner=make_partner(name="Portugal"),
    )
    return agreement


def test_it_shows_an_entry_as_it_stood_at_the_end_of_a_day(client):
    changed_over_days()

    response = client.get(URL, {"as_of": "2026-03-03"})

    assert response.status_code == 200
    text = page_text(response)
    assert "Defence cooperation pact as it stood on 3 March 2026" in text
    assert "As it stood on 3 March 2026, at the end of the day — see the current version." in text
    assert '<a href="/agreements/defence-pact/">see the current version</a>' in (
        response.content.decode()
    )
    assert "Parties Spain" in text
    assert "Portugal" not in text
    assert f"{QUOTE} — Le Desk. States: existence of the entry. The pact." in text
    assert "saved on 3 March 2026, 23:30 by omar" in text


def test_it_shows_the_day_after_with_what_that_day_changed(client):
    changed_over_days()

    text = page_text(client.get(URL, {"as_of": "2026-03-04"}))

    assert "Parties Portugal, Spain" in text


def test_it_shows_the_latest_revision_for_a_day_still_to_come(client):
    changed_over_days()

    text = page_text(client.get(URL, {"as_of": "2099-12-31"}))

    assert "as it stood on 31 December 2099" in text
    assert "Parties Portugal, Spain" in text


def test_it_says_when_the_entry_did_not_exist_yet(client):
    changed_over_days()

    response = client.get(URL, {"as_of": "2026-03-02"})

    assert response.status_code == 404
    text = page_text(response)
    assert "This agreement did not exist yet on 2 March 2026." in text
    assert "Its first revision is of 3 March 2026." in text
    assert '<a href="/agreements/defence-pact/">Read the current version</a>' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13-45", "Enter a date as year-month-day, such as 2026-03-03."),
        ("2026-02-30", "Enter a date"),
        ("abc", "Enter a date"),
        ("\x00", "Enter a date"),
        ("2026-03-03\x00", "Enter a date"),
        ("9" * 5000, "Enter a date"),
        ("<script>alert(1)</script>", "Enter a date"),
        ("03/03/2026", "Enter a date"),
        ("0001-01-01", "Give a date between 1900 and 2100."),
        ("9999-12-31", "Give a date between 1900 and 2100."),
    ],
)
def test_it_answers_a_date_it_cannot_read_with_a_message(client, value, message):
    changed_over_days()

    response = client.get(URL, {"as_of": value})

    assert response.status_code == 400
    assert message in page_text(response)
    assert "<script>alert" not in response.content.decode()


def test_it_shows_the_current_page_for_an_empty_date(client):
    changed_over_days()

    response = client.get(URL, {"as_of": ""})

    assert response.status_code == 200
    assert "as it stood" not in page_text(response)


def test_it_shows_a_deleted_entry_as_it_stood_before_its_deletion(client):
    agreement = changed_over_days()
    deleted(Agreement.objects.get(pk=agreement.pk), hours(50), "A duplicate")

    before = client.get(URL, {"as_of": "2026-03-04"})
    after = client.get(URL, {"as_of": "2026-03-06"})

    assert before.status_code == 200
    assert "Parties Portugal, Spain" in page_text(before)
    assert "it has since been deleted" in page_text(before)
    assert after.status_code == 200
    assert "This revision deleted the agreement." in page_text(after)
    assert client.get(URL).status_code == 404


def test_it_answers_404_for_an_entry_that_never_was(client):
    response = client.get("/agreements/never-was/", {"as_of": "2026-03-03"})

    assert response.status_code == 404


def test_it_follows_an_entry_to_its_new_slug(client):
    agreement = changed_over_days()
    agreement.slug = "renamed-pact"
    saved(agreement, hours(60), "New address")

    response = client.get(URL, {"as_of": "2026-03-03"})

    assert response.status_code == 302
    assert response["Location"] == "/agreements/renamed-pact/?as_of=2026-03-03"


def test_it_shows_every_type_of_entry_as_of_a_date(client):
    when = START
    exercise = new(Exercise, when, name="African Lion", slug="african-lion")
    new(
        ExerciseParticipant,
        when,
        exercise=exercise,
        partner=make_partner(name="NATO", kind="organization"),
        role="host",
    )
    partner = make_partner(name="Italy", slug="italy")
    procurement = make_procurement(system="Barak MX", slug="barak-mx")
    source = make_source(title="Le Monde", slug="le-monde")
    new(Citation, when, partner=partner, source=source, quote=QUOTE, note="a partner")
    for model, pk in [
        (type(partner), partner.pk),
        (type(procurement), procurement.pk),
        (Source, source.pk),
        (Citation, None),
    ]:
        history = model.history.all() if pk is None else model.history.filter(id=pk)
        backdated(history, when)

    for url, expected in [
        ("/exercises/african-lion/", "Participants NATO as host"),
        ("/partners/italy/", "States: existence of the entry. A partner."),
        ("/equipment/barak-mx/", "System Barak MX"),
        ("/sources/le-monde/", "Title Le Monde"),
    ]:
        response = client.get(url, {"as_of": "2026-03-03"})
        assert response.status_code == 200, url
        assert expected in page_text(response), url
        assert "as it stood on 3 March 2026" in page_text(response), url


def test_it_shows_a_date_in_the_same_queries_for_1_or_50_revisions(
    client, django_assert_num_queries
):
    agreement = agreement_with_history()
    url = f"{URL}?as_of=2026-03-10"
    queries = count_queries(client, url)
    for number in range(49):
        agreement.summary = f"Version {number}"
        saved(agreement, hours(number + 1), f"Edit {number}")
        new(
            Citation,
            hours(number + 1),
            f"Edit {number}",
            agreement=agreement,
            source=make_source(),
            quote=QUOTE,
            note=f"claim {number}",
        )

    with django_assert_num_queries(queries):
        response = client.get(url)
    assert "States: existence of the entry. Claim 48." in page_text(response)


def test_it_reads_the_end_of_the_day_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Madrid"
    agreement = agreement_with_history()
    # 23:30 UTC on 3 March is 00:30 on 4 March in Madrid (UTC+1 then).
    agreement.title = "Late edit"
    saved(agreement, datetime.datetime(2026, 3, 3, 23, 30, tzinfo=datetime.UTC), "Late")

    text = page_text(client.get(URL, {"as_of": "2026-03-03"}))

    assert "Defence pact as it stood on 3 March 2026" in text
