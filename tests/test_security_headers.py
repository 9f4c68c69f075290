"""Security headers on every response: a strict Content-Security-Policy
(django-csp), a Permissions-Policy that turns off what the site never uses,
HSTS as the environment sets it; no page, the admin's included, with inline
script or style; `check --deploy` clean with the documented production
environment."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from .conftest import make_user
from .test_settings import STRONG_KEY, production, started

pytestmark = pytest.mark.django_db

# A response from each part of the site: pages, lists, errors, the admin, the
# probe, an export.
RESPONSES = [
    "/",
    "/partners/",
    "/agreements/?format=csv",
    "/search/?q=x",
    "/no/such/page/",
    "/admin/login/",
    "/healthz",
]
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.mark.parametrize("path", RESPONSES)
def test_it_sends_the_strict_policy_on_every_response(client, path):
    response = client.get(path)

    assert policy(response) == CSP_DIRECTIVES
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", RESPONSES)
def test_it_turns_off_browser_features_the_site_never_uses(client, path):
    response = client.get(path)

    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "fullscreen"]:
        assert features[feature] == "()"


def test_it_forbids_framing_and_sniffing(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_sends_the_policy_with_a_signed_in_editor(client):
    client.force_login(make_user("editor", groups=["Editors"]))

    response = client.get("/admin/partnerships/agreement/add/")

    assert response.status_code == 200
    assert policy(response) == CSP_DIRECTIVES


# -- HSTS ------------------------------------------------------------------------------------


@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
def test_it_sends_hsts_over_https(client):
    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_it_turns_hsts_on_in_production_by_default():
    values = started(**production(DJANGO_SECRET_KEY=STRONG_KEY))

    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False


def test_it_reads_hsts_from_the_environment():
    values = started(
        **production(
            DJANGO_SECRET_KEY=STRONG_KEY,
            DJANGO_SECURE_HSTS_SECONDS="600",
            DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
            DJANGO_SECURE_HSTS_PRELOAD="true",
        )
    )

    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is True


def test_it_passes_the_deployment_checks_with_the_documented_environment():
    """.env.example is the production environment the README documents."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV_FILE": str(settings.BASE_DIR / ".env.example"),
        # The one value the example leaves for the operator to fill in.
        "DJANGO_SECRET_KEY": STRONG_KEY,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_it_refuses_the_documented_environment_until_a_secret_key_is_filled_in():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV_FILE": str(settings.BASE_DIR / ".env.example"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is missing or weak" in result.stderr


# -- no inline script or style on any page -------------------------------------------


class _InlineFinder(HTMLParser):
    """Links to follow, and what a strict CSP would refuse: inline <script>,
    <style>, style="" and on…="" attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.inline = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.inline.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.inline.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.inline.append(f'<{tag} {name}="{value}"> at line {self.getpos()[0]}')
            if name in {"href", "src", "action"} and (value or "").startswith("javascript:"):
                self.inline.append(f'<{tag} {name}="{value}"> at line {self.getpos()[0]}')
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def page_kind(path):
    """Pages of one kind are checked once: one change form per model, one
    partner page, and so on."""
    path = re.sub(r"\d+", "N", path)
    if path.startswith("/admin/"):
        return path
    parts = [part for part in path.split("/") if part]
    return (parts[0] if parts else "", len(parts))


# Not pages to read: they sign out, only answer POSTs, or choose another language
# (which would send the rest of the crawl to /fr/…).
SKIP = re.compile(r"^/admin/logout/|/review/$|\?format=|^/language/")


def crawl(client, start, limit=400):
    seen, queue, report = set(), [start], {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        kind = page_kind(path)
        if kind in seen or SKIP.search(url):
            continue
        seen.add(kind)
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        finder = _InlineFinder()
        finder.feed(response.content.decode())
        report[url] = finder.inline
        for link in finder.links:
            target = urljoin(url, link)
            if target.startswith("/") and target.split("#")[0] and "//" not in target:
                queue.append(target.split("#")[0])
    return report


@pytest.fixture
def site_content():
    call_command("load_fixtures", stdout=StringIO())


def test_it_serves_no_inline_script_or_style_on_any_public_page(client, site_content):
    report = crawl(client, "/")

    assert len(report) > 15
    assert {url: found for url, found in report.items() if found} == {}


def test_it_serves_no_inline_script_or_style_on_any_admin_page(client, site_content):
    client.force_login(make_user("root", is_superuser=True))

    report = crawl(client, "/admin/")

    # Every model's list, and forms to add and change, history included.
    assert "/admin/partnerships/agreement/" in report
    assert "/admin/axes/accessattempt/" in report
    assert any(re.search(r"/admin/partnerships/agreement/\d+/history/", url) for url in report)
    assert any(re.search(r"/admin/sources/citation/\d+/change/", url) for url in report)
    assert "/admin/auth/user/add/" in report
    assert len(report) > 40
    assert {url: found for url, found in report.items() if found} == {}
