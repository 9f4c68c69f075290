"""Entry addresses without a full reverse() for each.

A list of 25 agreements with their parties links to 75 entries; reverse()
resolves the pattern anew each time. An entry's address is its pattern with
its slug in the one variable place, so the pattern is reversed once (per URL
configuration, script prefix and language: /fr/… and /ar/… have
their own) with a placeholder, and each address is that
string with the slug put in. A slug is made of [-a-zA-Z0-9_] only, so it
needs no quoting; anything else is left to reverse().

Reading the URL configuration and script prefix of the moment costs 4.6 µs a
link (they are context-local); code drawing many links reads them once, within
`pinned()`.
"""

import contextlib
import contextvars
import functools
import re

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

PLACEHOLDERS = ("slug-placeholder-a", "slug-placeholder-b", "slug-placeholder-c")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.lru_cache(maxsize=768)
def _pattern(name, fixed, arity, urlconf, prefix, language):
    return reverse(name, args=[*fixed, *PLACEHOLDERS[:arity]], urlconf=urlconf)


# (URL configuration, script prefix, language) as `pinned()` read them; None outside it.
_PINNED = contextvars.ContextVar("pinned_url_state", default=None)


@contextlib.contextmanager
def pinned():
    """Within it, slug_url() uses the URL configuration, prefix and language read on entering."""
    token = _PINNED.set((get_urlconf(), get_script_prefix(), get_language()))
    try:
        yield
    finally:
        _PINNED.reset(token)


def slug_url(name, *slugs, fixed=()):
    """reverse(name, args=[*fixed, *slugs]), for a URL whose variable arguments are slugs
    (at most three); `fixed` are arguments from a short list (an entry type's path),
    which a converter may restrict, so they are part of the pattern reversed."""
    if len(slugs) > len(PLACEHOLDERS) or not all(SLUG.fullmatch(str(slug)) for slug in slugs):
        return reverse(name, args=[*fixed, *slugs])
    urlconf, prefix, language = _PINNED.get() or (
        get_urlconf(),
        get_script_prefix(),
        get_language(),
    )
    url = _pattern(name, tuple(fixed), len(slugs), urlconf, prefix, language)
    for placeholder, slug in zip(PLACEHOLDERS, slugs, strict=False):
        url = url.replace(placeholder, str(slug), 1)
    return url


# The addresses every page's header and footer link to, by the names templates use.
SITE_LINKS = {
    "home": "partnerships:home",
    "partners": "partnerships:partner-list",
    "agreements": "partnerships:agreement-list",
    "exercises": "partnerships:exercise-list",
    "equipment": "partnerships:procurement-list",
    "sources": "sources:source-list",
    "timeline": "partnerships:timeline",
    "network": "partnerships:network",
    "changes": "partnerships:changes",
    "feed": "partnerships:changes-feed",
    "search": "partnerships:search",
    "quality": "partnerships:quality",
}


@functools.lru_cache(maxsize=48)
def _site_links(urlconf, prefix, language):
    return {key: reverse(name, urlconf=urlconf) for key, name in SITE_LINKS.items()}


def site_link(key):
    """The address of one of SITE_LINKS, reversed once per URL configuration and language."""
    return _site_links(get_urlconf(), get_script_prefix(), get_language())[key]
