"""Recent changes across the wiki and their Atom feed: every revision newest first,
filtered by type, editor, dates and review; bad filters answered with a message;
queries that do not grow with the rows shown."""

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from partnerships.models import Agreement, Partner, ReviewMark
from sources.models import Citation, Source

from .conftest import (
    QUOTE,
    count_queries,
    make_partner,
    make_source,
    make_user,
    page_text,
)
from .history_factories import agreement_with_history, backdated, deleted, hours, new, saved

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def the_wiki_changes():
    """A pact created with its party and citation, retitled, cited on its own; a source edited."""
    omar = make_user("omar", first_name="Omar", last_name="Benali")
    agreement = agreement_with_history(user=make_user("jane"))
    agreement.title = "Defence cooperation pact"
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
    source = Source.objects.get(title="Le Desk")
    source.reliability_note = "A Moroccan news site."
    saved(source, hours(3), "Note on reliability", omar)
    # Everything else the factories made, made long before.
    for model in (Source, Citation, Agreement, Partner):
        backdated(model.history.filter(history_date__gt=hours(10)), hours(-100))
    return agreement


def rows_text(response):
    """The rows as a sighted reader sees them, without the words only screen readers get."""
    content = re.sub(rb'<span class="visually-hidden">[^<]*</span>', b"", response.content)
    text = page_text(SimpleNamespace(content=content))
    return text[text.index("Review ") :]


# -- the list -----------------------------------------------------------------------------


def test_it_lists_every_revision_across_the_wiki_newest_first(client):
    agreement = the_wiki_changes()

    response = client.get("/changes/")

    assert response.status_code == 200
    text = rows_text(response)
    expected = [
        "3 March 2026, 12:00 Le Desk (source) changed · compare Omar Benali Note on reliability",
        "3 March 2026, 11:00 Defence cooperation pact (agreement) citation added: existence of the entry — “its signing” · "
        "compare Omar Benali Cite the signing",
        "3 March 2026, 10:00 Defence cooperation pact (agreement) changed · compare Omar Benali "
        "Use the treaty's own title",
        "3 March 2026, 09:00 Defence pact (agreement) created jane Create the pact",
    ]
    positions = [text.index(row) for row in expected]
    assert positions == sorted(positions)
    # The party and citation saved with the pact are part of its revision, not rows of their own.
    assert "party added" not in text
    assert text.count("citation added") == 1
    assert agreement.title in text


def test_it_links_each_change_to_its_comparison_with_the_revision_before(client):
    agreement = the_wiki_changes()
    retitled = agreement.history.first()
    created = agreement.history.last()
    citation = Citation.history.get(note="its signing")

    content = client.get("/changes/").content.decode()

    base = f"/agreements/{agreement.slug}/history/"
    assert f'href="{base}compare/?to={retitled.history_id}"' in content
    assert f'href="{base}compare/?to=citation-{citation.history_id}"' in content
    assert f'href="{base}{created.history_id}/"' in content
    assert f'href="{base}"' in content
    assert 'href="?editor=omar"' in content


def test_it_links_a_deleted_entrys_changes_to_its_history(client):
    agreement = the_wiki_changes()
    slug = agreement.slug
    deleted(Agreement.objects.get(pk=agreement.pk), hours(4), "A duplicate", make_user("ali"))

    response = client.get("/changes/")

    text = rows_text(response)
    assert (
        "3 March 2026, 13:00 Defence cooperation pact (agreement) deleted · compare ali A duplicate"
        in text
    )
    assert "citation removed" not in text
    assert f'href="/agreements/{slug}/history/"' in response.content.decode()
    # The relation rows of a deleted entry still name it.
    assert (
        "Defence cooperation pact (agreement) citation added: existence of the entry — "
        "“its signing”" in text
    )


# -- filters ------------------------------------------------------------------------------


def test_it_filters_by_type(client):
    the_wiki_changes()

    text = rows_text(client.get("/changes/", {"type": "source"}))

    assert "Le Desk (source)" in text
    assert "(agreement)" not in text
    assert "(partner)" not in text


def test_it_filters_by_editor(client):
    the_wiki_changes()

    text = rows_text(client.get("/changes/", {"editor": "jane"}))

    assert "Defence pact (agreement) created jane" in text
    assert "Omar Benali" not in text


