"""Every kind of public page is valid HTML, by the Nu Html Checker, and has no
WCAG 2 A/AA violation that axe-core finds, at a desktop and a phone width, in
English, French and Arabic (right to left): every page in every language at a
desktop's width and in the Nu Html Checker, the phone pages in English and
Arabic (French lays out as English does; its longer words are checked for
sideways scrolling in test_phone_width).

The fixtures are loaded once for the module and committed, so the live
server's thread reads them without a test transaction. That is why no test
names `live_server` or `transactional_db`: pytest-django would then empty the
database after each test. The module empties it when it is done.

The Nu Html Checker checks every page in one run, since Java takes seconds to
start; each test looks up its own page's messages.
"""

import json
import subprocess
import traceback
from dataclasses import dataclass, field

import pytest
from django.test import Client

from sources.models import Source

# Marked so that pytest-django makes the test database even when this module
# runs alone; the content itself is committed once per module (see conftest).
pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "partners": "/partners/",
    "agreements": "/agreements/",
    "exercises": "/exercises/",
    "exercises-none": "/exercises/?domain=cyber&q=nothing-has-this-word",
    "equipment": "/equipment/",
    "sources": "/sources/",
    "timeline": "/timeline/",
    "timeline-by-partner": "/timeline/?lanes=partner",
    "network": "/network/",
    "search": "/search/?q=NATO",
    "search-empty": "/search/",
    "search-type": "/search/?q=Morocco&type=partners",
    "search-bad-page": "/search/?q=Morocco&type=partners&page=9",
    "partner": "/partners/israel/",
    # A fact disputed beside its value, both quotes shown.
    "partner-disputed": "/partners/nato/",
    "agreement": "/agreements/morocco-israel-500-million-defence-agreement/",
    "exercise": "/exercises/african-lion-2024/",
    "procurement": "/equipment/barak-mx/",
    "source": "/sources/{first_source}/",
    "not-found": "/partners/no-such-partner/",
    "changes": "/changes/",
    "history": "/agreements/morocco-israel-500-million-defence-agreement/history/",
    "revision": "/agreements/morocco-israel-500-million-defence-agreement/history/latest/",
    "compare": "/agreements/morocco-israel-500-million-defence-agreement/history/compare/?to=latest",
    "as-of": "/agreements/morocco-israel-500-million-defence-agreement/?as_of=2099-01-01",
    "quality": "/quality/",
    "people": "/people/",
    "person": "/people/jens-stoltenberg/",
    "engagements": "/engagements/",
    # A hedged engagement ("reportedly"), with partners and people taking part.
    "engagement": "/engagements/todd-wasmund-visit-to-morocco/",
    "indicators": "/indicators/",
    # A chart of dated values beside the table, a projection among them.
    "indicator": "/indicators/morocco-defense-spending/",
    "indicator-rank": "/indicators/morocco-arms-purchaser-rank/",
}
STATUS = {"not-found": 404, "search-bad-page": 400}
PHONE_PAGES = [
    "home",
    "network",
    "timeline",
    "agreements",
    "exercises-none",
    "partner",
    "partner-disputed",
    "agreement",
    "source",
    "search-type",
    "quality",
    "people",
    "person",
    "engagements",
    "engagement",
    "indicators",
    "indicator",
]

# Each page in each language: the language's prefix before its path.
LANGUAGES = {"en": "", "fr": "/fr", "ar": "/ar"}
PHONE_LANGUAGES = ["en", "ar"]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="module")
def site(fixture_content):
    """PAGES' paths, with a source's slug filled in."""
    first_source = Source.objects.values_list("slug", flat=True).first()
    return {name: path.format(first_source=first_source) for name, path in PAGES.items()}


def expect_an_html_page(name, path, status, content_type, error=""):
    expected = STATUS.get(name, 200)
    assert status == expected, f"{path} answered {status}, expected {expected}{error}"
    assert content_type.startswith("text/html"), (
        f"{path} answered {content_type!r}, not an HTML page: there is nothing to check"
    )


# -- axe-core ------------------------------------------------------------

RUN_AXE = "options => axe.run(document, options).then(results => results.violations)"


