"""The shared page cache and HTTP validators for anonymous readers.

Every page a reader can see is a function of three things: its address, the
wiki's content and the code that draws it. So:

- **The site's version** names the content: a token that every write anywhere
  replaces (a signal on every model's save and delete, and on many-to-many
  changes; commands that write in bulk call `content_changed()` themselves),
  and the time of the latest change, read from the change log. It lives in
  the shared cache, so a save through one app server is seen by every other
  on its next request. Where the cache is one process's own memory (no
  `REDIS_URL`), it is read from the database on each request instead: a
  save in another process could not reach that memory.
- **A page's key** is its method, address, version and the code's release
  (`RELEASE`, see the settings), so a stale page is never found again after
  any save: every page goes stale at once, without a list of which depend on
  what. Old entries age out of the cache by themselves (`PAGE_CACHE_SECONDS`).
- **Validators**: each anonymous response carries a weak ETag made of the
  same parts and the version's Last-Modified; a conditional request that still
  matches gets 304 before any view runs. `Cache-Control` lets a CDN keep the
  page but ask again each time (`CDN_MAX_AGE` lets it keep it longer).

Signed-in editors and reviewers are never served from the cache, never stored
in it, and their pages say `private`; every page varies on the cookie, so no
shared cache can mix the two. Only anonymous pages are compressed: a signed-in
page holds a CSRF token, which compression must not be allowed to leak
(BREACH).
"""

import datetime
import gzip
import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

logger = logging.getLogger(__name__)

VERSION_KEY = "site-version"
PAGE_PREFIX = "page"
# Writes that change no page: sign-in records and sessions.
UNSEEN_MODELS = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "admin.logentry",
}
COMPRESSIBLE = ("text/html", "application/atom+xml", "application/json", "text/csv", "text/")
MIN_COMPRESSED_LENGTH = 200
# gzip level 4: a 41 KB source page in 0.38 ms and 10.2 KB, against 0.81 ms and
# 9.6 KB at the usual 6 (level 1: 0.17 ms, 12.3 KB). A page is compressed once
# and kept so; a CDN in front may compress harder.
COMPRESS_LEVEL = 4


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


class CacheUnavailable(Exception):
    """The shared cache did not answer: pages are then made afresh, never a 500."""


def _call(method, *args, **kwargs):
    """A call to the shared cache; any client error becomes CacheUnavailable (logged once
    per request by the middleware)."""
    try:
        return getattr(_cache(), method)(*args, **kwargs)
    except Exception as exc:  # the Redis client's own errors, connection refused, timeouts
        raise CacheUnavailable(str(exc)) from exc


def _shared():
    """Whether the page cache is seen by every process (Redis) or only this one."""
    return not isinstance(_cache(), LocMemCache)


# -- the site's version ------------------------------------------------------------


def _from_change_log():
    """The version as the database holds it: the latest save and the latest review."""
    from partnerships.history.models import Change, ReviewMark

    # One round trip, each part an index's last entry: the latest save by date
    # (change_date_idx) and the latest review mark by id (its primary key; a
    # mark is dated when it is made).
    quote = connection.ops.quote_name
    changes, marks = quote(Change._meta.db_table), quote(ReviewMark._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {changes}), (SELECT MAX({quote('date')}) FROM {changes}),"
            f" (SELECT id FROM {marks} ORDER BY id DESC LIMIT 1),"
            f" (SELECT reviewed_at FROM {marks} ORDER BY id DESC LIMIT 1)"
        )
        change_id, change_date, mark_id, mark_date = cursor.fetchone()
    latest = {"id": change_id, "date": _aware(change_date), "mark_id": mark_id}
    latest["mark_date"] = _aware(mark_date)
    dates = [date for date in (latest["date"], latest["mark_date"]) if date is not None]
    modified = max(dates).timestamp() if dates else 0.0
    token = f"log-{latest['id'] or 0}-{latest['mark_id'] or 0}"
    return {"token": token, "modified": int(modified)}


def _aware(value):
    """A datetime as SQLite's raw cursor returns it (text) or PostgreSQL's (aware)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def site_version():
    """{"token": …, "modified": seconds since the epoch}: what every page of this moment shares."""
    if not _shared():
        return _from_change_log()
    version = _call("get", VERSION_KEY)
    if version is None:
        version = _from_change_log()
        # add(), not set(): a write racing this read keeps its newer token.
        _call("add", VERSION_KEY, version, timeout=None)
        version = _call("get", VERSION_KEY) or version
    return version


def content_changed(**kwargs):
    """Every cached page is stale from now on (called after any write commits).

    Only the shared cache keeps a version to replace; a process-local cache
    reads it from the change log on each request.
    """
    if _shared():
        version = {"token": uuid.uuid4().hex, "modified": int(time.time())}
        try:
            _call("set", VERSION_KEY, version, timeout=None)
        except CacheUnavailable as exc:
            # Pages cached before the outage may be served until they expire
            # (PAGE_CACHE_SECONDS) once the cache is back, unless it lost them.
            logger.error("The shared cache missed a change, pages may be stale: %s", exc)


def _written(sender, **kwargs):
    if sender._meta.label_lower in UNSEEN_MODELS:
        return
    # After the commit: readers must not cache the content as it was before
    # the commit under the new token. Each row saved asks once (an entry with
    # its parties and citations, a few times): a Redis write each, no more.
    transaction.on_commit(content_changed, robust=True)


def connect_signals():
    post_save.connect(_written, dispatch_uid="page-cache-save")
    post_delete.connect(_written, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_written, dispatch_uid="page-cache-m2m")
    post_migrate.connect(content_changed, dispatch_uid="page-cache-migrate")


# -- the middleware ---------------------------------------------------------------


def is_anonymous(request):
    """No session (so nobody signed in) and no flash messages waiting."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _page_key(request, version):
    address = request.get_full_path()
    digest = hashlib.sha256(f"{settings.RELEASE}|{address}".encode()).hexdigest()[:32]
    return f"{PAGE_PREFIX}:{version['token']}:{digest}"


