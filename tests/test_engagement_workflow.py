"""A new engagement entered in the admin, followed as a reviewer and a reader would:
its history, recent changes and the feed, search, the timeline, its partner's page
and the exports all show it."""

import json

import pytest

from partnerships.models import Engagement

from .conftest import QUOTE, admin_form_data, error_messages, make_partner, make_source

pytestmark = pytest.mark.django_db

SLUG = "zephyrine-staff-talks"
TITLE = "Zephyrine staff talks"


@pytest.fixture
def entered(editor_client):
    """The engagement, as an editor saves it in the admin with an edit summary."""
    spain = make_partner(name="Spain", slug="spain")
    source = make_source()
    page = editor_client.get("/admin/partnerships/engagement/add/")
    data = admin_form_data(
        page,
        {
            "title": TITLE,
            "slug": SLUG,
            "kind": "meeting",
            "date": "2024-04-12",
            "date_precision": "day",
            "place": "Rabat",
            "hedge": "reportedly",
            "summary": "Staff talks were reportedly held in Rabat.[1]",
            "edit_summary": "Talks from the defense report",
            "partner_links-TOTAL_FORMS": "1",
            "partner_links-0-partner": str(spain.pk),
            "partner_links-0-role": "host",
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": str(source.pk),
            "citations-0-quote": QUOTE,
            "citations-0-facts": ["existence", "kind", "date", "place"],
            "citations-0-stance": "supports",
        },
    )
    response = editor_client.post("/admin/partnerships/engagement/add/", data)
    assert response.status_code == 302, error_messages(response)
    engagement = Engagement.objects.get(slug=SLUG)
    # The partner link is cited once it is saved, as an editor would do next.
    change = f"/admin/partnerships/engagement/{engagement.pk}/change/"
    page = editor_client.get(change)
    data = admin_form_data(
        page,
        {
            "citations-0-facts": ["existence", "kind", "date", "place", f"partner:{spain.pk}"],
            "edit_summary": "Cite Spain's part",
        },
    )
    response = editor_client.post(change, data)
    assert response.status_code == 302, error_messages(response)
    return engagement


def test_its_page_shows_the_hedge_the_partner_and_the_footnotes(client, entered):
    content = client.get(f"/engagements/{SLUG}/").content.decode()

    assert TITLE in content
    assert "reportedly" in content.lower()
    assert 'href="/partners/spain/"' in content
    assert "12 April 2024" in content
    assert "citation needed" not in content


def test_its_history_shows_both_saves_with_their_summaries(client, entered):
    content = client.get(f"/engagements/{SLUG}/history/").content.decode()

    assert "Talks from the defense report" in content
    assert "Cite Spain&#x27;s part" in content or "Cite Spain's part" in content


def test_recent_changes_and_the_feed_list_it(client, entered):
    changes = client.get("/changes/?type=engagement").content.decode()
    feed = client.get("/changes/feed/").content.decode()

    assert TITLE in changes
    assert "Talks from the defense report" in changes
    assert TITLE in feed


def test_search_finds_it(client, entered):
    content = client.get("/search/", {"q": "Zephyrine"}).content.decode()

    assert f'href="/engagements/{SLUG}/"' in content


def test_the_timeline_and_its_partners_page_place_it(client, entered):
    timeline = client.get("/timeline/").content.decode()
    partner = client.get("/partners/spain/").content.decode()

    assert f'href="/engagements/{SLUG}/"' in timeline
    assert f'href="/engagements/{SLUG}/"' in partner


def test_the_exports_carry_it_with_its_citation(client, entered):
    csv = b"".join(client.get("/engagements/", {"format": "csv"}).streaming_content).decode()
    exported = json.loads(
        b"".join(client.get("/engagements/", {"format": "json"}).streaming_content)
    )

    assert TITLE in csv
    assert "reportedly" in csv
    (row,) = [row for row in exported["engagements"] if row.get("slug") == SLUG]
    assert row["hedge"] == "reportedly"
    assert row["citations"][0]["facts"][-1].startswith("partner:")
