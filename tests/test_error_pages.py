"""The site's own 400, 403, 404 and 500 pages, rendered without a database, and
the 503 page a database outage gives instead of a 500, from which the site
recovers by itself when the database returns.

This module is also the URL configuration of the tests that need a failing
view (pytest.mark.urls): the site's own URLs, plus /fail/<what>/.
"""

import socket

import psycopg
import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.handlers.wsgi import WSGIHandler
from django.db import IntegrityError, OperationalError, ProgrammingError, connection
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import path
from django.views import defaults

from config.urls import urlpatterns as site_urlpatterns

from .conftest import make_partner, page_text

FAILURES = {
    "outage": OperationalError("could not connect to server: Connection refused"),
    "psycopg-outage": psycopg.OperationalError("server closed the connection unexpectedly"),
    "bug": ValueError("a bug"),
    "integrity": IntegrityError("duplicate key value violates unique constraint"),
    "programming": ProgrammingError("relation does not exist"),
}


def fail(request, what):
    raise FAILURES[what]


urlpatterns = [path("fail/<str:what>/", fail), *site_urlpatterns]

SITE_NAME = "Morocco defense partnerships wiki"


def assert_in_site_layout(response, heading):
    html = response.content.decode()
    text = page_text(response)
    assert f"<h1>{heading}</h1>" in html
    assert SITE_NAME in text
    assert 'href="/static/css/site.css"' in html
    assert 'aria-label="Main"' in html
    assert "style=" not in html
    assert "<script" not in html


# -- rendered without a database ----------------------------------------------------
# No django_db mark: a query would fail the test.


@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (lambda request: defaults.bad_request(request, SuspiciousOperation()), 400, "Bad request"),
        (
            lambda request: defaults.permission_denied(request, PermissionDenied()),
            403,
            "Not allowed",
        ),
        (lambda request: defaults.page_not_found(request, Http404()), 404, "Page not found"),
        (defaults.server_error, 500, "Something went wrong"),
    ],
    ids=["400", "403", "404", "500"],
)
def test_it_renders_each_error_page_in_the_site_layout_without_a_database(
    handler, status, heading
):
    request = RequestFactory().get("/somewhere/")

    response = handler(request)

    assert response.status_code == status
    assert_in_site_layout(response, heading)


# -- served by the site ----------------------------------------------------------------


@pytest.mark.django_db
def test_it_answers_an_unknown_address_with_its_404_page(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert_in_site_layout(response, "Page not found")
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_it_answers_a_host_it_does_not_serve_with_its_400_page(client):
    response = client.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert_in_site_layout(response, "Bad request")


@pytest.mark.django_db
def test_it_answers_a_forged_form_with_its_own_403_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/admin/login/", {"username": "admin", "password": "guess"})

    assert response.status_code == 403
    assert_in_site_layout(response, "Form expired")
    assert "send the form again, with cookies allowed" in page_text(response)


@pytest.mark.urls(__name__)
def test_it_answers_a_bug_with_its_500_page():
    client = Client(raise_request_exception=False)

    response = client.get("/fail/bug/")

    assert response.status_code == 500
    assert_in_site_layout(response, "Something went wrong")
    assert "Retry-After" not in response


# -- a database outage ------------------------------------------------------------------


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("what", ["outage", "psycopg-outage"])
def test_it_answers_a_database_outage_with_503_and_retry_after(what):
    client = Client(raise_request_exception=False)

    response = client.get(f"/fail/{what}/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert_in_site_layout(response, "Temporarily unavailable")
    assert "Nothing you saved is lost" in page_text(response)
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("what", ["bug", "integrity", "programming"])
def test_it_leaves_every_other_error_to_the_500_page(what):
    client = Client(raise_request_exception=False)

    response = client.get(f"/fail/{what}/")

    assert response.status_code == 500
    assert isinstance(response.exc_info[1], type(FAILURES[what]))
    assert "Retry-After" not in response


# -- recovery, through the WSGI handler as gunicorn calls it ----------------------------


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wsgi_get(handler, path):
    """GET `path` as a WSGI server does, request_started and request_finished
    included: Django's test client leaves out the connection handling under test."""
    environ = RequestFactory().get(path).environ
    result = {}

    def start_response(status, headers):
        result["status"] = int(status.split()[0])
        result["headers"] = dict(headers)

    response = handler(environ, start_response)
    try:
        result["body"] = b"".join(response).decode()
    finally:
        response.close()
    return result


def terminate_backend(port):
    """What a PostgreSQL restart does to the app's open connection."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"] or None,
        port=port or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )
    with other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="an outage of a database server is tried on PostgreSQL only: run with "
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/wiki (any database name)",
)
def test_it_answers_503_while_the_database_is_away_and_recovers_without_a_restart(
    transactional_db,
):
    make_partner(name="Freedonia", slug="freedonia")
    handler = WSGIHandler()
    assert wsgi_get(handler, "/partners/freedonia/")["status"] == 200
    assert connection.connection is not None, "the connection is kept between requests"

    # The server restarts between two requests: the kept connection is dead,
    # and the health check replaces it before the next request uses it.
    port = connection.settings_dict["PORT"]
    terminate_backend(port)
    assert wsgi_get(handler, "/partners/freedonia/")["status"] == 200

    # The server goes away: the app now points at a port nobody listens on.
    connection.settings_dict["PORT"] = closed_port()
    try:
        terminate_backend(port)
        down = wsgi_get(handler, "/partners/freedonia/")
        probe = wsgi_get(handler, "/healthz")
        again = wsgi_get(handler, "/partners/")
    finally:
        connection.settings_dict["PORT"] = port

    assert down["status"] == 503
    assert down["headers"]["Retry-After"] == "30"
    assert "Temporarily unavailable" in down["body"]
    assert probe["status"] == 503
    assert '"database": "unreachable"' in probe["body"]
    assert again["status"] == 503

    # The server is back: the same handler answers, nothing restarted.
    back = wsgi_get(handler, "/partners/freedonia/")
    assert back["status"] == 200
    assert "Freedonia" in back["body"]
    assert wsgi_get(handler, "/healthz")["status"] == 200
