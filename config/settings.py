"""One settings module for every environment, driven by environment variables.

Development defaults let `make run` work with nothing set; production sets
DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
A malformed value stops start-up with a message naming the variable.

The variables may also be kept in a `.env` file at the project's root (or the
file DJANGO_ENV_FILE names; DJANGO_ENV_FILE= with no value reads none), so that
gunicorn, `manage.py` and `make backup` from cron all read the same
configuration. A variable set in the real environment wins over the file.
"""

import datetime
import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent


def _read_env_file():
    path = os.environ.get("DJANGO_ENV_FILE")
    if path is None:
        path = BASE_DIR / ".env"
        if not path.is_file():
            return
    elif not path:
        return
    elif not Path(path).is_file():
        raise ImproperlyConfigured(f"DJANGO_ENV_FILE names {path!r}, which is not a file.")
    load_dotenv(path, override=False)


_read_env_file()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false, yes/no, on/off or 1/0; got {raw!r}."
    )


def envint(name, default, minimum=None):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {raw!r}.")
    return value


def envlist(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envchoice(name, default, choices):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {raw!r}.")
    return value


DEBUG = envbool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"


def _secret_key():
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if DEBUG:
        return key or _DEV_SECRET_KEY
    # The same thresholds as Django's security.W009 check, enforced instead of warned.
    weak = len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")
    if weak:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is missing or weak. With DJANGO_DEBUG off it must be a "
            "random string of at least 50 characters with at least 5 distinct ones, e.g. "
            "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = envlist(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the host names the site answers to "
        "(comma-separated) when DJANGO_DEBUG is off."
    )
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "config.apps.WikiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_filters",
    "simple_history",
    "partnerships",
    "sources",
]

