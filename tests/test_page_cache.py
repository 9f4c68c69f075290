"""The shared page cache, HTTP validators and compression (config/page_cache.py).

Anonymous pages are served from the cache until any save anywhere; each
carries a weak ETag and Last-Modified, and a conditional request that still
matches gets 304 before any view runs. Signed-in people are never served from
it nor stored in it. The last test runs two app servers sharing PostgreSQL and
Redis: an edit through one is seen through the other on the next request.
"""

import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils.http import http_date

from config import page_cache
from partnerships.history.entry import EntryHistory
from partnerships.history.models import Change, ReviewMark
from partnerships.history.registry import entry_types
from partnerships.history.saves import recording
from partnerships.models import Agreement

from .conftest import make_agreement, make_partner, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    response.queries = len(queries)
    return response


def test_an_anonymous_page_is_served_from_the_cache_until_any_save(client):
    make_partner(name="Spain", slug="spain")
    first = get(client, "/partners/")
    assert first.status_code == 200 and b"Spain" in first.content
    again = get(client, "/partners/")
    assert again.content == first.content
    # Only the site's version is read: one query, however large the page.
    assert again.queries == 1 < first.queries

    make_partner(name="Portugal", slug="portugal")
    after = get(client, "/partners/")
    assert b"Portugal" in after.content


def test_a_save_of_any_type_makes_every_page_stale_at_once(client):
    partner = make_partner(name="Spain", slug="spain")
    for url in ("/", "/partners/spain/", "/agreements/", "/changes/", "/timeline/"):
        assert get(client, url).status_code == 200
    make_agreement(parties=[partner], title="Fisheries accord")
    for url in ("/", "/partners/spain/", "/agreements/", "/changes/"):
        assert b"Fisheries accord" in get(client, url).content, url


def test_pages_carry_validators_and_cache_control_for_a_cdn(client):
    make_partner()
    response = get(client, "/partners/")
    assert re.fullmatch(r'W/"[0-9a-f]{24}"', response["ETag"])
    latest = Change.objects.latest("date").date
    assert response["Last-Modified"] == http_date(latest.timestamp())
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Cookie" in response["Vary"]


def test_a_cdn_may_keep_pages_longer_when_told(client, settings):
    settings.CDN_MAX_AGE = 60
    assert get(client, "/partners/")["Cache-Control"] == "public, max-age=0, s-maxage=60"


def test_a_matching_conditional_request_gets_304_without_running_the_view(client):
    make_partner()
    first = get(client, "/partners/")
    by_etag = get(client, "/partners/", if_none_match=first["ETag"])
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag.queries == 1
    assert by_etag["ETag"] == first["ETag"]
    by_date = get(client, "/partners/", if_modified_since=first["Last-Modified"])
    assert by_date.status_code == 304
    # Another address, another ETag.
    other = get(client, "/partners/?kind=country", if_none_match=first["ETag"])
    assert other.status_code == 200 and other["ETag"] != first["ETag"]


