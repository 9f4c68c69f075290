"""Shared fixtures and small factories.

Each `make_*` function saves one object with sensible defaults; pass keyword
overrides for whatever a test cares about. Objects are saved the normal way,
so each starts with one "+" revision, as an entry made in the admin does; an
agreement or exercise made with its parties or participants is one save.
"""

import datetime
import importlib
import itertools
from html.parser import HTMLParser

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnerships.history.saves import recording
from partnerships.models import (
    Agreement,
    AgreementParty,
    Exercise,
    ExerciseParticipant,
    Partner,
    Procurement,
)
from sources.models import ENTRY_FIELDS, Citation, Source

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages as the views make them: the shared page cache is tested on its own
    (tests/test_page_cache.py), and no test may see a page cached by another."""
    from django.core.cache import cache

    settings.PAGE_CACHE = False
    settings.PICTURE_CACHE_SECONDS = 0
    cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Each test starts and ends in English: a request or a test that activates
    French or Arabic must not leave it active for the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


# A source text that exercises the quote normalization: curly quotes and
# apostrophes, an em dash, a line break inside a sentence and an ellipsis.
SOURCE_TEXT = (
    "Morocco’s armed forces are modernising quickly.\n\n"
    "The “African Lion” exercise — held every year — drew thousands of\n"
    "troops from many countries.\n"
    "Officials said the deal was worth $500 million…\n"
)
QUOTE = "Morocco’s armed forces are modernising quickly."
WRONG_QUOTE = "Morocco’s armed forces are shrinking slowly."


def _next():
    return next(_numbers)


# -- users ---------------------------------------------------------------


def ensure_groups():
    """The groups the migrations make, made again if a transactional test flushed them.

    Every migration that creates or grants a group's permissions belongs here.
    """
    if Group.objects.filter(name__in=["Editors", "Reviewers"]).count() == 2:
        return
    groups = importlib.import_module("partnerships.migrations.0002_editor_and_reviewer_groups")
    groups.create_groups(global_apps, None)
    grants = importlib.import_module("partnerships.migrations.0005_reviewers_mark_revisions")
    grants.grant_review_permissions(global_apps, None)
    new_types = importlib.import_module(
        "partnerships.migrations.0023_groups_for_people_engagements_indicators"
    )
    new_types.grant(global_apps, None)


def make_user(username=None, groups=(), **overrides):
    """A staff user in `groups`. No password (hashing one is slow): log in with force_login."""
    if groups:
        ensure_groups()
    username = username or f"user{_next()}"
    user = User.objects.create_user(username, password=None, **{"is_staff": True, **overrides})
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor(db):
    return make_user("editor", groups=["Editors"])


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", groups=["Reviewers"])


@pytest.fixture
def superuser(db):
    return make_user("admin", is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def logged_in(user):
    """A client of its own for `user`: tests with two people at once need two."""
    client = Client()
    client.force_login(user)
    return client


# -- content -------------------------------------------------------------


def make_source(**overrides):
    n = _next()
    values = {
        "title": f"Report {n}",
        "slug": f"report-{n}",
        "kind": Source.Kind.NEWS,
        "full_text": SOURCE_TEXT,
        **overrides,
    }
    return Source.objects.create(**values)


def make_partner(**overrides):
    n = _next()
    values = {
        "name": f"Country {n}",
        "slug": f"country-{n}",
        "kind": Partner.Kind.COUNTRY,
        **overrides,
    }
    return Partner.objects.create(**values)


def make_agreement(parties=(), **overrides):
    n = _next()
    values = {
        "title": f"Agreement {n}",
        "slug": f"agreement-{n}",
        "kind": Agreement.Kind.COOPERATION,
        **overrides,
    }
    with recording():  # with its parties, as the admin saves it
        agreement = Agreement.objects.create(**values)
        for partner in parties:
            AgreementParty.objects.create(agreement=agreement, partner=partner)
    return agreement


def make_exercise(participants=(), **overrides):
    n = _next()
    values = {
        "name": f"Exercise {n}",
        "slug": f"exercise-{n}",
        "series": "African Lion",
        **overrides,
    }
    with recording():  # with its participants, as the admin saves it
        exercise = Exercise.objects.create(**values)
        for partner in participants:
            ExerciseParticipant.objects.create(exercise=exercise, partner=partner)
    return exercise


def make_procurement(**overrides):
    n = _next()
    values = {
        "system": f"System {n}",
        "slug": f"system-{n}",
        "category": Procurement.Category.AIR_DEFENSE,
        **overrides,
    }
    if "supplier" not in values and "supplier_id" not in values:
        values["supplier"] = make_partner()
    return Procurement.objects.create(**values)


def entry_field(entry):
    """The Citation field that points at `entry`: "partner", "agreement", …"""
    return entry._meta.model_name


def make_citation(entry=None, **overrides):
    """A citation of `entry` (a new partner by default) quoting QUOTE."""
    values = {"quote": QUOTE, "note": "modernisation", **overrides}
    if "source" not in values:
        values["source"] = make_source()
    if entry is None and not any(name in values for name in ENTRY_FIELDS):
        entry = make_partner()
    if entry is not None:
        values[entry_field(entry)] = entry
    return Citation.objects.create(**values)


# -- admin forms -----------------------------------------------------------


def _post_value(value):
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def admin_form_data(response, overrides=None):
    """The POST data an admin add/change page would send as rendered.

    Covers the main form, every inline form and each inline's management
    form. `overrides` (a dict keyed by input name) replaces or adds values; a
    None value drops the input, as an unticked box or an empty field would.
    """
    data = {}
    form = response.context["adminform"].form
    fields = [(bound.html_name, bound.value()) for bound in form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        fields += [(bound.html_name, bound.value()) for bound in formset.management_form]
        for inline_form in formset.forms:
            fields += [(bound.html_name, bound.value()) for bound in inline_form]
    for name, value in [*fields, *(overrides or {}).items()]:
        data[name] = _post_value(value)
    return {name: value for name, value in data.items() if value is not None}


def admin_url(obj, action="change"):
    """/admin/<app>/<model>/<pk>/<action>/ for a saved object."""
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{action}/"


def inline_prefixes(response):
    return [inline.formset.prefix for inline in response.context.get("inline_admin_formsets", [])]


def error_messages(response):
    """Every form and inline error on an admin page, as plain strings."""
    messages = []
    adminform = response.context["adminform"]
    for errors in adminform.form.errors.values():
        messages += list(errors)
    for inline in response.context.get("inline_admin_formsets", []):
        messages += list(inline.formset.non_form_errors())
        for errors in inline.formset.errors:
            for field_errors in errors.values():
                messages += list(field_errors)
    return messages


# -- page content ----------------------------------------------------------


INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "bdi",
    "cite",
    "code",
    "em",
    "i",
    "mark",
    "q",
    "small",
    "span",
    "strong",
    "sup",
    "time",
}


class _TextExtractor(HTMLParser):
    """Text as a reader sees it: block elements apart, inline ones run together."""

    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag not in INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag not in INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def page_text(response):
    """The visible text of an HTML response, tags dropped and whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(response.content.decode())
    return " ".join("".join(extractor.parts).split())


# -- query counts ----------------------------------------------------------


def count_queries(client, url):
    """The number of queries a GET of `url` makes, after one warm-up request."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
