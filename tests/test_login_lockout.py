"""The admin's sign-in locks out after DJANGO_LOGIN_FAILURE_LIMIT failures for
one username or from one address (django-axes), for a cool-off; superusers see
and clear lockouts in the admin."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client, RequestFactory, override_settings

from config.middleware import client_ip

from .conftest import make_user, page_text
from .test_settings import refused, started

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"
WRONG_PASSWORD_MESSAGE = "Please enter the correct username and password"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor():
    user = make_user("editor", groups=["Editors"])
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(password, username="editor", address="198.51.100.7", **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return response


def fail(times, **kwargs):
    return [sign_in("wrong password", **kwargs) for _ in range(times)]


def cool_off_passes():
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)


def assert_locked_out(response):
    assert response.status_code == 429
    text = page_text(response)
    assert "Sign-in locked" in text
    assert f"There have been {settings.AXES_FAILURE_LIMIT} failed sign-ins" in text
    assert "refused for the next 15 minutes" in text


def test_it_allows_a_few_wrong_passwords(editor):
    responses = fail(settings.AXES_FAILURE_LIMIT - 1)

    assert [r.status_code for r in responses] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert WRONG_PASSWORD_MESSAGE in page_text(responses[-1])
    assert sign_in(PASSWORD).status_code == 302


def test_it_locks_out_a_username_after_the_failure_limit(editor):
    *first, last = fail(settings.AXES_FAILURE_LIMIT)

    assert settings.AXES_FAILURE_LIMIT == 5
    assert {r.status_code for r in first} == {200}
    assert_locked_out(last)
    # The sixth try is refused, even with the right password, from anywhere.
    assert_locked_out(sign_in("wrong password"))
    assert_locked_out(sign_in(PASSWORD, address="203.0.113.50"))


def test_it_locks_out_an_address_that_tries_many_usernames(editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong password", username=f"guess{n}")

    assert_locked_out(sign_in(PASSWORD))
    # The editor can still sign in from elsewhere.
    assert sign_in(PASSWORD, address="203.0.113.50").status_code == 302


def test_it_lets_the_right_password_in_after_the_cool_off(editor):
    fail(settings.AXES_FAILURE_LIMIT)
    assert_locked_out(sign_in(PASSWORD))

    cool_off_passes()
    response = sign_in(PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_it_starts_counting_again_after_a_successful_sign_in(editor):
    fail(settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(PASSWORD).status_code == 302

    responses = fail(settings.AXES_FAILURE_LIMIT - 1)

    assert {r.status_code for r in responses} == {200}


def test_it_lets_a_superuser_see_and_clear_a_lockout(editor):
    fail(settings.AXES_FAILURE_LIMIT)
    admin = Client()
    admin.force_login(make_user("root", is_superuser=True))

    listing = admin.get("/admin/axes/accessattempt/?locked_out=yes")

    assert listing.status_code == 200
    assert "editor" in page_text(listing)
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in(PASSWORD).status_code == 302


def test_it_hides_lockouts_from_editors(editor):
    fail(settings.AXES_FAILURE_LIMIT)
    client = Client()
    client.force_login(editor)

    assert client.get("/admin/axes/accessattempt/").status_code == 403


@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=datetime.timedelta(minutes=1))
def test_it_follows_the_configured_limit_and_cool_off(editor):
    first, second = fail(2)

    assert first.status_code == 200
    assert second.status_code == 429
    assert "refused for the next 1 minutes" in page_text(second)


# -- the client's address behind proxies --------------------------------------------


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post(LOGIN, **headers)


def test_it_takes_the_connecting_address_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = 0

    assert client_ip(request_from("10.0.0.5", "203.0.113.9")) == "10.0.0.5"


def test_it_takes_the_address_the_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXIES = 1

    # The client wrote the left entry itself; the proxy appended the right one.
    assert client_ip(request_from("10.0.0.5", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request_from("10.0.0.5", "203.0.113.9")) == "203.0.113.9"
    assert client_ip(request_from("10.0.0.5")) == "10.0.0.5"


def test_it_locks_out_the_client_behind_the_proxy_not_the_proxy(settings, editor):
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.5"

    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", username=f"guess{n}", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert_locked_out(sign_in(PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9"))
    response = sign_in(PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 302


# -- configuration --------------------------------------------------------------------


def test_it_reads_the_limit_and_cool_off_from_the_environment():
    values = started(DJANGO_LOGIN_FAILURE_LIMIT="3", DJANGO_LOGIN_COOLOFF_MINUTES="60")

    assert values["AXES_FAILURE_LIMIT"] == 3
    assert values["AXES_COOLOFF_TIME"] == 3600


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "DJANGO_LOGIN_FAILURE_LIMIT",
            "five",
            "DJANGO_LOGIN_FAILURE_LIMIT must be a whole number",
        ),
        ("DJANGO_LOGIN_FAILURE_LIMIT", "0", "DJANGO_LOGIN_FAILURE_LIMIT must be at least 1"),
        ("DJANGO_LOGIN_COOLOFF_MINUTES", "-5", "DJANGO_LOGIN_COOLOFF_MINUTES must be at least 1"),
        ("DJANGO_TRUSTED_PROXIES", "-1", "DJANGO_TRUSTED_PROXIES must be at least 0"),
    ],
)
def test_it_refuses_a_setting_it_cannot_use(name, value, message):
    assert message in refused(**{name: value})
