"""A source's page reads like the article it was: the text's own headings, paragraphs,
lists and table recognised, markdown asterisks shown as emphasis, the web page's
furniture folded away (by pattern, or as an editor marked it), cited passages
still marked across all of it, and each passage listed once with every entry
citing it."""

import html
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from partnerships.history.models import Change

from .conftest import (
    SOURCE_TEXT,
    admin_form_data,
    error_messages,
    make_agreement,
    make_citation,
    make_partner,
    make_source,
)

pytestmark = pytest.mark.django_db

SOURCE_PAGE_QUERIES = 3

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = {
    record["slug"]: record
    for record in tomllib.loads((FIXTURES / "sources.toml").read_text())["sources"]
}
ISRAEL = "morocco-israel-military-ties-grow-amidst-regional-tensions"
NATO = "what-is-natos-strategy-with-morocco"
STRATEGIC = "exploring-moroccos-strategic-defense-partnerships"
ALLIANCES = "exploring-moroccan-military-alliances"
US = "us-moroccan-military-partnership-grows-stronger"


def make_seed(slug, **overrides):
    """One of the five sources as the fixtures hold it: its title and verbatim text."""
    return make_source(
        title=SEEDS[slug]["title"],
        full_text=(FIXTURES / "sources" / f"{slug}.txt").read_text(encoding="utf-8"),
        **overrides,
    )


def text_of(content):
    """The drawn full text: the markup between the source text's <div> and its end."""
    start = content.index('<div class="source-text">')
    return content[start : content.index("</section>", start)]


def furniture_of(text):
    return re.findall(
        r'<details class="furniture"( open)?><summary>(.*?)</summary>(.*?)</details>', text, re.S
    )


# -- structure, on each of the five sources ------------------------------------------


def test_it_draws_the_commentarys_headings_table_emphasis_and_furniture(client):
    source = make_seed(ISRAEL)

    text = text_of(client.get(source.get_absolute_url()).text)

    assert (
        "<h3>Morocco-Israel Defense Pact: A Harbinger of Shifting Alliances in North Africa</h3>"
        in text
    )
    assert "<h3>The “Iron Dome of the Desert” and Beyond: Capabilities Enhanced</h3>" in text
    assert "<h3>Frequently Asked Questions About Morocco-Israel Defense Cooperation</h3>" in text
    # A question of the FAQ stays a paragraph: a question is not a title.
    assert "<p>What are the potential implications for Algeria?</p>" in text
    assert (
        '<thead><tr><th scope="col">Key Metric</th><th scope="col">2023</th>'
        '<th scope="col">Projected 2028</th></tr></thead>'
    ) in text
    assert (
        '<tr><th scope="row">Regional Air Defense System Investment (North Africa, USD Billions)'
        "</th><td>$8.1</td><td>$14.5</td></tr>"
    ) in text
    assert text.count("<tr>") == 4
    assert "<strong>Morocco’s</strong> deepening ties" in text
    assert "*" not in text
    folded = furniture_of(text)
    assert [(is_open, summary) for is_open, summary, _ in folded] == [
        ("", "Page furniture of the original web page (1 line)"),
        ("", "Page furniture of the original web page (4 lines)"),
    ]
    assert "<p>0 comments</p>" in folded[0][2]
    for line in (
        "Discover more from Archyworldys",
        "Subscribe to get the latest posts sent to your email.",
        "You may also like",
    ):
        assert f"<p>{line}</p>" in folded[1][2]


def test_it_draws_the_nato_analysiss_headings_numbered_points_and_arabic(client):
    source = make_seed(NATO)

    text = text_of(client.get(source.get_absolute_url()).text)

    assert "<h3>Specific Motives</h3>" in text
    assert "<h3>Rabat’s Opportunities</h3>" in text
    # The document's own title, though it ends with a question mark.
    assert "<h3>What is NATO&#x27;s strategy with Morocco?</h3>" in text
    assert "<h4>1. Morocco’s geostrategic location:</h4>" in text
    assert "<h4>4. Securing energy supply:</h4>" in text
    assert text.count("<h4>") == 11
    # Arabic lines take their own direction; the list's bullets sit on their side.
    assert '<p dir="auto">12 أبريل، 2024</p>' in text
    assert '<ul dir="auto"><li>مركز &quot;المستقبل&quot; يشارك' in text
    assert "<p>Jens Stoltenberg, NATO" in text


