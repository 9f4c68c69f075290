"""No page scrolls sideways, on a 360 px phone or a 1280 px desktop: every page type
(the accessibility checks' pages, tests/e2e/test_accessibility.py, the network, the
history pages and the 404 among them) is as wide as the window at most, in every
language on a phone (French has the longest words, Arabic runs right to left) and
in English and Arabic on a desktop.

A page too wide names the elements that stick out past the window's edges,
widest first, so that a failure says what to fix. Content a scrolling box holds
(a wide table in its labelled region) does not make the page wider, and is not
named.

The folding filter form is checked here too, as a reader on a phone meets it:
folded before the results, opened by its "Filters" box by keyboard, open beside
the results on a desktop.
"""

import pytest

from tests.e2e import test_accessibility as accessibility

pytestmark = pytest.mark.django_db

# The same pages the accessibility checks open: the fixture of that module.
site = accessibility.site

# More pages than those: a list and recent changes with filters applied (the folded
# form names them), and a list with sorting.
MORE_PAGES = {
    "agreements-filtered": "/agreements/?partner=israel&status=signed",
    "changes-filtered": "/changes/?type=agreement",
    "equipment-sorted": "/equipment/?sort=-value",
}
STATUS = {**accessibility.STATUS}
PAGE_NAMES = [*accessibility.PAGES, *(n for n in MORE_PAGES if n not in accessibility.PAGES)]

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}

# The page's width and its window's, and the elements that stick out past the
# window's right edge, outside any box that scrolls or clips them, widest first.
# A phone zooms out to show a page too wide, and its window (innerWidth) widens with
# it: the width asked for is the limit.
MEASURE = """allowed => {
  const root = document.documentElement;
  const limit = Math.min(window.innerWidth, allowed);
  const clipped = element => {
    for (let box = element.parentElement; box && box !== document.body && box !== root;
         box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow !== "visible") return true;
    }
    return false;
  };
  const describe = element => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    for (const c of element.classList) name += "." + c;
    const parent = element.parentElement;
    if (parent && parent !== document.body) {
      let up = parent.tagName.toLowerCase();
      if (parent.id) up += "#" + parent.id;
      for (const c of parent.classList) up += "." + c;
      name = up + " > " + name;
    }
    return name;
  };
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    // Past the right edge, or past the left one (a right-to-left page's overflow).
    const inside = box.right <= limit + 0.5 && box.left >= -0.5;
    if (box.width === 0 || inside || clipped(element)) continue;
    wide.push({
      element: describe(element),
      width: Math.round(box.width),
      left: Math.round(box.left),
      right: Math.round(box.right),
      text: (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60),
    });
  }
  wide.sort((a, b) => b.width - a.width);
  return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, limit, wide: wide.slice(0, 6)};
}"""


@pytest.fixture(scope="module")
def pages(site):
    return {**MORE_PAGES, **site}


@pytest.fixture(scope="module")
def contexts(browser):
    """One browser context per window size, made when first asked for: each page is
    measured in a fresh tab of it (185 contexts made and closed cost half a minute)."""
    made = {}

    def context_for(width):
        if width not in made:
            made[width] = browser.new_context(**WIDTHS[width])
        return made[width]

    yield context_for
    for context in made.values():
        context.close()


def measured(context, url, options):
    page = context.new_page()
    try:
        response = page.goto(url)
        return response.status, page.evaluate(MEASURE, options["viewport"]["width"])
    finally:
        page.close()


def describe(path, width, found):
    lines = [
        f"{path} scrolls sideways at {width} px: the page is {found['scrollWidth']} px wide "
        f"for a {found['limit']} px window. Sticking out, widest first:"
    ]
    for each in found["wide"]:
        lines.append(
            f"- {each['element']}: {each['width']} px wide, edges at {each['left']} and "
            f"{each['right']} px"
            f" ({each['text']!r})"
        )
    if not found["wide"]:
        lines.append("- no element found past the right edge (a margin or a transform?)")
    return "\n".join(lines)


# (width, language) pairs: every language on a phone; English and Arabic on a desktop.
SIZES = [
    *(("phone", language) for language in accessibility.LANGUAGES),
    *(("desktop", language) for language in accessibility.PHONE_LANGUAGES),
]


