"""A reader uses the public site in a real browser, with the site's own fixtures."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from partnerships.models import Agreement, Partner

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def live_url(transactional_db, live_server):
    """The live server, serving the site's own fixtures."""
    call_command("load_fixtures", verbosity=0)
    return live_server.url


def test_it_follows_a_footnote_to_its_passage_and_back(page, live_url):
    page.goto(live_url + "/")
    page.get_by_role("link", name="Israel", exact=True).first.click()
    page.wait_for_url(re.compile(r"/partners/israel/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Israel"

    # The first marker of footnote 1 (beside a fact) leads to footnote 1…
    page.locator("#ref-1").click()
    page.wait_for_url(re.compile(r"#cite-1$"))
    footnote = page.locator("#cite-1")
    quote = footnote.locator("q").inner_text()
    # …which names the facts it states and links back to that marker.
    assert "States:" in footnote.inner_text()
    footnote.locator("a.back").click()
    page.wait_for_url(re.compile(r"#ref-1$"))
    page.locator("#ref-1").click()
    page.wait_for_url(re.compile(r"#cite-1$"))

    # …whose source link opens the source at the highlighted passage.
    footnote.locator("cite a").click()
    page.wait_for_url(re.compile(r"/sources/[\w-]+/\?citation=(\d+)#citation-\1$"))
    anchor_id = page.url.rsplit("#", 1)[1]
    # Passages that start at the same word share one highlight after their anchors.
    passage = page.locator(f"#{anchor_id} ~ mark").first
    assert passage.is_visible()
    assert " ".join(passage.inner_text().split())[:40] in " ".join(quote.split())
    assert page.evaluate("document.querySelector(':target').id") == anchor_id

    # The passage links back to the entry's footnote.
    back = page.locator(f"#{anchor_id} ~ a.cited-by", has_text="Israel, note 1").first
    back.click()
    page.wait_for_url(re.compile(r"/partners/israel/#cite-1$"))
    assert page.locator("#cite-1 q").inner_text() == quote


def test_it_filters_a_list_into_a_shareable_address(page, live_url, browser):
    israel_deals = Agreement.objects.filter(parties__slug="israel").count()
    page.goto(live_url + "/agreements/")
    page.fill("#id_partner", "israel")
    page.select_option("#id_sort", "title")
    page.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"partner=israel"))
    shared = page.url
    assert "sort=title" in shared
    rows = page.locator("table.list tbody tr")
    assert rows.count() == israel_deals
    titles = rows.locator("th").all_inner_texts()
    assert titles == sorted(titles)

    # Someone opening the shared address sees the same list, filters filled in.
    other = browser.new_context().new_page()
    other.goto(shared)
    assert other.locator("table.list tbody tr th").all_inner_texts() == titles
    assert other.locator("#id_partner").input_value() == "israel"
    other.context.close()


def test_it_explains_a_bad_filter_beside_its_field(page, live_url):
    page.goto(live_url + "/exercises/?year_from=twenty&partner=atlantis")

    assert page.locator("#id_year_from_error").inner_text() == "Enter a year, such as 2022."
    assert page.locator("#id_year_from").get_attribute("aria-describedby") == "id_year_from_error"
    assert "There is no partner" in page.locator("#id_partner_error").inner_text()


def test_it_exports_the_filtered_list_as_csv(page, live_url):
    page.goto(live_url + "/equipment/?partner=israel")
    shown = page.locator("table.list tbody tr th").all_inner_texts()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert re.fullmatch(r"equipment-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    lines = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))

    assert lines[0][0].startswith("# Exported from the Morocco defense partnerships wiki on ")
    header, rows = lines[1], lines[2:]
    exported = [row[header.index("system")] for row in rows]
    assert sorted(exported) == sorted(shown)
    assert all(row[header.index("citations")] for row in rows)


def test_it_reads_well_at_phone_width(page, live_url):
    page.set_viewport_size(PHONE)
    for path in ["/", "/agreements/", "/partners/nato/", "/timeline/"]:
        page.goto(live_url + path)
        # Nothing overflows sideways except inside the tables' own scroll box.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at phone width"
        assert page.get_by_role("navigation", name="Main").is_visible()

    # The filters are folded behind their control, before the results; opened, the
    # form comes before the results, full width.
    page.goto(live_url + "/agreements/")
    control = page.locator("label.fold-control").bounding_box()
    results = page.locator("section.results").bounding_box()
    assert control["y"] < results["y"]
    assert not page.locator("form.filters").is_visible()
    page.locator("label.fold-control").click()
    form = page.locator("form.filters").bounding_box()
    results = page.locator("section.results").bounding_box()
    assert form["y"] < results["y"]
    assert form["width"] > PHONE["width"] * 0.8

    # The skip link appears on focus and takes keyboard users to the content.
    page.goto(live_url + "/agreements/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_it_works_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_url + "/partners/")
    page.select_option("#id_kind", Partner.Kind.COMPANY)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"kind=company"))
    names = page.locator("table.list tbody tr th a").all_inner_texts()
    assert names == list(
        Partner.objects.filter(kind=Partner.Kind.COMPANY).values_list("name", flat=True)
    )
    context.close()