def test_it_draws_the_explainers_lists_nested_and_see_also_links_folded(client):
    source = make_seed(STRATEGIC)

    text = text_of(client.get(source.get_absolute_url()).text)

    for heading in (
        "Spain",
        "Italy",
        "Germany",
        "NATO",
        "Procurement of Defense Equipment from Allies",
    ):
        assert f"<h3>{heading}</h3>" in text
    assert "<ul><li>Training Programs: Morocco and Germany" in text
    assert text.count("<li>") == 10
    # "1. Military Aircraft from France", its bullet indented under it, then "2. …".
    assert re.search(
        r"<ol><li>Military Aircraft from France<ul><li>Morocco has a longstanding .*?</li></ul></li>"
        r"<li>Naval Vessels from the United States<ul><li>Through partnerships",
        text,
    )
    folded = furniture_of(text)
    assert len(folded) == 3
    assert all(summary.endswith("(1 line)") for _, summary, _ in folded)
    assert "See also\xa0 Decoding the Military Recruitment Process" in folded[1][2]


def test_it_draws_the_other_explainers_headings_and_bullets(client):
    source = make_seed(ALLIANCES)

    text = text_of(client.get(source.get_absolute_url()).text)

    assert "<h3>Exploring Moroccan Military Alliances: Insights and Perspectives</h3>" in text
    assert (
        "<h3>Moving Forward: Recommendations for Strengthening Moroccan Military Alliances</h3>"
        in text
    )
    assert text.count("<ul>") == 4
    assert "<p>Key aspects of security cooperation in the Maghreb region include:</p>" in text
    assert len(furniture_of(text)) == 3


def test_it_takes_the_news_reports_long_lines_as_paragraphs(client):
    source = make_seed(US)

    text = text_of(client.get(source.get_absolute_url()).text)

    assert "<h3>US-Moroccan military partnership grows stronger</h3>" in text
    assert text.count("<p>") == 11
    assert "<br>" not in text
    assert "<p>Americas Coordinator: José Antonio Sierra.</p>" in text


@pytest.mark.parametrize("slug", sorted(SEEDS))
def test_it_shows_every_word_of_each_source(client, slug):
    """Structure hides bullets, list numbers and asterisks, and nothing else."""
    source = make_seed(slug)
    text = text_of(client.get(source.get_absolute_url()).text)

    shown = re.sub(r"<summary>.*?</summary>", " ", text)
    shown = html.unescape(re.sub(r"<[^>]+>", " ", shown))
    lost = Counter(re.findall(r"\w+", source.full_text)) - Counter(re.findall(r"\w+", shown))

    numbered_items = len(
        re.findall(r"^[ \t]*\d+\.[ \t]+\S.*[^:\s][ \t]*$", source.full_text, re.M)
    )
    assert all(word.isdigit() for word in lost), lost
    assert sum(lost.values()) <= numbered_items


def test_it_keeps_short_lines_of_a_paragraph_as_line_breaks(client):
    source = make_source()

    text = text_of(client.get(source.get_absolute_url()).text)

    assert text.count("<p>") == 2
    assert "drew thousands of<br>troops from many countries.<br>Officials said" in text


# -- cited passages across the structure ----------------------------------------------


def test_it_marks_a_passage_across_a_heading_and_a_paragraph_in_each(client):
    source = make_seed(ISRAEL)
    israel = make_partner(name="Israel")
    citation = make_citation(
        israel,
        source=source,
        quote="Implications for Regional Power Dynamics This burgeoning alliance",
    )

    text = text_of(client.get(source.get_absolute_url()).text)

    assert (
        f'<h3><span class="anchor" id="citation-{citation.pk}"></span>'
        "<mark>Implications for Regional Power Dynamics</mark></h3>\n"
        "<p><mark>This burgeoning alliance</mark>"
        f'<a class="cited-by" href="/partners/{israel.slug}/#cite-1">cited by <bdi>Israel</bdi>, note 1</a>'
        " inevitably alters"
    ) in text


def test_it_marks_a_passage_in_the_table_cell_by_cell(client):
    source = make_seed(ISRAEL)
    trade = make_agreement(title="Trade")
    citation = make_citation(
        trade, source=source, quote="Israel-Morocco Trade (USD Billions) $0.5 $1.2"
    )

    text = text_of(client.get(source.get_absolute_url()).text)

    assert (
        f'<tr><th scope="row"><span class="anchor" id="citation-{citation.pk}"></span>'
        "<mark>Israel-Morocco Trade (USD Billions)</mark></th><td><mark>$0.5</mark></td>"
        f'<td><mark>$1.2</mark><a class="cited-by" href="/agreements/{trade.slug}/#cite-1">'
        "cited by <bdi>Trade</bdi>, note 1</a></td></tr>"
    ) in text


