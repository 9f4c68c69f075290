"""A source's page: its full text with every cited passage highlighted, anchored and
linked back to the entries citing it."""

import re

import pytest

from sources.models import Citation, Source
from sources.text import locate

from .conftest import (
    SOURCE_TEXT,
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("Morocco's armed forces", "Morocco’s armed forces"),
        (
            'The "African Lion" exercise - held every year - drew thousands of troops',
            "The “African Lion” exercise — held every year — drew thousands of\ntroops",
        ),
        ("worth $500 million...", "worth $500 million…"),
        ("  quickly.  The  ", "quickly.\n\nThe"),
    ],
)
def test_it_locates_a_quote_as_the_document_has_it(quote, found):
    start, end = locate(quote, SOURCE_TEXT)

    assert SOURCE_TEXT[start:end] == found


def test_it_does_not_locate_a_quote_that_is_not_there():
    assert locate("Morocco’s armed forces are shrinking", SOURCE_TEXT) is None
    assert locate("   ", SOURCE_TEXT) is None


def test_it_highlights_each_cited_passage_with_an_anchor_and_links_back(client):
    source = make_source()
    israel = make_partner(name="Israel")
    make_citation(israel, source=source, quote="drew thousands of troops")  # note 1
    second = make_citation(
        israel, source=source, quote="Morocco's armed forces are modernising quickly."
    )  # note 2 on Israel's page

    response = client.get(source.get_absolute_url())

    content = response.content.decode()
    assert content.count("<mark>") == 2
    assert (
        f'<span class="anchor" id="citation-{second.pk}"></span>'
        "<mark>Morocco’s armed forces are modernising quickly.</mark>"
        f'<a class="cited-by" href="/partners/{israel.slug}/#cite-2">cited by <bdi>Israel</bdi>, note 2</a>'
    ) in content
    # A passage across a line break keeps the break.
    assert "<mark>drew thousands of<br>troops</mark>" in content


def test_it_numbers_back_links_as_each_entry_numbers_its_footnotes(client):
    source, other = make_source(), make_source()
    deal = make_agreement(title="Deal")
    make_citation(deal, source=other)
    make_citation(deal, source=other)
    cited = make_citation(deal, source=source, quote="Officials said the deal")

    response = client.get(source.get_absolute_url())

    assert f'href="/agreements/{deal.slug}/#cite-3">cited by <bdi>Deal</bdi>, note 3</a>' in (
        response.content.decode()
    )
    # …and that footnote on the entry's page links to this very passage.
    entry_page = client.get(deal.get_absolute_url()).content.decode()
    assert re.search(
        rf'<li id="cite-3">.*?href="/sources/{source.slug}/\?citation={cited.pk}#citation-{cited.pk}"',
        entry_page,
        re.DOTALL,
    )


def test_it_marks_overlapping_passages_and_labels_disputes(client):
    source = make_source()
    nato = make_partner(name="NATO")
    wide = make_citation(nato, source=source, quote="armed forces are modernising quickly")
    narrow = make_citation(
        nato, source=source, quote="modernising", stance=Citation.Stance.DISPUTES
    )

    content = client.get(source.get_absolute_url()).content.decode()

    assert f'id="citation-{wide.pk}"' in content
    assert f'id="citation-{narrow.pk}"' in content
    assert "<mark>armed forces are </mark>" in content
    assert (
        f'<mark>modernising</mark><a class="cited-by dispute" href="/partners/{nato.slug}/#cite-2">disputes <bdi>NATO</bdi>, note 2</a>'
        in content
    )
    assert "<mark> quickly</mark>" in content


def test_it_lists_the_cited_passages_and_the_reliability_note(client):
    source = make_source(reliability_note="A think tank's reading of NATO's report.")
    make_citation(make_partner(name="Spain"), source=source)

    response = client.get(source.get_absolute_url())

    content = response.content.decode()
    assert "Reviewer’s note on reliability" in content
    assert "A think tank&#x27;s reading of NATO&#x27;s report." in content
    assert "Cited passages" in content
    assert "><bdi>Spain</bdi></a>, note 1</li>" in content


def test_it_warns_of_a_citation_whose_quote_left_the_text(client):
    source = make_source()
    citation = make_citation(make_partner(name="Egypt"), source=source)
    # Bypass clean(), as a bulk update or raw SQL could.
    Source.objects.filter(pk=source.pk).update(full_text="Entirely different words.")

    response = client.get(source.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "quotes text that is no longer in it" in content
    assert f'id="citation-{citation.pk}"' not in content


def _normalized_one_character_at_a_time(text):
    """The rule sources.text applies a run at a time, spelled out character by character."""
    from sources.text import _TRANSLATION

    chars, offsets, in_space = [], [], False
    for offset, char in enumerate(text):
        if char.isspace():
            if chars and not in_space:
                chars.append(" ")
                offsets.append(offset)
            in_space = True
            continue
        in_space = False
        for out in char.translate(_TRANSLATION):
            chars.append(out)
            offsets.append(offset)
    if chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), offsets


def test_the_offsets_of_quotes_are_those_of_the_plain_rule():
    import random
    import unicodedata
    from pathlib import Path

    from sources.text import _normalized_with_offsets

    awkward = "ab \n\t\u2019\u2026\u00ad\u200b\u2014\u00a0\u2028x\ufeff"
    draw = random.Random(7)
    texts = [
        "".join(draw.choice(awkward) for _ in range(draw.randint(0, 30))) for _ in range(2000)
    ]
    documents = Path(__file__).resolve().parent.parent / "fixtures" / "sources"
    texts += [unicodedata.normalize("NFC", path.read_text()) for path in documents.glob("*")]
    assert len(texts) == 2005
    for text in texts:
        assert _normalized_with_offsets(text) == _normalized_one_character_at_a_time(text), text


