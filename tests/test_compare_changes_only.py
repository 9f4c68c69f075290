"""The compare page shows only what changed between two revisions, says how much it
leaves out, and shows everything on request (?all=1) with a link back; no JavaScript,
the same queries either way."""

import re
from html import unescape

import pytest

from partnerships.history.entry import EntryHistory
from partnerships.history.registry import entry_types
from partnerships.models import Agreement

from .conftest import count_queries, page_text
from .history_factories import agreement_with_history, hours, saved

pytestmark = pytest.mark.django_db


def summary_edited():
    """A pact with a party and a citation, then only its summary corrected."""
    agreement = agreement_with_history()
    agreement.summary = "The deal was announced in Rabat."
    saved(agreement, hours(1), "Correct the summary")
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)
    url = f"/agreements/{agreement.slug}/history/compare/"
    return agreement, history, url


def fields_shown(response):
    return re.findall(r'<th scope="row">([^<]+)', response.content.decode())


def link(response, text):
    match = re.search(r'<a href="([^"]+)">' + re.escape(text) + "</a>", response.content.decode())
    assert match, f"no link {text!r}"
    return unescape(match.group(1))


def test_it_shows_only_the_fields_and_rows_that_changed(client):
    _, history, url = summary_edited()
    params = {"from": history.saves[0].token, "to": history.saves[1].token}

    response = client.get(url, params)

    assert response.status_code == 200
    assert fields_shown(response) == ["Summary"]
    text = page_text(response)
    assert "Title" not in fields_shown(response)
    comparison = response.context["comparison"]
    assert f"{comparison.unchanged_fields} unchanged fields and" in text
    assert comparison.unchanged_fields > 5
    # The party and the citation did not change: named nowhere, counted.
    assert "Spain" not in text
    assert "None changed: the one row reads the same in both revisions." in text
    assert "Show all fields" in text


def test_it_counts_hidden_fields_and_rows_together(client):
    _, history, url = summary_edited()

    response = client.get(url, {"to": history.saves[1].token})

    comparison = response.context["comparison"]
    assert comparison.unchanged_rows == 2  # the party and the citation
    assert (
        f"Showing only what changed: {comparison.unchanged_fields} unchanged fields "
        "and 2 unchanged rows hidden. Show all fields"
    ) in page_text(response)


def test_it_shows_every_field_on_request_and_links_back(client):
    _, history, url = summary_edited()
    older, newer = history.saves[0].token, history.saves[1].token

    default = client.get(url, {"from": older, "to": newer})
    everything = client.get(link(default, "Show all fields"))

    assert link(default, "Show all fields") == f"{url}?from={older}&to={newer}&all=1"
    assert everything.status_code == 200
    shown = fields_shown(everything)
    assert "Title" in shown and "Summary" in shown and len(shown) > 5
    text = page_text(everything)
    assert "Title Defence pact Defence pact" in text
    assert "Spain" in text and "unchanged" in text
    assert "Showing every field and row, the unchanged ones too. Show only changes" in text
    assert link(everything, "Show only changes") == f"{url}?from={older}&to={newer}"


def test_a_first_revision_hides_nothing(client):
    agreement = agreement_with_history()

    response = client.get(
        f"/agreements/{agreement.slug}/history/compare/",
        {"to": agreement.history.get().history_id},
    )

    assert response.context["comparison"].hidden == 0
    assert "Show all fields" not in page_text(response)
    assert "Title" in fields_shown(response)
    assert "<ins>Spain</ins>" in response.content.decode()


def test_the_same_revision_twice_says_so_and_offers_everything(client):
    _, history, url = summary_edited()
    token = history.saves[1].token

    response = client.get(url, {"from": token, "to": token})

    text = page_text(response)
    assert "These are the same revision." in text
    assert fields_shown(response) == []
    assert "No field changed: all" in text
    assert "Show all fields" in text


@pytest.mark.parametrize("value", ["0", "yes", "", "<script>", "1' or '1"])
def test_any_other_value_of_all_shows_only_changes(client, value):
    _, history, url = summary_edited()

    response = client.get(url, {"to": history.saves[1].token, "all": value})

    assert response.status_code == 200
    assert fields_shown(response) == ["Summary"]
    assert "<script>" not in response.content.decode().split("</head>")[1].replace(
        "&lt;script&gt;", ""
    )


def test_showing_everything_costs_no_more_queries(client, django_assert_num_queries):
    _, history, url = summary_edited()
    token = history.saves[1].token
    queries = count_queries(client, f"{url}?to={token}")

    with django_assert_num_queries(queries):
        client.get(f"{url}?to={token}&all=1")


def test_a_field_changed_and_changed_back_is_hidden_between_the_ends(client):
    agreement, _, url = summary_edited()
    agreement.title = "Another title"
    saved(agreement, hours(2), "Retitle")
    agreement.title = "Defence pact"
    saved(agreement, hours(3), "Retitle back")
    history = EntryHistory(entry_types.by_name("agreement"), agreement.pk)

    across = client.get(url, {"from": history.saves[1].token, "to": history.saves[3].token})
    one_step = client.get(url, {"to": history.saves[2].token})

    assert "Title" not in fields_shown(across)
    assert fields_shown(one_step) == ["Title"]
    assert Agreement.objects.get(pk=agreement.pk).title == "Defence pact"
