"""Right to left, as a browser draws it: an Arabic page (<html dir="rtl">) mirrors
the English one through the stylesheet's logical properties. The fact box is left
of the text on a wide screen, the navigation and the header start at the right,
rules stand on the right of what they mark, the source page's margin notes sit
in the left margin; no Arabic page scrolls sideways on a phone (the skip links
wait off screen on the side that never scrolls); and the English pages keep
their own side for each."""

from itertools import pairwise

import pytest

# The fixtures are loaded once for the module and committed (see conftest).
pytestmark = pytest.mark.django_db

ENTRY_PAGES = [
    "/partners/nato/",
    "/agreements/morocco-israel-500-million-defence-agreement/",
    "/exercises/african-lion-2024/",
    "/equipment/barak-mx/",
    "/people/jens-stoltenberg/",
    "/engagements/todd-wasmund-visit-to-morocco/",
    "/indicators/morocco-defense-spending/",
]
# A page of each kind, in Arabic.
ARABIC_PAGES = [
    "/ar/",
    "/ar/agreements/?partner=israel&status=signed",
    "/ar/partners/nato/",
    "/ar/agreements/morocco-israel-500-million-defence-agreement/",
    "/ar/indicators/morocco-defense-spending/",
    "/ar/sources/",
    "/ar/search/?q=NATO",
    "/ar/timeline/",
    "/ar/network/",
    "/ar/agreements/morocco-israel-500-million-defence-agreement/history/",
    "/ar/agreements/morocco-israel-500-million-defence-agreement/history/compare/?to=latest",
    "/ar/changes/",
    "/ar/quality/",
]
WIDE = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

# The border-box of each selector's first element, as {x, y, width, height, right}.
BOXES = """selectors => Object.fromEntries(Object.entries(selectors).map(([name, selector]) => {
  const element = document.querySelector(selector);
  if (!element) return [name, null];
  const box = element.getBoundingClientRect();
  return [name, {x: box.x, y: box.y, width: box.width, height: box.height, right: box.right}];
}))"""


# Each closed before the live server stops (they depend on it), with no request
# left in flight.
@pytest.fixture(scope="module")
def wide(browser, live_url):
    context = browser.new_context(**WIDE)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def phone(browser, live_url):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


def opened(page, url):
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    return page


def boxes(page, **selectors):
    return page.evaluate(BOXES, selectors)


def direction(page):
    return page.evaluate("document.documentElement.dir")


def content_box(page, selector):
    """The left and right edges of the content box (inside the padding) of `selector`."""
    return page.evaluate(
        """selector => {
          const element = document.querySelector(selector);
          const box = element.getBoundingClientRect(), style = getComputedStyle(element);
          return [box.left + parseFloat(style.paddingLeft), box.right - parseFloat(style.paddingRight)];
        }""",
        selector,
    )


@pytest.mark.parametrize("path", ENTRY_PAGES)
def test_it_puts_the_fact_box_left_of_the_text_on_an_arabic_page(wide, live_url, path):
    page = opened(wide, live_url + "/ar" + path)
    got = boxes(page, infobox=".infobox", text=".entry-text", main="main")

    assert direction(page) == "rtl"
    infobox, text = got["infobox"], got["text"]
    assert infobox["right"] <= text["x"], "the box is left of the text"
    assert abs(infobox["y"] - text["y"]) < 24, "level with the top of the text"
    # The text starts at the right edge of the page's column, the box ends at its left.
    start, end = content_box(page, "main")[::-1]
    assert abs(text["right"] - start) < 1
    assert abs(infobox["x"] - end) < 1


@pytest.mark.parametrize("path", ENTRY_PAGES)
def test_it_keeps_the_fact_box_right_of_the_text_on_an_english_page(wide, live_url, path):
    page = opened(wide, live_url + path)
    got = boxes(page, infobox=".infobox", text=".entry-text")

    assert direction(page) == "ltr"
    assert got["infobox"]["x"] >= got["text"]["right"], "the box is right of the text"
    start, end = content_box(page, "main")
    assert abs(got["text"]["x"] - start) < 1
    assert abs(got["infobox"]["right"] - end) < 1


NAV_LINKS = """() => [...document.querySelectorAll(".site-nav li")].map(item => {
  const box = item.getBoundingClientRect();
  return {left: box.left, right: box.right, top: Math.round(box.top)};
})"""


@pytest.mark.parametrize(("prefix", "rtl"), [("/ar", True), ("", False)])
def test_the_navigation_starts_at_the_start_of_the_line(wide, live_url, prefix, rtl):
    page = opened(wide, live_url + prefix + "/partners/")
    links = page.evaluate(NAV_LINKS)
    left, right = content_box(page, ".site-nav ul")

    first_line = [link for link in links if link["top"] == links[0]["top"]]
    assert len(first_line) > 3
    if rtl:
        assert abs(links[0]["right"] - right) < 1, "the first link at the right edge"
        assert all(a["left"] > b["right"] for a, b in pairwise(first_line))
    else:
        assert abs(links[0]["left"] - left) < 1, "the first link at the left edge"
        assert all(a["right"] < b["left"] for a, b in pairwise(first_line))