def axe_violations(browser, url, name, context_options, axe_script):
    context = browser.new_context(**context_options)
    try:
        page = context.new_page()
        response = page.goto(url)
        content_type = response.headers.get("content-type", "")
        hint = (
            ": the live server's traceback is in the captured stderr"
            if response.status >= 500
            else ""
        )
        expect_an_html_page(name, url, response.status, content_type, hint)
        page.evaluate(axe_script)
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        return page.evaluate(RUN_AXE, options)
    finally:
        context.close()


def describe_violations(path, violations, context_options):
    size = context_options["viewport"]
    lines = [
        f"{path} at {size['width']}x{size['height']}: {len(violations)} axe-core "
        f"rule(s) violated ({', '.join(WCAG_TAGS)})"
    ]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}] {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            # A target is a list of selectors, one per frame or shadow root.
            target = " >>> ".join(str(selector) for selector in node["target"])
            lines.append(f"    {target}")
            lines.append(f"      {node['html'][:160]}")
            lines.append("      " + " ".join((node.get("failureSummary") or "").split()))
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_it_has_no_axe_violations(name, language, axe_script, site, live_url, browser):
    path = LANGUAGES[language] + site[name]
    violations = axe_violations(browser, live_url + path, name, DESKTOP, axe_script)
    if violations:
        pytest.fail(describe_violations(path, violations, DESKTOP), pytrace=False)


@pytest.mark.parametrize("language", PHONE_LANGUAGES)
@pytest.mark.parametrize("name", PHONE_PAGES)
def test_it_has_no_axe_violations_on_a_phone(name, language, axe_script, site, live_url, browser):
    path = LANGUAGES[language] + site[name]
    violations = axe_violations(browser, live_url + path, name, PHONE, axe_script)
    if violations:
        pytest.fail(describe_violations(path, violations, PHONE), pytrace=False)


# -- the Nu Html Checker ---------------------------------------------------


@dataclass
class Served:
    path: str
    status: int
    content_type: str
    error: str = ""
    messages: list = field(default_factory=list)


@pytest.fixture(scope="module")
def checked_html(site, vnu_command, tmp_path_factory):
    """Each page as served, with the Nu Html Checker's messages on its markup."""
    folder = tmp_path_factory.mktemp("served-html")
    # A page that raises fails its own test, not the others'.
    client = Client(raise_request_exception=False)
    served, files = {}, {}
    for language, prefix in LANGUAGES.items():
        for name, unprefixed in site.items():
            path = prefix + unprefixed
            response = client.get(path)
            content_type = response.get("Content-Type", "")
            error = ""
            if response.exc_info:
                error = ": " + "".join(traceback.format_exception_only(response.exc_info[1]))
            served[name, language] = Served(path, response.status_code, content_type, error)
            expected = STATUS.get(name, 200)
            if response.status_code == expected and content_type.startswith("text/html"):
                files[f"{name}-{language}.html"] = (name, language)
                (folder / f"{name}-{language}.html").write_bytes(response.content)
    if not files:
        return served
    result = subprocess.run(
        [*vnu_command, "--format", "json", "--stdout", *(str(folder / f) for f in files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"The Nu Html Checker did not report (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    for message in report["messages"]:
        # Messages name their file by URL ("file:/tmp/.../home.html").
        name = files.get(message.get("url", "").rsplit("/", 1)[-1])
        if name is None:
            pytest.fail(f"The Nu Html Checker reported on no page: {message}", pytrace=False)
        served[name].messages.append(message)
    return served


def describe_errors(name, path, errors):
    lines = [f"{path} ({name}.html): {len(errors)} error(s) from the Nu Html Checker"]
    for error in errors:
        # vnu leaves out firstLine when the error starts and ends on one line.
        last = error.get("lastLine", "?")
        first = error.get("firstLine", last)
        where = f"line {last}" if first == last else f"lines {first}-{last}"
        if "firstColumn" in error:
            where += f", columns {error['firstColumn']}-{error.get('lastColumn', '?')}"
        lines.append(f"- {where}: {error['message']}")
        if error.get("extract"):
            lines.append("    " + " ".join(error["extract"].split()))
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_it_is_valid_html(name, language, checked_html):
    page = checked_html[name, language]
    expect_an_html_page(name, page.path, page.status, page.content_type, page.error)
    errors = [m for m in page.messages if m["type"] in {"error", "non-document-error"}]
    if errors:
        pytest.fail(describe_errors(name, page.path, errors), pytrace=False)