def test_a_much_cited_source_marks_a_bounded_number_and_any_a_footnote_asks_for(
    client, monkeypatch
):
    monkeypatch.setattr("sources.views.CITATIONS_MARKED", 3)
    source = make_source()
    nato = make_partner(name="NATO")
    citations = [make_citation(nato, source=source) for _ in range(6)]

    content = client.get(source.get_absolute_url()).content.decode()
    assert "<dd>6 times; 3 of them are marked below" in content
    assert [c.pk for c in citations if f'id="citation-{c.pk}"' in content] == [
        c.pk for c in citations[:3]
    ]

    last = citations[-1]
    asked = client.get(f"{source.get_absolute_url()}?citation={last.pk}").content.decode()
    assert f'id="citation-{last.pk}"' in asked
    assert "4 of them are marked below" in asked

    for nonsense in ("abc", "99999999", "1" * 40, str(make_citation().pk)):
        response = client.get(source.get_absolute_url(), {"citation": nonsense})
        assert response.status_code == 200
        assert "3 of them are marked below" in response.content.decode()


def test_the_text_and_its_index_are_kept_only_for_what_they_were_drawn_from(client):
    source = make_source()
    israel = make_partner(name="Israel")
    citation = make_citation(israel, source=source, quote="drew thousands of troops")
    client.get(source.get_absolute_url())

    # The citing entry renamed, the passage's note moved, the text amended around the
    # quote, a dispute: each is drawn at once, however the text was drawn before.
    israel.name = "State of Israel"
    israel.save()
    assert (
        "cited by <bdi>State of Israel</bdi>, note 1" in client.get(source.get_absolute_url()).text
    )

    citation.stance = "disputes"
    citation.save()
    content = client.get(source.get_absolute_url()).text
    assert "disputes <bdi>State of Israel</bdi>, note 1" in content
    # The passage index likewise.
    assert '<strong class="dispute-label">disputes</strong> <a href="/partners/' in content

    citation.quote = "drew thousands of troops from many countries"
    citation.save()
    content = client.get(source.get_absolute_url()).text
    assert "“<bdi>drew thousands of troops from many countries</bdi>”" in content

    Source.objects.filter(pk=source.pk).update(
        full_text=source.full_text.replace("— drew", "—\n\nand drew")
    )
    content = client.get(source.get_absolute_url()).text
    assert "<p>The “African Lion” exercise — held every year —</p>" in content
    assert (
        f'<p>and <span class="anchor" id="citation-{citation.pk}"></span>'
        "<mark>drew thousands of<br>troops from many countries</mark>"
    ) in content


def test_each_citation_carries_its_footnote_number_on_its_entry_page(client):
    """Citation.objects.numbered() numbers as an entry page does: by id among the
    entry's own citations, whichever source each quotes."""
    first, second = make_source(), make_source()
    spain, deal = make_partner(name="Spain"), make_agreement(title="Deal")
    procurement = make_procurement(system="Radar")
    cited = [
        make_citation(spain, source=first),
        make_citation(deal, source=second),
        make_citation(spain, source=second),
        make_citation(deal, source=first),
        make_citation(procurement, source=first),
        make_citation(spain, source=first),
    ]

    numbers = dict(Citation.objects.numbered().values_list("pk", "number"))

    expected = [1, 1, 2, 2, 1, 3]
    assert [numbers[citation.pk] for citation in cited] == expected
    for entry in (spain, deal, procurement):
        footnotes = client.get(entry.get_absolute_url()).content.decode()
        for citation, number in zip(cited, expected, strict=True):
            if citation.entry == entry:
                assert re.search(
                    rf'<li id="cite-{number}".*?citation={citation.pk}#', footnotes, re.S
                )


def test_a_sources_citations_name_their_entries_without_joining_the_entry_tables(client):
    """Joined, the four entry tables made PostgreSQL weigh join orders at every request
    (CitationQuerySet.of_source_with_entries): each entry's name and slug are read by
    a subquery, and the entry made of them, its other fields deferred."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    source = make_source()
    entries = [
        make_partner(name="Spain <Kingdom>"),
        make_agreement(title="Deal & more"),
        make_exercise(name="African Lion 2024"),
        make_procurement(system="Radar"),
    ]
    for entry in entries:
        make_citation(entry, source=source, quote="drew thousands of troops")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(source.get_absolute_url())

    (read,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "sources_citation"')
    ]
    assert "JOIN" not in read
    content = response.content.decode()
    for entry in entries:
        shown = str(entry).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert (
            f'href="{entry.get_absolute_url()}#cite-1">cited by <bdi>{shown}</bdi>, note 1'
            in content
        )
    (citation,) = Citation.objects.filter(agreement=entries[1]).of_source_with_entries()
    with CaptureQueriesContext(connection) as reading:
        named = citation.entry
        assert (named.pk, named.title, named.slug) == (
            entries[1].pk,
            "Deal & more",
            entries[1].slug,
        )
        assert named.get_absolute_url() == entries[1].get_absolute_url()
    assert reading.captured_queries == []
    assert named.get_deferred_fields() >= {"summary", "kind"}