def test_it_filters_by_dates(client):
    the_wiki_changes()

    text = rows_text(client.get("/changes/", {"from": "2026-03-03", "to": "2026-03-03"}))
    before = page_text(client.get("/changes/", {"to": "2026-03-02"}))

    assert "Defence pact (agreement) created" in text
    assert "Le Desk (source) changed" in text
    assert "Le Desk (source) changed" not in before


def test_it_filters_by_review(client):
    agreement = the_wiki_changes()
    created = agreement.history.last()
    ReviewMark.objects.create(change=created.history_change, reviewer=make_user())

    unreviewed = rows_text(client.get("/changes/", {"reviewed": "no"}))
    reviewed = rows_text(client.get("/changes/", {"reviewed": "yes"}))

    assert "Defence pact (agreement) created" not in unreviewed
    assert "Use the treaty's own title" in unreviewed
    assert "Defence pact (agreement) created" in reviewed
    assert "Use the treaty's own title" not in reviewed


def test_it_says_when_no_change_matches_and_how_to_see_every_change(client):
    the_wiki_changes()

    response = client.get("/changes/", {"reviewed": "yes"})  # none is reviewed

    assert response.status_code == 200
    text = page_text(response)
    assert "0 changes matching the filters" in text
    assert "No change matches these filters. Clear all filters to see every change." in text
    assert "No changes shown" not in text


def test_it_says_when_nothing_has_been_saved_yet(client):
    text = page_text(client.get("/changes/"))

    assert "0 changes" in text
    assert "Nothing has been saved yet." in text


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "type",
            "treaty",
            "Choose partners, agreements, exercises, equipment, people, engagements, indicators "
            "or sources.",
        ),
        ("type", "<script>alert(1)</script>", "Choose partners"),
        ("editor", "nobody", "No one with this username has edited the wiki."),
        ("editor", "a\x00b", "Null characters are not allowed."),
        ("editor", "x" * 5000, "A username has at most 150 characters."),
        ("reviewed", "maybe", "Choose reviewed (yes) or not yet reviewed (no)."),
        ("from", "2024-13-45", "Enter a date as year-month-day, such as 2026-03-03."),
        ("from", "abc", "Enter a date"),
        ("from", "\x00", "Enter a date"),
        ("to", "3 March 2026", "Enter a date"),
        ("to", "9" * 5000, "Enter a date"),
        ("from", "0001-01-01", "Give a date between 1900 and 2100."),
        ("to", "9999-12-31", "Give a date between 1900 and 2100."),
    ],
)
def test_it_explains_a_bad_filter_beside_its_field(client, name, value, message):
    the_wiki_changes()

    response = client.get("/changes/", {name: value})

    assert response.status_code == 400
    content = response.content.decode()
    assert f'<p class="field-error" id="id_{name}_error">' in content
    assert message in page_text(response)
    assert "<script>alert" not in content


def test_it_refuses_an_end_date_before_the_start(client):
    response = client.get("/changes/", {"from": "2026-03-04", "to": "2026-03-03"})

    assert response.status_code == 400
    assert "This date comes before the one changes are shown from." in page_text(response)


@pytest.mark.parametrize("page", ["abc", "0", "99", "\x00", "1" * 500])
def test_it_answers_a_bad_page_number_with_a_message(client, page):
    the_wiki_changes()

    response = client.get("/changes/", {"page": page})

    assert response.status_code == 400
    assert "page" in page_text(response)


def test_it_pages_fifty_changes_at_a_time(client):
    agreement = agreement_with_history()
    for number in range(60):
        agreement.summary = f"Version {number}"
        saved(agreement, hours(number + 1), f"Edit {number}")

    first = client.get("/changes/", {"type": "agreement"})
    second = client.get("/changes/", {"type": "agreement", "page": "2"})

    assert "61 changes matching the filters" in page_text(first)
    assert first.content.decode().count("<tr>") == 51
    assert second.content.decode().count("<tr>") == 12
    assert 'href="/changes/?type=agreement&amp;page=2"' in first.content.decode()