@pytest.mark.parametrize(("prefix", "rtl"), [("/ar", True), ("", False)])
def test_the_header_mirrors_with_the_language_switcher_at_its_end(wide, live_url, prefix, rtl):
    page = opened(wide, live_url + prefix + "/")
    got = boxes(page, name=".site-name", search=".site-search", languages="nav.language-switcher")
    left, right = content_box(page, ".header-inner")

    name, search, languages = got["name"], got["search"], got["languages"]
    assert abs(name["y"] - languages["y"]) < 40, "one line on a wide screen"
    if rtl:
        assert abs(name["right"] - right) < 1
        assert languages["right"] <= search["x"] and abs(languages["x"] - left) < 1
    else:
        assert abs(name["x"] - left) < 1
        assert languages["x"] >= search["right"] and abs(languages["right"] - right) < 1
    # Small, and the current language said rather than linked.
    assert languages["height"] < 40
    current = page.locator("nav.language-switcher [aria-current]")
    assert current.evaluate("element => element.tagName") == "SPAN"
    assert current.get_attribute("lang") == ("ar" if rtl else "en")
    assert page.locator("nav.language-switcher a").count() == 2


def test_rules_and_footnote_links_stand_on_the_right_on_an_arabic_page(wide, live_url):
    page = opened(wide, live_url + "/ar/partners/nato/")
    sides = page.evaluate(
        """() => {
          const style = selector => getComputedStyle(document.querySelector(selector));
          const dispute = style(".footnotes li.dispute"), notice = style(".dispute-notice");
          const back = document.querySelector(".footnotes .back").getBoundingClientRect();
          const item = document.querySelector(".footnotes li").getBoundingClientRect();
          return {
            dispute: [dispute.borderRightWidth, dispute.borderLeftWidth],
            notice: [notice.borderRightWidth, notice.borderLeftWidth],
            backFromRight: item.right - back.right,
            backFromLeft: back.left - item.left,
          };
        }"""
    )

    assert sides["dispute"] == ["3px", "0px"]
    assert sides["notice"] == ["4px", "0px"]
    # The "back to the text" arrow leads its note, at the right.
    assert sides["backFromRight"] < sides["backFromLeft"]


@pytest.mark.parametrize(("prefix", "rtl"), [("/ar", True), ("", False)])
def test_a_sources_margin_notes_sit_in_the_margin_at_the_end(wide, live_url, prefix, rtl):
    opened(wide, live_url + prefix + "/sources/")
    source = wide.locator("table.list tbody th a").first.get_attribute("href")
    page = opened(wide, live_url + source)
    text = boxes(page, text=".source-text")["text"]
    notes = page.evaluate(
        """() => [...document.querySelectorAll(".source-text :is(p, h3, h4, h5, h6, li) .cited-by")].map(note => {
          const box = note.getBoundingClientRect();
          return {left: box.left, right: box.right};
        })"""
    )

    assert notes, "the source has cited passages"
    for note in notes:
        if rtl:
            assert note["right"] <= text["x"], "in the left margin"
        else:
            assert note["left"] >= text["right"], "in the right margin"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


# Every page's width on an Arabic phone is measured by test_phone_width.py; here, two.
@pytest.mark.parametrize("path", ARABIC_PAGES[:2])
def test_an_arabic_phones_skip_link_waits_and_returns_at_the_right(phone, live_url, path):
    page = opened(phone, live_url + path)

    assert direction(page) == "rtl"
    # A right-to-left page scrolls towards the left: what sticks out there counts.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width} px wide"
    # The skip link waits off screen on the right, which never scrolls, and comes
    # back at the right when focused.
    page.keyboard.press("Tab")
    skip = boxes(page, skip=".skip-link")["skip"]
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip["x"] >= 0 and skip["right"] <= 360
    assert skip["right"] > 180


def test_the_timelines_scroll_region_starts_at_its_right_on_an_arabic_phone(phone, live_url):
    page = opened(phone, live_url + "/ar/timeline/")
    region = page.evaluate(
        """() => {
          const region = document.querySelector(".timeline-scroll");
          const box = region.getBoundingClientRect();
          const chart = region.querySelector("svg").getBoundingClientRect();
          return {scrolls: region.scrollWidth > region.clientWidth, right: box.right,
                  chartRight: chart.right, chartLeft: chart.left, left: box.left};
        }"""
    )

    assert region["scrolls"]
    assert abs(region["chartRight"] - region["right"]) < 1, "the chart's start is in view"
    assert region["chartLeft"] < region["left"], "its rest is to the left, to scroll to"
    assert page.locator(".timeline-scroll-cue").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_arabic_text_has_its_faces_and_room_between_lines(wide, live_url):
    page = opened(wide, live_url + "/ar/")
    arabic = page.evaluate(
        """() => { const style = getComputedStyle(document.body);
          return [style.fontFamily, parseFloat(style.lineHeight) / parseFloat(style.fontSize)]; }"""
    )
    page = opened(wide, live_url + "/")
    english = page.evaluate(
        """() => { const style = getComputedStyle(document.body);
          return [style.fontFamily, parseFloat(style.lineHeight) / parseFloat(style.fontSize)]; }"""
    )

    assert "Naskh" in arabic[0] and "Naskh" not in english[0]
    assert arabic[1] > english[1]


@pytest.mark.parametrize(
    "prefix, words", [("", "Sort by"), ("/fr", "Trier par"), ("/ar", "الترتيب حسب")]
)
def test_the_cards_words_follow_the_page(phone, live_url, prefix, words):
    """The words a phone's cards show before the sort links come from the page (its
    translation catalogue), not from the stylesheet."""
    page = opened(phone, live_url + prefix + "/agreements/")
    head = page.locator("table.cards thead tr")
    shown = head.evaluate("row => getComputedStyle(row, '::before').content")

    assert head.get_attribute("data-label") == words
    assert shown not in {"none", "normal", '""'}
