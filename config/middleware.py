"""What keeps the site answering sensibly when the outside world misbehaves:
the load balancer's health probe, a database that is down or restarting, and
the client's address behind proxies (for the sign-in lockout)."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"

# Seconds a client is asked to wait before trying again while the database is away.
RETRY_AFTER = 30

# The errors of a database that cannot be reached or lost its connection. Django
# wraps the driver's errors in its own classes; psycopg's are listed too for
# code that talks to the driver directly.
OUTAGE_ERRORS = (OperationalError, InterfaceError)
try:
    import psycopg
except ImportError:  # pragma: no cover - psycopg is a dependency
    pass
else:
    OUTAGE_ERRORS += (psycopg.OperationalError, psycopg.InterfaceError)

# Caches that live in the app server's own memory cannot be down.
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz for load balancers: 200 when the database
    answers `SELECT 1` (and a shared cache, if one is configured, a set and a
    get), 503 when not, as JSON.

    It answers before anything reads the Host header, so a probe that sends an
    address or a name outside DJANGO_ALLOWED_HOSTS still gets its answer; and
    SECURE_REDIRECT_EXEMPT keeps SecurityMiddleware from redirecting it to
    HTTPS. It reveals nothing but "ok" or which dependency failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        checks = {"database": _database_status()}
        cache_status = _cache_status()
        if cache_status is not None:
            checks["cache"] = cache_status
        healthy = all(status == "ok" for status in checks.values())
        response = JsonResponse(
            {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
        )
        add_never_cache_headers(response)
        return response


def _database_status():
    try:
        for connection in connections.all():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.warning("Health check: the database does not answer: %s", exc)
        return "unreachable"
    return "ok"


def _cache_status():
    """None for a cache in the process's own memory, else "ok" or "unreachable"."""
    if settings.CACHES["default"]["BACKEND"] in LOCAL_CACHES:
        return None
    try:
        cache = caches["default"]
        cache.set("healthz", "ok", 10)
        if cache.get("healthz") != "ok":
            raise RuntimeError("a value just set was not read back")
    except Exception as exc:  # any client library's own errors
        logger.warning("Health check: the cache does not answer: %s", exc)
        return "unreachable"
    return "ok"


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is down, restarting or out of
    connections answers the site's 503 page with Retry-After instead of a 500.

    Only the errors of an unreachable database are caught (OUTAGE_ERRORS);
    every other error goes on to Django's 500 handling. Nothing needs to be
    restarted when the database returns: Django drops a connection that failed
    at the end of the request (close_old_connections), and CONN_HEALTH_CHECKS
    tests a kept one before reusing it, so the next request connects afresh.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OUTAGE_ERRORS):
            return None
        logger.error("Database unavailable, answered 503 for %s: %s", request.path, exception)
        return database_unavailable()


def database_unavailable():
    # Rendered without the request: the page needs neither the database nor
    # the user, whose session is in the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def client_ip(request):
    """The client's address for django-axes: REMOTE_ADDR, or behind
    DJANGO_TRUSTED_PROXIES proxies that each append the address they saw to
    X-Forwarded-For, the address the outermost of them saw. Entries further
    left were written by the client and are not trusted."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