MIDDLEWARE = [
    # Security headers first, so that every response carries them, the
    # health probe's and the error pages' included.
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Answers /healthz itself, before anything that checks the Host header
    # (see config/middleware.py); SecurityMiddleware lets it through on HTTP
    # (SECURE_REDIRECT_EXEMPT below).
    "config.middleware.HealthCheckMiddleware",
    # A database that is down or restarting: 503 with Retry-After, not 500.
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers' pages from the shared cache, 304s, validators and
    # compression (config/page_cache.py); before the session, CSRF and
    # authentication middleware, which a cached page never needs.
    # The language: /fr/… and /ar/… are French and Arabic, an address without a
    # prefix English; a reader who chose French or Arabic is sent from an
    # unprefixed address to their language's (config/languages.py). Before the
    # page cache, whose pages are keyed by their address and so by language.
    "config.languages.LanguageMiddleware",
    "config.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Gives a revision saved during a request outside any admin save (which
    # names its own) the request's user.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

# Inputs and selects drawn in Python, other widgets by their templates
# (config/form_renderer.py): the same HTML, at a fraction of the cost.
FORM_RENDERER = "config.form_renderer.WidgetRenderer"

ROOT_URLCONF = "config.bench_urls" if envbool("BENCHMARK", False) else "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": [
                "partnerships.templatetags.precise_dates",
                "partnerships.templatetags.site_links",
                "partnerships.templatetags.languages",
                "django.templatetags.i18n",
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database():
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    try:
        config = dj_database_url.parse(
            url,
            conn_max_age=envint("DATABASE_CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from None
    if config["ENGINE"] not in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }:
        raise ImproperlyConfigured(
            "DATABASE_URL must point to SQLite (sqlite:///path) or PostgreSQL "
            f"(postgres://user@host:port/name); got engine {config['ENGINE']!r}."
        )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # A database host that does not answer must not hold a worker for the
        # system's TCP timeout (minutes): give up and answer 503 instead. A
        # connect_timeout in the URL's query string wins.
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", envint("DATABASE_CONNECT_TIMEOUT", 5, minimum=1)
        )
    return config


DATABASES = {"default": _database()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles hundreds of functions for a query it expects
    # to be large, and spent 4.3 s of a 4.4 s query doing so; every query of
    # this site is served by an index, so none needs it. The data is cached
    # and on SSD, where an index's random reads cost little more than a scan's
    # (the default, 4, made the planner sort deep list pages instead of
    # walking their index: 80 ms against 11.5 ms).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", os.environ.get("DATABASE_OPTIONS") or "-c jit=off -c random_page_cost=1.1"
    )
    # Parameters bound by the server, and a query run twice on a connection
    # prepared: PostgreSQL then plans each of the site's few query shapes once
    # per connection, not at every request (measured: 0.55 ms a query, 0.19 ms
    # prepared). DATABASE_PREPARED_STATEMENTS=false turns this off, for a
    # transaction-pooling proxy that cannot keep them (PgBouncer before 1.21).
    if envbool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)

# -- caching -------------------------------------------------------------------------
# One shared cache for every app server when REDIS_URL is set (redis://…);
# otherwise each process's own memory, which `make run` needs nothing for.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "wiki"),
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "wiki",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
# PAGE_CACHE=false turns the middleware off entirely: no validators, no 304s,
# no compression (the test suite does, but for the tests of the cache itself).
PAGE_CACHE = envbool("PAGE_CACHE", True)
# How long an anonymous page stays in the shared cache (any save makes every
# cached page stale at once, whatever this says); 0 turns the page cache off.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 600, minimum=0)
PAGE_CACHE_EXEMPT_PREFIXES = (
    *(f"{prefix}/admin/" for prefix in ("", "/fr", "/ar")),
    "/language/",
    "/healthz",
    "/static/",
    "/favicon.ico",
)
# How long a drawn picture (the network, the timeline to scale) is kept in the
# same cache (partnerships/pictures.py); any save makes it stale at once. 0: off.
PICTURE_CACHE_SECONDS = envint("PICTURE_CACHE_SECONDS", 86400, minimum=0)
# How long a CDN may keep a page without asking again (0: it asks each time,
# and gets a 304 while nothing has changed).
CDN_MAX_AGE = envint("CDN_MAX_AGE", 0, minimum=0)


def _release():
    """What names this version of the code in cache keys: RELEASE, or a digest of the
    code's own files' contents, so that app servers deployed from one commit agree."""
    release = os.environ.get("RELEASE", "").strip()
    if release:
        return release
    digest = hashlib.sha256()
    for folder in ("config", "partnerships", "sources", "templates", "static"):
        for path in sorted((BASE_DIR / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".css", ".js", ".toml") and path.is_file():
                digest.update(str(path.relative_to(BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: refuses a locked-out sign-in before any
    # password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English, French and Arabic (config/languages.py): English at unprefixed
# addresses, the others under /fr/ and /ar/. The interface's translations are in
# locale/ (`make messages`); the compiled catalogues are committed, so running
# the site needs no gettext tools.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The reader's choice of language, set by the language switcher (a year).
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain
        # files in development so nothing has to be collected first.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# Revisions: edit summaries can be longer than simple-history's default 100
# characters, and the history models' own permissions decide who may see
# history (view) and revert (change).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True
SIMPLE_HISTORY_REVERT_DISABLED = False

# -- sign-in lockout (django-axes) ---------------------------------------------
# After DJANGO_LOGIN_FAILURE_LIMIT failed sign-ins for one username, or from one
# address, sign-in is refused for DJANGO_LOGIN_COOLOFF_MINUTES; a failed attempt
# during the cool-off starts it again. Superusers see and clear lockouts in the
# admin ("Axes"), operators with `manage.py axes_reset`.
AXES_FAILURE_LIMIT = envint("DJANGO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=envint("DJANGO_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Failures and lockouts are still logged (as warnings); not the start-up banner.
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
# Behind DJANGO_TRUSTED_PROXIES proxies, the client's address is read from
# X-Forwarded-For; otherwise every sign-in would seem to come from the proxy.
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"
TRUSTED_PROXIES = envint("DJANGO_TRUSTED_PROXIES", 0, minimum=0)

# -- security headers ---------------------------------------------------------------
# A strict policy on every page, the admin's included: nothing inline, nothing
# from another origin. No template may use an inline <script>, <style> or
# style="" attribute (tests/test_security_headers.py walks every admin page).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The admin's stylesheets draw a few icons as data: URIs.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Turned off: every feature the site never uses.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}
# The health probe answers load balancers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Off unless asked for: the preload list is hard to leave (see the README).
    SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", False)
    SECURE_CONTENT_TYPE_NOSNIFF = True

# One handler, on the root logger: Django's own loggers, the development
# server's request lines (django.server) included, propagate to it instead of
# printing through handlers of their own as well, so each line prints once.
LOG_LEVEL = envchoice(
    "DJANGO_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # Failures and lockouts are warnings; each successful sign-in would
        # add four lines of INFO (the admin's "Access logs" keep them).
        "axes": {"level": "WARNING"},
    },
}