@pytest.mark.parametrize(("width", "language"), SIZES)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_page_scrolls_sideways(name, width, language, pages, live_url, contexts):
    options = WIDTHS[width]
    path = accessibility.LANGUAGES[language] + pages[name]
    status, found = measured(contexts(width), live_url + path, options)
    assert status == STATUS.get(name, 200), f"{path} answered {status}"
    if found["scrollWidth"] > found["limit"]:
        pytest.fail(describe(path, options["viewport"]["width"], found), pytrace=False)


def test_the_filters_fold_on_a_phone_before_the_results(live_url, browser):
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(live_url + "/agreements/")
        control = page.get_by_role("checkbox", name="Filters")
        assert not control.is_checked()
        assert not page.locator("form.filters").is_visible()
        # The results begin within the first screen, not after the form.
        first_row = page.locator("table.list tbody tr").first.bounding_box()
        assert first_row["y"] < PHONE["viewport"]["height"]
        # A keyboard opens it: Tab reaches the box, Space ticks it.
        control.focus()
        page.keyboard.press("Space")
        assert control.is_checked()
        assert page.locator("form.filters").is_visible()
        assert page.get_by_label("Kind").is_visible()
    finally:
        context.close()


def test_the_folded_filters_say_which_are_active(live_url, browser):
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(live_url + "/agreements/?partner=israel&status=signed")
        control = page.get_by_role("checkbox", name="Filters (2 active)")
        assert not control.is_checked()
        said = page.locator("#filters-active").inner_text()
        assert "partner: Israel" in said and "status: Signed" in said
    finally:
        context.close()


def test_the_filters_are_open_beside_the_results_on_a_desktop(live_url, browser):
    context = browser.new_context(**DESKTOP)
    try:
        page = context.new_page()
        page.goto(live_url + "/agreements/")
        assert page.locator("form.filters").is_visible()
        assert page.get_by_role("checkbox", name="Filters").count() == 0  # no control
        form = page.locator("form.filters").bounding_box()
        table = page.locator("table.list").bounding_box()
        assert form["x"] + form["width"] <= table["x"]
    finally:
        context.close()


def test_a_lists_rows_stack_as_labelled_cards_on_a_phone(live_url, browser):
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(live_url + "/equipment/")
        cell = page.locator("table.list tbody tr").first.locator("td").first
        label = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Category: "' or label.startswith('"Category')
        row = page.locator("table.list tbody tr").first.bounding_box()
        assert row["width"] <= PHONE["viewport"]["width"]
    finally:
        context.close()


# Pages whose tables stack, or whose filters fold, on a phone; the accessibility
# checks see the others at a phone's width (test_accessibility.PHONE_PAGES).
STACKED = [
    "partners",
    "agreements-filtered",
    "equipment-sorted",
    "sources",
    "changes",
    "changes-filtered",
    "history",
    "revision",
    "as-of",
    "quality",
    "search",
    "timeline",
]


@pytest.mark.parametrize("name", STACKED)
def test_stacked_pages_have_no_axe_violations_on_a_phone(
    name, axe_script, pages, live_url, browser
):
    violations = accessibility.axe_violations(
        browser, live_url + pages[name], name, PHONE, axe_script
    )
    if violations:
        pytest.fail(
            accessibility.describe_violations(pages[name], violations, PHONE), pytrace=False
        )


def test_the_opened_filters_have_no_axe_violations_on_a_phone(axe_script, live_url, browser):
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(live_url + MORE_PAGES["agreements-filtered"])
        page.locator(".fold-control").tap()  # a finger on the "Filters" box
        assert page.get_by_role("checkbox", name="Filters").is_checked()
        page.evaluate(axe_script)
        options = {
            "runOnly": {"type": "tag", "values": accessibility.WCAG_TAGS},
            "resultTypes": ["violations"],
        }
        violations = page.evaluate(accessibility.RUN_AXE, options)
    finally:
        context.close()
    if violations:
        path = MORE_PAGES["agreements-filtered"]
        pytest.fail(accessibility.describe_violations(path, violations, PHONE), pytrace=False)