def test_it_lists_changes_in_the_same_queries_for_1_or_50_revisions(
    client, django_assert_num_queries
):
    agreement = agreement_with_history()
    queries = count_queries(client, "/changes/")
    user = make_user("omar")
    for number in range(49):
        agreement.summary = f"Version {number}"
        saved(agreement, hours(number + 1), f"Edit {number}", user if number % 2 else None)
        new(
            Citation,
            hours(number + 1.5),
            "A citation on its own",
            user,
            agreement=agreement,
            source=make_source(),
            quote=QUOTE,
            note=f"claim {number}",
        )

    with django_assert_num_queries(queries):
        response = client.get("/changes/")
    assert response.status_code == 200


def test_it_lists_changes_in_the_same_queries_for_a_reviewer(
    client, django_assert_num_queries, reviewer
):
    client.force_login(reviewer)
    agreement = agreement_with_history()
    queries = count_queries(client, "/changes/")
    for number in range(49):
        agreement.summary = f"Version {number}"
        saved(agreement, hours(number + 1), f"Edit {number}", reviewer)
        if number % 2:
            ReviewMark.objects.create(
                change=agreement.history.first().history_change, reviewer=reviewer
            )

    with django_assert_num_queries(queries):
        response = client.get("/changes/")
    assert "Mark reviewed" in page_text(response)
    assert "reviewed by reviewer" in page_text(response)


# -- the Atom feed ------------------------------------------------------------------------


def feed(client, params=None):
    response = client.get("/changes/feed/", params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_it_offers_the_changes_as_a_valid_atom_feed(client):
    agreement = the_wiki_changes()
    retitled = agreement.history.first()

    root = feed(client)

    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id").startswith("tag:testserver,2026:changes")
    assert root.findtext(f"{ATOM}title") == "Recent changes — Morocco defense partnerships wiki"
    assert root.findtext(f"{ATOM}updated").startswith("2026-03-03T12:00:00")
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == "http://testserver/changes/feed/"
    assert links["alternate"] == "http://testserver/changes/"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) >= 4
    for entry in entries:
        for element in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{element}"), element
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    retitle = next(e for e in entries if "Use the treaty" in e.findtext(f"{ATOM}summary"))
    assert retitle.findtext(f"{ATOM}id") == (
        f"tag:testserver,2026:revision/agreement/{retitled.history_id}"
    )
    assert retitle.find(f"{ATOM}author/{ATOM}name").text == "Omar Benali"
    assert retitle.find(f"{ATOM}link").get("href") == (
        f"http://testserver/agreements/{agreement.slug}/history/compare/?to={retitled.history_id}"
    )
    assert retitle.findtext(f"{ATOM}title") == "Defence cooperation pact (agreement) — changed"


def test_it_keeps_feed_entry_ids_from_one_reading_to_the_next(client):
    agreement = the_wiki_changes()
    first = [e.findtext(f"{ATOM}id") for e in feed(client).findall(f"{ATOM}entry")]
    agreement.summary = "Another edit."
    saved(agreement, hours(5), "Another edit")

    second = [e.findtext(f"{ATOM}id") for e in feed(client).findall(f"{ATOM}entry")]

    assert second[1:] == first
    assert len(set(second)) == len(second)


