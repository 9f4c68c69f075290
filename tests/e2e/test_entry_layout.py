"""The encyclopedia layout as a browser draws it: on a wide screen the fact box is a
column on the right, level with the top of the text; on a phone it stacks above
the text at its full width and nothing scrolls sideways; the page-foot line
closes the article; /favicon.ico answers with the icon."""

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


def boxes(browser, url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        found = {
            name: page.locator(selector).bounding_box()
            for name, selector in {
                "infobox": ".infobox",
                "text": ".entry-text",
                "foot": ".entry-foot",
                "main": "main",
            }.items()
        }
        found["scroll_width"] = page.evaluate("document.documentElement.scrollWidth")
        return found
    finally:
        context.close()


@pytest.mark.parametrize("path", ENTRY_PAGES)
def test_the_fact_box_sits_beside_the_text_on_a_wide_screen(browser, live_url, path):
    got = boxes(browser, live_url + path, 1280)

    infobox, text = got["infobox"], got["text"]
    assert infobox["x"] >= text["x"] + text["width"], "the box is right of the text"
    assert abs(infobox["y"] - text["y"]) < 24, "level with the top of the text"
    # The page uses the screen: text and box together span the content width.
    assert infobox["x"] + infobox["width"] - text["x"] > 0.9 * (got["main"]["width"] - 32)
    assert got["foot"]["y"] >= max(text["y"] + text["height"], infobox["y"] + infobox["height"])
    assert got["scroll_width"] <= 1280


@pytest.mark.parametrize("path", ENTRY_PAGES)
def test_the_fact_box_stacks_above_the_text_on_a_phone(browser, live_url, path):
    got = boxes(browser, live_url + path, 360)

    infobox, text = got["infobox"], got["text"]
    assert infobox["y"] + infobox["height"] <= text["y"]
    assert abs(infobox["width"] - text["width"]) < 1
    assert got["foot"]["y"] >= text["y"] + text["height"]
    assert got["scroll_width"] <= 360


def test_favicon_ico_answers_with_the_icon(browser, live_url):
    context = browser.new_context()
    try:
        response = context.request.get(live_url + "/favicon.ico")
        assert response.status == 200
        assert response.headers["content-type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
        assert response.body()[:4] == b"\x00\x00\x01\x00"
    finally:
        context.close()
