"""Pictures (the network, the timeline drawn to scale) cached whole, once per content version.

A picture is a function of the wiki's content and the code that draws it, like
a page (config/page_cache.py): its key is the picture's name, its parameters,
the site's version token, the language and the code's release. Any save anywhere replaces the
version, so a stale picture is never found again; old ones age out by
themselves. Unlike a page, a picture is cached for signed-in editors too (it
holds no token and nothing personal), and a page that includes one costs the
queries that draw it only on the first request after a change.

`PICTURE_CACHE_SECONDS = 0` turns it off (the test suite does, but for the
tests of the cache itself, so no test sees a picture drawn for another's data).
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language

from config import page_cache

logger = logging.getLogger(__name__)


def _key(name, parts, token):
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    # Each language draws its own: the words, the names and the direction differ.
    return f"picture:{settings.RELEASE}:{get_language()}:{name}:{digest}:{token}"


def cached(name, parts, draw):
    """What draw() returns, from the shared cache when this version already drew it.

    name: the picture ("network", "timeline"); parts: a repr-able tuple of what
    else it depends on (a partner's id, a lane choice). draw() must return
    something picklable (a string of SVG, a small dataclass).
    """
    seconds = settings.PICTURE_CACHE_SECONDS
    if not seconds:
        return draw()
    try:
        key = _key(name, parts, page_cache.site_version()["token"])
        cache = caches[settings.PAGE_CACHE_ALIAS]
        found = cache.get(key)
    except Exception as exc:  # the cache or the change log unreachable: draw afresh
        logger.warning("Picture cache unavailable, drawing %s afresh: %s", name, exc)
        return draw()
    if found is not None:
        return found
    drawn = draw()
    try:
        cache.set(key, drawn, timeout=seconds)
    except Exception as exc:
        logger.warning("Picture cache unavailable, %s not kept: %s", name, exc)
    return drawn