def test_the_feed_answers_304_while_nothing_changed(client):
    make_partner()
    feed = get(client, "/changes/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert get(client, "/changes/feed/", if_none_match=feed["ETag"]).status_code == 304
    again = get(client, "/changes/feed/", if_modified_since=feed["Last-Modified"])
    assert again.status_code == 304


def test_after_a_save_an_old_validator_gets_the_new_page(client):
    make_partner()
    first = get(client, "/partners/")
    make_partner(name="Portugal")
    response = get(client, "/partners/", if_none_match=first["ETag"])
    assert response.status_code == 200 and b"Portugal" in response.content
    assert response["ETag"] != first["ETag"]


def test_a_review_mark_is_a_change_too(client, reviewer):
    make_partner()
    queue = get(client, "/changes/?reviewed=no")
    assert b"No changes" not in queue.content
    for change in Change.objects.all():
        ReviewMark.objects.create(change=change, reviewer=reviewer)
    assert get(client, "/changes/?reviewed=no").content != queue.content


def test_signed_in_people_are_neither_served_from_nor_stored_in_the_cache(client, reviewer):
    make_partner()
    anonymous = get(client, "/changes/")
    client.force_login(reviewer)
    signed_in = get(client, "/changes/", accept_encoding="gzip")
    assert signed_in.status_code == 200
    assert signed_in.content != anonymous.content  # the review buttons
    assert b"csrfmiddlewaretoken" in signed_in.content
    assert "ETag" not in signed_in
    assert "private" in signed_in["Cache-Control"] and "no-store" in signed_in["Cache-Control"]
    assert "Cookie" in signed_in["Vary"]
    assert "Content-Encoding" not in signed_in  # a page with a CSRF token is never compressed
    client.logout()
    again = get(client, "/changes/")
    assert b"csrfmiddlewaretoken" not in again.content
    assert again.content == anonymous.content


def test_anonymous_pages_are_compressed_for_clients_that_accept_it(client):
    make_partner()
    plain = get(client, "/partners/")
    packed = get(client, "/partners/", accept_encoding="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
    assert "Accept-Encoding" in packed["Vary"]
    assert "Content-Encoding" not in plain


# -- compression and BREACH ----------------------------------------------------------
# A compressed page's length leaks how well a secret in it compresses with text an
# attacker can put beside it (a search term in the address): BREACH. Only pages
# holding no secret, the anonymous ones, are compressed; anything that carries a
# CSRF token (a signed-in reader's page, the admin, a review form) or sets a cookie
# goes out as it is.

GZIP = {"accept_encoding": "gzip, deflate, br"}


def csrf_form(request):
    """A page an anonymous reader gets with a CSRF token (as any public form would)."""
    return HttpResponse(
        Template("<form method=post>{% csrf_token %}</form>" + "x" * 500).render(
            RequestContext(request)
        )
    )


urlpatterns = [path("form/", csrf_form)]


@pytest.mark.parametrize(
    "url", ["/", "/agreements/", "/timeline/", "/changes/feed/", "/fr/agreements/", "/ar/"]
)
def test_every_kind_of_anonymous_page_is_compressed(client, url):
    make_agreement(parties=[make_partner()])
    packed = get(client, url, **GZIP)
    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert b"csrfmiddlewaretoken" not in gzip.decompress(packed.content)
    assert not packed.cookies


def test_a_reviewers_pages_with_review_forms_are_never_compressed(client, reviewer):
    agreement = make_agreement(parties=[make_partner()])
    entry_type = entry_types.for_model(Agreement)
    token = EntryHistory(entry_type, agreement.pk).saves[-1].token
    compare = entry_type.history_url(agreement.slug, "entry-compare") + f"?to={token}"
    client.force_login(reviewer)
    for url in ("/changes/", compare, entry_type.history_url(agreement.slug)):
        response = get(client, url, **GZIP)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url
    assert b"csrfmiddlewaretoken" in get(client, compare, **GZIP).content  # the review form


@pytest.mark.parametrize("prefix", ["", "/fr", "/ar"])
def test_the_admin_is_never_compressed(client, superuser, prefix):
    login = get(client, f"{prefix}/admin/login/", **GZIP)  # anonymous, with a CSRF token
    assert b"csrfmiddlewaretoken" in login.content
    assert "Content-Encoding" not in login
    assert "ETag" not in login  # nor cached
    client.force_login(superuser)
    for url in (f"{prefix}/admin/", f"{prefix}/admin/partnerships/agreement/"):
        response = get(client, url, **GZIP)
        assert response.status_code == 200 and b"csrfmiddlewaretoken" in response.content
        assert "Content-Encoding" not in response, url


def test_a_stale_session_cookie_is_enough_to_go_uncompressed(client):
    make_partner()
    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-forged"
    response = get(client, "/partners/", **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response


@pytest.mark.urls(__name__)
def test_an_anonymous_page_that_hands_out_a_csrf_token_is_not_compressed(client):
    response = get(client, "/form/", **GZIP)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert "Content-Encoding" not in response
    assert "ETag" not in response  # nor cached for anyone else


def test_head_gets_the_headers_without_the_body(client):
    make_partner()
    response = client.head("/partners/")
    assert response.status_code == 200 and response.content == b""
    assert response["ETag"]


@pytest.mark.parametrize("url", ["/agreements/?page=abc", "/partners/no-such-partner/"])
def test_errors_are_not_cached(client, url):
    response = get(client, url)
    assert response.status_code in (400, 404)
    assert "ETag" not in response
    assert "no-cache" in response["Cache-Control"]


def test_with_the_page_cache_off_pages_still_carry_validators(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_partner()
    first = get(client, "/partners/")
    again = get(client, "/partners/")
    assert again.queries == first.queries > 1  # rendered each time
    assert get(client, "/partners/", if_none_match=first["ETag"]).status_code == 304


def test_the_admin_is_never_cached(superuser_client):
    response = superuser_client.get("/admin/")
    assert "ETag" not in response
    assert "no-cache" in response["Cache-Control"]


# -- the shared cache (Redis) ---------------------------------------------------------


def _redis_or_skip():
    address = urllib.parse.urlsplit(REDIS_URL)
    try:
        socket.create_connection((address.hostname, address.port or 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}: start redis-server to test the shared cache")


@pytest.fixture
def shared_cache(settings):
    _redis_or_skip()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    yield
    cache.clear()


def test_in_a_shared_cache_a_hit_reads_no_database(client, shared_cache):
    make_partner()
    get(client, "/partners/")
    assert get(client, "/partners/").queries == 0


def test_in_a_shared_cache_a_committed_save_replaces_the_version(
    client, shared_cache, django_capture_on_commit_callbacks
):
    make_partner()
    before = page_cache.site_version()
    get(client, "/partners/")
    with django_capture_on_commit_callbacks(execute=True):
        make_partner(name="Portugal")
    after = page_cache.site_version()
    assert after["token"] != before["token"]
    assert b"Portugal" in get(client, "/partners/").content


def test_a_sign_in_record_changes_no_page(shared_cache, django_capture_on_commit_callbacks):
    from django.contrib.sessions.backends.db import SessionStore

    before = page_cache.site_version()
    with django_capture_on_commit_callbacks(execute=True):
        SessionStore().create()
    assert page_cache.site_version() == before


def test_when_the_shared_cache_is_down_pages_are_made_afresh(
    client, settings, caplog, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        make_partner(name="Spain")
    response = get(client, "/partners/")
    assert response.status_code == 200 and b"Spain" in response.content
    assert "ETag" not in response
    assert "shared cache does not answer" in caplog.text


# -- two app servers ------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port, process):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the app server stopped: {process.stdout.read()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the app server did not start in 30 s")


class Browser:
    """Just enough of a browser: cookies, and the CSRF token from the last form."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path, data, referer):
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode(),
            headers={"Referer": self.base + referer},
        )
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_an_edit_through_one_app_server_is_seen_through_the_other(shared_cache):
    """Two gunicorn processes, one PostgreSQL database, one Redis."""
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.skip("run by the suite's PostgreSQL pass (CI runs both)")
        pytest.skip(
            "two app servers share a PostgreSQL database: run with DATABASE_URL=postgres://…"
        )
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn, "gunicorn is a dependency of the project"
    reviewer = make_user("two-servers", groups=["Reviewers"])
    reviewer.set_password("a long password for two servers")
    reviewer.save()
    with recording(user=reviewer, summary="A partner to review"):
        make_partner(name="Atlantis", slug="atlantis")

    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "DJANGO_DEBUG": "true",
        "PAGE_CACHE": "true",
        "PAGE_CACHE_SECONDS": "600",
    }
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [gunicorn, "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env={**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_for(port, server)
        one, other = Browser(ports[0]), Browser(ports[1])
        queue = "/changes/?reviewed=no"
        # Both servers have the queue cached, with Atlantis waiting.
        for browser in (one, other, one, other):
            assert "Atlantis" in browser.get(queue)

        # The reviewer signs in through the first server and marks the save reviewed.
        one.get("/admin/login/")
        one.post(
            "/admin/login/?next=/changes/",
            {"username": "two-servers", "password": "a long password for two servers"},
            "/admin/login/",
        )
        page = one.get(queue)
        action = re.search(r'<form[^>]+action="([^"]+/review/)"', page)
        assert action, "the reviewer sees a review button"
        one.post(action.group(1).replace("&amp;", "&"), {"next": queue}, queue)

        # An anonymous reader of the other server sees it on the next request.
        anonymous = Browser(ports[1])
        assert "Atlantis" not in anonymous.get(queue)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