def test_it_filters_the_feed_as_the_page(client):
    the_wiki_changes()

    root = feed(client, {"type": "source", "editor": "omar"})

    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == ["Le Desk (source) — changed"]
    self_link = next(link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == "http://testserver/changes/feed/?type=source&editor=omar"


def test_it_escapes_markup_in_the_feed(client):
    agreement = agreement_with_history(title="<b>Pact</b> & co", slug="pact")
    agreement.summary = "x"
    saved(agreement, hours(1), "<script>alert(1)</script>")

    response = client.get("/changes/feed/")

    assert b"<script>" not in response.content
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "<b>Pact</b> & co (agreement) — changed" in titles


@pytest.mark.parametrize(
    "params",
    [{"type": "x"}, {"from": "2024-13-45"}, {"editor": "nobody"}, {"reviewed": "\x00"}],
)
def test_it_refuses_a_feed_with_bad_filters(client, params):
    response = client.get("/changes/feed/", params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert b"These filters cannot be used" in response.content


def test_it_reads_the_feed_in_the_same_queries_for_1_or_50_revisions(
    client, django_assert_num_queries
):
    agreement = agreement_with_history()
    make_partner()
    queries = count_queries(client, "/changes/feed/")
    for number in range(49):
        agreement.summary = f"Version {number}"
        saved(agreement, hours(number + 1), f"Edit {number}")

    with django_assert_num_queries(queries):
        client.get("/changes/feed/")


PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "&lt;b&gt;entity&lt;/b&gt; &amp; &#60;i&#62; ]]> \"'",
]
ATOM_NAMES = "feed title subtitle link id updated author name entry summary published"
ATOM_ELEMENTS = {f"{ATOM}{name}" for name in ATOM_NAMES.split()}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_sends_every_text_in_the_feed_as_text_never_markup(client, payload):
    # Every field that reaches the feed: the entry's name, what a lone citation
    # supports, the edit summary and the editor's names.
    editor = make_user(f"u{PAYLOADS.index(payload)}", first_name=payload, last_name=payload)
    agreement = agreement_with_history(title=payload, slug="pact", user=editor)
    agreement.summary = "x"
    saved(agreement, hours(1), payload, editor)
    new(
        Citation,
        hours(2),
        payload,
        editor,
        agreement=agreement,
        source=Source.objects.get(title="Le Desk"),
        quote=QUOTE,
        note=payload,
    )

    response = client.get("/changes/feed/", {"type": "agreement"})

    root = ET.fromstring(response.content)
    assert {element.tag for element in root.iter()} <= ATOM_ELEMENTS
    for element in root.iter():
        assert set(element.attrib) <= {
            "href",
            "rel",
            "type",
            "{http://www.w3.org/XML/1998/namespace}lang",
        }
    summaries = root.findall(f"{ATOM}entry/{ATOM}summary")
    assert summaries and {summary.get("type") for summary in summaries} == {"text"}
    entries = root.findall(f"{ATOM}entry")[:3]
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        f"{payload} (agreement) — citation added: existence of the entry — “{payload}”",
        f"{payload} (agreement) — changed",
        f"{payload} (agreement) — created",
    ]
    assert entries[1].findtext(f"{ATOM}summary") == f"Changed by {payload} {payload}: “{payload}”."
    assert entries[1].findtext(f"{ATOM}author/{ATOM}name") == f"{payload} {payload}"


def test_it_keeps_characters_xml_cannot_carry_out_of_the_feed(client):
    agreement = agreement_with_history(title="Pact\x01", slug="pact")
    agreement.summary = "x"
    saved(agreement, hours(1), "Bell\x07 and escape\x1b")

    response = client.get("/changes/feed/")

    assert response.status_code == 200
    titles = [
        e.findtext(f"{ATOM}title") for e in ET.fromstring(response.content).iter(f"{ATOM}entry")
    ]
    assert "Pact\ufffd (agreement) — changed" in titles


@pytest.mark.parametrize(
    "url",
    [
        "/changes/?reviewed=no",
        "/changes/?reviewed=yes",
        "/changes/?type=agreement&editor=omar",
        "/changes/feed/?reviewed=no",
        "/",
    ],
)
def test_it_reads_every_view_of_the_log_in_the_same_queries_for_1_or_50_saves(
    client, django_assert_num_queries, url
):
    omar = make_user("omar")
    agreement = agreement_with_history(user=omar)
    ReviewMark.objects.create(change=agreement.history.get().history_change, reviewer=omar)
    queries = count_queries(client, url)
    for number in range(49):
        agreement.summary = f"Version {number}"
        saved(agreement, hours(number + 1), f"Edit {number}", omar)
        if number % 2:
            change = agreement.history.first().history_change
            ReviewMark.objects.create(change=change, reviewer=omar)

    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_it_pages_through_the_newest_saves_only_and_says_so(client, monkeypatch):
    monkeypatch.setattr("partnerships.history.recent.COUNT_AT_MOST", 3)
    monkeypatch.setattr("partnerships.history.views.COUNT_AT_MOST", 3)
    agreement = agreement_with_history()
    for number in range(4):
        agreement.summary = f"Version {number}"
        saved(agreement, hours(number + 1), f"Edit {number}")

    response = client.get("/changes/", {"type": "agreement"})
    beyond = client.get("/changes/", {"type": "agreement", "page": "2"})

    text = page_text(response)
    assert "More than 3 changes matching the filters" in text
    assert "choose an editor, a type or dates to reach older ones" in text
    assert response.content.decode().count("<tr>") == 4
    assert beyond.status_code == 400
