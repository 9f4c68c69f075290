"""GET /healthz: what a load balancer's probe gets, over plain HTTP, with any
Host header, with the database (and a shared cache) up or down."""

import pytest
from django.core.cache.backends.base import BaseCache
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db

PRODUCTION = {"DEBUG": False, "SECURE_SSL_REDIRECT": True, "ALLOWED_HOSTS": ["wiki.example.org"]}


class BrokenCache(BaseCache):
    """A shared cache whose server does not answer."""

    def __init__(self, location, params):
        super().__init__(params)

    def set(self, *args, **kwargs):
        raise ConnectionError("Connection refused")

    def get(self, *args, **kwargs):
        raise ConnectionError("Connection refused")


class Unreachable:
    """Stands in for django.db.connections while the database is down."""

    def all(self):
        return [self]

    def cursor(self):
        raise OperationalError("connection refused")


def test_it_answers_ok_with_the_database_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_it_answers_503_with_the_database_down(client, monkeypatch):
    monkeypatch.setattr("config.middleware.connections", Unreachable())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    assert "no-store" in response["Cache-Control"]


@override_settings(**PRODUCTION)
def test_it_answers_a_plain_http_probe_without_redirecting_it(client):
    # Every other address is redirected to HTTPS.
    assert client.get("/", HTTP_HOST="wiki.example.org").status_code == 301

    response = client.get("/healthz", HTTP_HOST="wiki.example.org")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert "Location" not in response


@override_settings(**PRODUCTION)
@pytest.mark.parametrize("host", ["10.0.3.17:8000", "10.0.3.17", "localhost", "not a host!"])
def test_it_answers_a_probe_with_any_host_header(client, host):
    # The same Host header anywhere else is refused.
    assert client.get("/", HTTP_HOST=host, secure=True).status_code == 400

    response = client.get("/healthz", HTTP_HOST=host)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@override_settings(**PRODUCTION)
def test_it_answers_503_over_plain_http_with_the_database_down(client, monkeypatch):
    monkeypatch.setattr("config.middleware.connections", Unreachable())

    response = client.get("/healthz", HTTP_HOST="10.0.3.17:8000")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_it_answers_a_head_request(client):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response.content == b""


def test_it_refuses_other_methods(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_it_carries_the_security_headers(client):
    response = client.get("/healthz")

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_it_reports_a_shared_cache_that_answers(client, tmp_path):
    cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    with override_settings(CACHES={"default": {**cache, "LOCATION": str(tmp_path)}}):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_it_answers_503_when_the_shared_cache_does_not_answer(client):
    with override_settings(CACHES={"default": {"BACKEND": "tests.test_health.BrokenCache"}}):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unreachable"}
