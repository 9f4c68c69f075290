"""The site in English, French and Arabic: which language a request is in, and
how a reader chooses one.

- **The address says the language.** English pages are unprefixed (/partners/),
  French and Arabic ones are under /fr/ and /ar/ (config/urls.py,
  i18n_patterns). /en/… is redirected, permanently, to the unprefixed address,
  so each page has one English address.
- **The choice is remembered.** The language switcher on every page links to
  /language/<code>/?next=<that page in that language>, which keeps the choice in
  a cookie for a year and goes on to the page. A reader whose cookie says
  French or Arabic who opens an unprefixed address is sent to its French or
  Arabic page; choosing English in the switcher stops that. A crawler, which
  keeps no cookie, sees each address in its own language, and the pages'
  hreflang alternates name the others.
- A GET sets the cookie, not a form: the switcher must work without
  JavaScript and on cached pages, which carry no CSRF token; all a forged
  link can do is choose a language for a reader.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

DEFAULT = settings.LANGUAGE_CODE
CODES = tuple(code for code, _name in settings.LANGUAGES)
PREFIXED = tuple(code for code in CODES if code != DEFAULT)


def path_language(path):
    """The language an address is in: its prefix's, or English for none."""
    return translation.get_language_from_path(path) or DEFAULT


class LanguageMiddleware:
    """Activates the address's language for everything after it (the page cache
    and the error pages drawn before Django's LocaleMiddleware runs included),
    and sends a reader who chose French or Arabic from an unprefixed address to
    the same page in their language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefixed = translation.get_language_from_path(request.path_info)
        translation.activate(prefixed or DEFAULT)
        if prefixed is None and request.method in ("GET", "HEAD"):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if chosen in PREFIXED:
                here = request.get_full_path()
                there = translate_url(here, chosen)
                if there != here:
                    response = HttpResponseRedirect(there)
                    patch_vary_headers(response, ["Cookie"])
                    add_never_cache_headers(response)
                    return response
        return self.get_response(request)


def english_address(request, rest):
    """/en/… → the unprefixed address, for good (English has no prefix)."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"/{rest}" + (f"?{query}" if query else ""))


def choose_language(request, code):
    """/language/<code>/?next=…: remembers the reader's choice and goes to `next`
    (a page of this site) in that language; the home page when `next` is
    missing or leads elsewhere."""
    if code not in CODES:
        raise Http404("No such language.")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    # translate_url reads the address in the language it is in.
    with translation.override(path_language(urlsplit(target).path)):
        response = HttpResponseRedirect(translate_url(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    add_never_cache_headers(response)
    return response
