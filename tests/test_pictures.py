"""The picture cache: a drawn picture is kept per content version and code release."""

import pytest
from django.core.cache import caches

from partnerships import pictures
from tests.conftest import make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture_cache(settings):
    settings.PICTURE_CACHE_SECONDS = 60
    caches[settings.PAGE_CACHE_ALIAS].clear()
    return settings


class Drawer:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"<svg>{self.calls}</svg>"


def test_a_picture_is_drawn_once_per_version(picture_cache):
    draw = Drawer()
    assert pictures.cached("network", (), draw) == "<svg>1</svg>"
    assert pictures.cached("network", (), draw) == "<svg>1</svg>"
    assert draw.calls == 1


def test_its_parts_name_a_picture_of_their_own(picture_cache):
    draw = Drawer()
    pictures.cached("network", (1,), draw)
    pictures.cached("network", (2,), draw)
    pictures.cached("timeline", (1,), draw)
    assert draw.calls == 3


def test_any_save_makes_it_stale(picture_cache):
    make_partner(name="Spain", slug="spain")
    draw = Drawer()
    pictures.cached("network", (), draw)
    make_partner(name="Portugal", slug="portugal")
    assert pictures.cached("network", (), draw) == "<svg>2</svg>"


def test_a_new_release_draws_again(picture_cache, settings):
    draw = Drawer()
    pictures.cached("network", (), draw)
    settings.RELEASE = "another-release"
    pictures.cached("network", (), draw)
    assert draw.calls == 2


def test_off_when_the_seconds_are_zero(settings):
    settings.PICTURE_CACHE_SECONDS = 0
    draw = Drawer()
    pictures.cached("network", (), draw)
    pictures.cached("network", (), draw)
    assert draw.calls == 2


def test_an_unreachable_cache_draws_afresh(picture_cache, settings):
    settings.CACHES = {
        **settings.CACHES,
        "broken": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.PAGE_CACHE_ALIAS = "broken"
    draw = Drawer()
    assert pictures.cached("network", (), draw) == "<svg>1</svg>"
    assert pictures.cached("network", (), draw) == "<svg>2</svg>"