def test_it_marks_a_passage_that_begins_on_an_asterisk(client):
    source = make_seed(ISRAEL)
    israel = make_partner(name="Israel")
    citation = make_citation(
        israel, source=source, quote="**Morocco’s** deepening ties with Israel"
    )

    text = text_of(client.get(source.get_absolute_url()).text)

    assert (
        f'<span class="anchor" id="citation-{citation.pk}"></span><strong><mark>Morocco’s</mark>'
        '</strong><mark> deepening ties with Israel</mark><a class="cited-by"'
    ) in text


def test_it_leaves_furniture_open_where_a_passage_is_cited(client):
    source = make_seed(ISRAEL)
    make_citation(make_partner(), source=source, quote="Discover more from Archyworldys")

    folded = furniture_of(text_of(client.get(source.get_absolute_url()).text))

    assert [is_open for is_open, _, _ in folded] == ["", " open"]
    assert "<mark>Discover more from Archyworldys</mark>" in folded[1][2]


def test_it_lists_each_passage_once_with_every_entry_citing_it(client):
    source = make_source()
    spain, deal = make_partner(name="Spain"), make_agreement(title="Deal")
    make_citation(spain, source=source, quote="Officials said the deal")
    make_citation(deal, source=source, quote="drew thousands of troops")  # note 1
    make_citation(deal, source=source, quote="drew thousands of troops", stance="disputes")
    make_citation(spain, source=source, quote="drew   thousands of troops")  # note 2

    content = client.get(source.get_absolute_url()).text

    index = re.search(r'<ol class="passage-index">(.*?)</ol>', content, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", index)
    assert len(items) == 2
    first, second = items
    assert "drew thousands of troops" in first  # in the text's order
    assert (
        f'<a href="/agreements/{deal.slug}/#cite-1"><bdi>Deal</bdi></a>, note 1; '
        '<strong class="dispute-label">disputes</strong> '
        f'<a href="/agreements/{deal.slug}/#cite-2"><bdi>Deal</bdi></a>, note 2; '
        f'<a href="/partners/{spain.slug}/#cite-2"><bdi>Spain</bdi></a>, note 2'
    ) in first
    assert "Officials said the deal" in second
    assert "<bdi>Spain</bdi></a>, note 1" in second
    # Every citation keeps its own anchor in the text.
    assert content.count('<span class="anchor" id="citation-') == 4


def test_cited_by_links_may_wrap():
    css = (FIXTURES.parent / "static" / "css" / "site.css").read_text()
    rules = re.findall(r"([^{}]*cited-by[^{}]*)\{([^}]*)\}", css)
    assert rules
    for selector, body in rules:
        assert "nowrap" not in body, selector


# -- furniture an editor marks -----------------------------------------------------------


def test_it_folds_the_lines_an_editor_marked(client):
    menu = (
        'أخبار المركز\n  • مركز "المستقبل" يشارك في "الشارقة الدولي للكتاب" بـ16 إصداراً جديداً  \n'
    )
    source = make_seed(NATO, furniture=menu)

    text = text_of(client.get(source.get_absolute_url()).text)

    (folded,) = furniture_of(text)
    assert folded[1] == "Page furniture of the original web page (2 lines)"
    assert '<p dir="auto">أخبار المركز</p>' in folded[2]
    assert '<ul dir="auto"><li>مركز &quot;المستقبل&quot; يشارك' in folded[2]
    # The other two lines of the menu were not marked: they stay, a list of two.
    assert text.count('<ul dir="auto">') == 2
    assert text.count("<li>") == 3


def test_it_refuses_a_furniture_line_that_is_not_a_line_of_the_text(editor_client):
    source = make_source()
    url = f"/admin/sources/source/{source.pk}/change/"
    data = admin_form_data(
        editor_client.get(url),
        {"furniture": "Officials said the deal\nNo such line", "edit_summary": "Fold the menu"},
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    (message,) = error_messages(response)
    assert "not lines of the text" in message
    assert "“Officials said the deal”" in message  # only part of a line
    assert "“No such line”" in message
    source.refresh_from_db()
    assert source.furniture == ""


def test_it_saves_marked_furniture_in_the_sources_history(editor_client, client):
    source = make_source(full_text=SOURCE_TEXT + "\nShare this article\n\nMore text.\n")
    url = f"/admin/sources/source/{source.pk}/change/"
    help_text = editor_client.get(url).text
    assert "Page furniture" in help_text and "copied from the text" in help_text
    data = admin_form_data(
        editor_client.get(url),
        # Typed with straight quotes and single spaces: compared as quotes are.
        {"furniture": "officials said the deal was worth $500 million...", "edit_summary": "Fold"},
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302, error_messages(response)
    source.refresh_from_db()
    assert source.furniture == "officials said the deal was worth $500 million..."
    assert source.history.first().furniture == source.furniture
    assert Change.objects.filter(summary="Fold").exists()
    history = client.get(f"/sources/{source.slug}/history/").text
    # (The admin's form also drops the text's final line break: "full text and".)
    shown = " ".join(re.sub(r"<[^>]+>", " ", history).split())
    assert "editor Fold Changed full text and page furniture" in shown
    text = text_of(client.get(source.get_absolute_url()).text)
    # The line marked and the one recognised, one after the other: folded together.
    (folded,) = furniture_of(text)
    assert folded[1] == "Page furniture of the original web page (2 lines)"
    assert (
        "<p>Officials said the deal was worth $500 million…</p>\n<p>Share this article</p>"
        in (folded[2])
    )
    assert "troops from many countries.</p>" in text


# -- isolation, descriptions, queries ------------------------------------------------


def test_it_isolates_names_that_may_be_arabic(client):
    source = make_seed(NATO, publisher=SEEDS[NATO]["publisher"], author="كاتب")

    content = client.get(source.get_absolute_url()).text
    listed = client.get("/sources/").text

    publisher = html.escape(SEEDS[NATO]["publisher"])
    assert f"<dd><bdi>{publisher}</bdi></dd>" in content
    assert "<dd><bdi>كاتب</bdi></dd>" in content
    assert "<h1>What is NATO&#x27;s strategy with Morocco?</h1>" in content
    arabic = client.get(make_source(title="ما هي استراتيجية الناتو؟").get_absolute_url()).text
    assert '<h1 dir="auto">ما هي استراتيجية الناتو؟</h1>' in arabic
    assert f'<td data-label="Publisher" dir="auto">{publisher}</td>' in listed
    assert '<span class="muted">by <bdi>كاتب</bdi></span>' in listed
    assert f'<bdi><a href="/sources/{source.slug}/">' in listed


def test_it_describes_the_source_for_search_engines(client):
    source = make_seed(ISRAEL, publisher="Archyworldys", kind="analysis")
    make_citation(make_partner(), source=source, quote="Barak air defense system")
    make_citation(make_partner(), source=source, quote="Barak air defense system")
    plain = make_source(title="Notes & <remarks>", publisher="مركز")
    long_title = "A very long title " * 10
    long = make_source(title=long_title)

    assert client.get(source.get_absolute_url()).context["description"] == (
        "Analysis from Archyworldys: “Morocco-Israel Military Ties Grow Amidst Regional Tensions”. "
        "Full text; 1 cited passage, each linked to the entries citing it."
    )
    plain_page = client.get(plain.get_absolute_url())
    assert plain_page.context["description"] == (
        "News report from مركز: “Notes & <remarks>”. Full text, as published."
    )
    # Escaped where the page shows it.
    assert "Notes &amp; &lt;remarks&gt;" in plain_page.text
    assert "<remarks>" not in plain_page.text
    # Cut between words to at most 155 characters.
    described = client.get(long.get_absolute_url()).context["description"]
    assert len(described) <= 155
    assert described.endswith(" long…")
    assert f"News report: “{long_title}".startswith(described.removesuffix("…"))


def test_the_source_page_reads_its_structure_in_no_more_queries(client, django_assert_num_queries):
    """As many queries as before its text had structure: the source, its citations,
    their count, the last change (and the session's)."""
    source = make_seed(ISRAEL, furniture="Key Metric 2023 Projected 2028")
    for quote in ("Barak air defense system", "$3.6 $5.2", "0 comments"):
        make_citation(make_partner(), source=source, quote=quote)

    with django_assert_num_queries(SOURCE_PAGE_QUERIES):
        response = client.get(source.get_absolute_url())

    assert response.text.count("<mark>") == 4
