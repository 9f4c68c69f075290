"""Browser tests: Playwright for Python driving Debian's Chromium, and the HTML
and accessibility checks with the npm tools in node_modules/.

Tests that need the browser run when /usr/bin/chromium (or CHROMIUM_PATH) exists
and are skipped with a clear message when it does not; tests that need the Nu Html Checker
(vnu-jar, run with Java) or axe-core are skipped likewise when `npm ci` has not
installed them or there is no Java. Under CI (CI=true) a missing browser or
tool fails instead. Playwright never downloads a browser here.

Every page the browser opens runs under the site's Content-Security-Policy,
and a test fails when Chromium reports a violation of it in the console: every
context the `browser` fixture makes listens for them.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connection, connections
from django.test.testcases import LiveServerThread
from django.test.utils import modify_settings

from tests.conftest import ensure_groups

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NODE_TOOLS_HINT = "run 'make test', or 'npm ci --ignore-scripts' with Node.js and npm installed"

# Playwright's sync API runs an event loop in the test's thread; the Django
# ORM calls the tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    e2e_items = [item for item in items if str(item.fspath).startswith(here)]
    for item in e2e_items:
        item.add_marker(pytest.mark.e2e)
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if in_ci():
        raise pytest.UsageError(
            f"CI must run the browser tests, but Chromium is not at {CHROMIUM}: "
            "install Debian's package with 'apt-get install -y chromium'."
        )
    skip = pytest.mark.skip(
        reason=f"browser tests skipped: Chromium not found at {CHROMIUM} "
        "(install it with 'apt-get install -y chromium')"
    )
    # The HTML checks need no browser and still run.
    for item in e2e_items:
        if "browser" in item.fixturenames:
            item.add_marker(skip)


def missing_tool(reason):
    """Skip the test that needs a tool that is not installed; fail it under CI."""
    if in_ci():
        pytest.fail(f"CI must run this check, but {reason}", pytrace=False)
    pytest.skip(f"check skipped: {reason}")


@pytest.fixture(scope="session")
def axe_script():
    """axe-core's source, for page.evaluate(): the site's CSP would refuse it
    as an inline <script>, but not as the browser's own evaluation."""
    if not AXE_SCRIPT.is_file():
        missing_tool(f"axe-core is not installed at {AXE_SCRIPT} ({NODE_TOOLS_HINT})")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_command():
    """The command that runs the Nu Html Checker; append its options and files."""
    java = shutil.which("java")
    if java is None:
        missing_tool("there is no 'java' on PATH (apt-get install -y default-jre-headless)")
    if not VNU_JAR.is_file():
        missing_tool(f"the Nu Html Checker is not installed at {VNU_JAR} ({NODE_TOOLS_HINT})")
    return [java, "-jar", str(VNU_JAR)]


# Console messages in which Chromium reports a Content-Security-Policy violation,
# gathered from every browser context during the current test.
CSP_VIOLATIONS = []


def _record_csp_violation(message):
    if "Content Security Policy" in message.text:
        location = message.location or {}
        CSP_VIOLATIONS.append(f"{location.get('url', '?')}: {message.text}")


def fail_on_csp_violations():
    if CSP_VIOLATIONS:
        found = "\n".join(f"- {text}" for text in CSP_VIOLATIONS)
        CSP_VIOLATIONS.clear()
        pytest.fail(f"The browser reported Content-Security-Policy violations:\n{found}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    CSP_VIOLATIONS.clear()
    result = yield
    fail_on_csp_violations()
    return result


class CspWatchedBrowser:
    """Chromium, whose every new context reports CSP violations to CSP_VIOLATIONS.

    A context made with bypass_csp=True would hide them, so it is refused.
    """

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        if options.get("bypass_csp"):
            raise ValueError("browser tests run under the site's CSP: do not bypass it")
        context = self._browser.new_context(**options)
        context.on("console", _record_csp_violation)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield CspWatchedBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
    # Messages that arrived while the context closed.
    fail_on_csp_violations()


@pytest.fixture(scope="module")
def fixture_content(django_db_setup, django_db_blocker):
    """The site's fixtures, loaded once per module and committed.

    A live server's thread cannot see a test's transaction, and the
    transactional_db fixture would empty the database after every test; so the
    content is committed here, for the module's tests to share, and flushed when
    the module is done. The migrations' groups and their permissions are then
    made again, as migrations left them.
    """
    with django_db_blocker.unblock():
        # pytest-django makes test databases only when some collected test is
        # marked django_db; without one this would load into, then flush, the
        # developer's own database.
        name = str(connection.settings_dict["NAME"])
        if not (name.startswith("test_") or "memorydb" in name):
            pytest.fail(
                f"refusing to load fixtures into {name}, which is not a test database: "
                "mark the module's tests with pytest.mark.django_db",
                pytrace=False,
            )
        call_command("load_fixtures", verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)
        ensure_groups()


@pytest.fixture(scope="module")
def live_url(fixture_content):
    """A live server for the module, serving the committed fixture content.

    Not pytest-django's live_server: once a test has used that fixture, its
    helper flushes the database after every later test of the module, which
    would throw away the content loaded once for them all.
    """
    shared = {}
    for conn in connections.all():
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            # An in-memory database exists only in this connection: lend it.
            conn.inc_thread_sharing()
            shared[conn.alias] = conn
    server = LiveServerThread("localhost", StaticFilesHandler, connections_override=shared, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
            yield f"http://localhost:{server.port}"
    finally:
        server.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()