def _etag(key):
    return f'W/"{hashlib.sha256(key.encode()).hexdigest()[:24]}"'


class PageCacheMiddleware:
    """Serves anonymous GET and HEAD requests from the shared cache, with 304s.

    Sits after the security, CSP and static-file middleware (every response
    still carries their headers) and before the session, CSRF and
    authentication middleware, which a cached page does not need.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") or request.path.startswith(
            settings.PAGE_CACHE_EXEMPT_PREFIXES
        ):
            return self.get_response(request)
        if not is_anonymous(request):
            response = self.get_response(request)
            return self._private(response)

        try:
            version = site_version()
        except CacheUnavailable as exc:
            logger.warning("The shared cache does not answer; pages are made afresh: %s", exc)
            return self._private(self.get_response(request))
        key = _page_key(request, version)
        etag = _etag(key)
        if self._still_fresh(request, etag, version):
            return self._not_modified(etag, version)
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        if settings.PAGE_CACHE_SECONDS:
            stored = self._read(key)
            if stored is not None:
                return self._from_store(request, stored, gzipped, etag, version)

        response = self.get_response(request)
        if not self._cacheable(response):
            if response.has_header("Cache-Control"):
                return response
            return self._private(response)
        self._validate(response, etag, version)
        if response.streaming:
            return response
        stored = self._stored(response)
        if settings.PAGE_CACHE_SECONDS:
            self._write(key, stored)
        return self._from_store(request, stored, gzipped, etag, version)

    def _read(self, key):
        try:
            return _call("get", key)
        except CacheUnavailable as exc:
            logger.warning("The shared cache does not answer: %s", exc)
            return None

    def _write(self, key, stored):
        try:
            _call("set", key, stored, timeout=settings.PAGE_CACHE_SECONDS)
        except CacheUnavailable as exc:
            logger.warning("The shared cache does not answer: %s", exc)

    # What may be stored, and compressed: a whole 200 for everyone, nothing personal.
    # A response that sets a cookie (a CSRF token's, handed to an anonymous reader
    # by a form) is neither: its body may hold the token (BREACH).
    def _cacheable(self, response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    def _still_fresh(self, request, etag, version):
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in parse_etags(if_none_match) or "*" in parse_etags(if_none_match)
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return since is not None and version["modified"] and version["modified"] <= since

    def _validate(self, response, etag, version):
        response["ETag"] = etag
        if version["modified"]:
            response["Last-Modified"] = http_date(version["modified"])
        max_age = settings.CDN_MAX_AGE
        response["Cache-Control"] = (
            f"public, max-age=0, s-maxage={max_age}"
            if max_age
            else "public, max-age=0, must-revalidate"
        )
        patch_vary_headers(response, ["Cookie"])

    def _not_modified(self, etag, version):
        from django.http import HttpResponseNotModified

        response = HttpResponseNotModified()
        self._validate(response, etag, version)
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    def _stored(self, response):
        """The response as the cache keeps it: headers, body, and the body compressed."""
        body = response.content
        headers = {
            name: value
            for name, value in response.items()
            if name.lower() not in ("content-length", "content-encoding")
        }
        compressed = None
        content_type = response.get("Content-Type", "")
        if len(body) >= MIN_COMPRESSED_LENGTH and content_type.startswith(COMPRESSIBLE):
            compressed = gzip.compress(body, compresslevel=COMPRESS_LEVEL, mtime=0)
        stored = {"status": response.status_code, "headers": headers, "body": body}
        stored["gzip"] = compressed
        return stored

    def _from_store(self, request, stored, gzipped, etag, version):
        from django.http import HttpResponse

        compressed = stored["gzip"]
        body = compressed if gzipped and compressed is not None else stored["body"]
        response = HttpResponse(b"" if request.method == "HEAD" else body, status=stored["status"])
        for name, value in stored["headers"].items():
            response[name] = value
        response["Content-Length"] = str(len(body))
        if body is compressed:
            response["Content-Encoding"] = "gzip"
        if compressed is not None:
            patch_vary_headers(response, ["Accept-Encoding"])
        self._validate(response, etag, version)
        return response

    def _private(self, response):
        """A signed-in reader's page: no shared cache may keep it."""
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        patch_vary_headers(response, ["Cookie"])
        return response
