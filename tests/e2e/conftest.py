"""Browser tests: Playwright for Python driving Debian's Chromium.

They run when /usr/bin/chromium exists and are skipped with a clear message
when it does not, except under CI (CI=true), where a missing browser fails.
Playwright never downloads a browser here.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test's thread; the Django
# ORM calls the tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    e2e_items = [item for item in items if str(item.fspath).startswith(here)]
    for item in e2e_items:
        item.add_marker(pytest.mark.e2e)
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        raise pytest.UsageError(
            f"CI must run the browser tests, but Chromium is not at {CHROMIUM}: "
            "install Debian's package with 'apt-get install -y chromium'."
        )
    skip = pytest.mark.skip(
        reason=f"browser tests skipped: Chromium not found at {CHROMIUM} "
        "(install it with 'apt-get install -y chromium')"
    )
    for item in e2e_items:
        item.add_marker(skip)


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
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
