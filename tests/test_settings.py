"""config/settings.py reads the environment and stops start-up, naming the
variable, when a value is missing or malformed. Each case imports the settings
in a fresh interpreter with only the variables it sets."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

STRONG_KEY = "pJ3x9-Vq2L_mZk8RtYw4nB7cHs1dFg6aEu0iOoTr5yXlKvQpWzMj"

SHOW_SETTINGS = """
import json
from django.conf import settings

db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "CONN_MAX_AGE": db["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": db["CONN_HEALTH_CHECKS"],
    "OPTIONS": db.get("OPTIONS", {}),
    "AXES_FAILURE_LIMIT": settings.AXES_FAILURE_LIMIT,
    "AXES_COOLOFF_TIME": settings.AXES_COOLOFF_TIME.total_seconds(),
    "SECURE_HSTS_SECONDS": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": getattr(settings, "SECURE_HSTS_INCLUDE_SUBDOMAINS", False),
    "SECURE_HSTS_PRELOAD": getattr(settings, "SECURE_HSTS_PRELOAD", False),
    "LOG_LEVEL": settings.LOG_LEVEL,
}))
"""


def start(**env):
    """Import the settings with exactly these DJANGO_*/DATABASE_URL variables
    (and no .env file, unless DJANGO_ENV_FILE is one of them)."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_"))
    }
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    clean["DJANGO_ENV_FILE"] = ""
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def started(**env):
    result = start(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(**env):
    result = start(**env)
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    # The last line of the traceback is the message an operator reads.
    return result.stderr.strip().splitlines()[-1]


def production(**env):
    return {"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "wiki.example.org", **env}


# -- development defaults -----------------------------------------------------------


def test_it_starts_with_nothing_set_for_development():
    values = started()

    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(settings.BASE_DIR / "db.sqlite3")
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert values["SECRET_KEY"]


# -- secret key and debug -------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "short",
        "a" * 60,
        "django-insecure-" + STRONG_KEY,
    ],
    ids=["missing", "empty", "short", "few-distinct-characters", "django-insecure"],
)
def test_it_refuses_a_missing_or_weak_secret_key_in_production(key):
    env = production() if key is None else production(DJANGO_SECRET_KEY=key)

    message = refused(**env)

    assert "DJANGO_SECRET_KEY is missing or weak" in message


def test_it_starts_in_production_with_a_strong_key_and_hosts():
    values = started(
        **production(
            DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="wiki.example.org, www.example.org"
        )
    )

    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == STRONG_KEY
    assert values["ALLOWED_HOSTS"] == ["wiki.example.org", "www.example.org"]


def test_it_refuses_production_without_allowed_hosts():
    message = refused(DJANGO_DEBUG="false", DJANGO_SECRET_KEY=STRONG_KEY)

    assert "DJANGO_ALLOWED_HOSTS must list the host names" in message


@pytest.mark.parametrize(
    ("raw", "debug"),
    [("true", True), ("1", True), ("Yes", True), ("on", True), ("0", False), ("off", False)],
)
def test_it_reads_the_usual_spellings_of_a_flag(raw, debug):
    values = started(**production(DJANGO_DEBUG=raw, DJANGO_SECRET_KEY=STRONG_KEY))

    assert values["DEBUG"] is debug


def test_it_refuses_a_flag_it_cannot_read_naming_the_variable():
    message = refused(DJANGO_DEBUG="maybe")

    assert "DJANGO_DEBUG must be one of true/false" in message
    assert "'maybe'" in message


def test_it_refuses_a_number_it_cannot_read_naming_the_variable():
    message = refused(DATABASE_CONN_MAX_AGE="ten minutes")

    assert "DATABASE_CONN_MAX_AGE must be a whole number" in message


# -- database ---------------------------------------------------------------------


def test_it_uses_postgresql_with_persistent_checked_connections():
    values = started(DATABASE_URL="postgres://wiki:secret@db.internal:5432/wiki")

    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert (values["NAME"], values["HOST"]) == ("wiki", "db.internal")
    assert values["CONN_HEALTH_CHECKS"] is True
    assert values["CONN_MAX_AGE"] > 0


def test_it_lets_the_connection_age_be_set():
    values = started(DATABASE_URL="postgres://wiki@db.internal/wiki", DATABASE_CONN_MAX_AGE="60")

    assert values["CONN_MAX_AGE"] == 60


def test_it_uses_the_sqlite_file_a_url_names(tmp_path):
    values = started(DATABASE_URL=f"sqlite:///{tmp_path / 'wiki.sqlite3'}")

    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(tmp_path / "wiki.sqlite3")


def test_it_refuses_a_database_it_does_not_support():
    message = refused(DATABASE_URL="mysql://wiki@db.internal/wiki")

    assert "DATABASE_URL must point to SQLite (sqlite:///path) or PostgreSQL" in message
    assert "django.db.backends.mysql" in message


@pytest.mark.parametrize("url", ["garbage", "http://db.internal/wiki", "postgres://u@h:port/db"])
def test_it_refuses_a_database_url_it_cannot_read(url):
    message = refused(DATABASE_URL=url)

    assert "DATABASE_URL is not a usable database URL" in message


def test_it_gives_up_connecting_to_postgresql_after_a_timeout():
    values = started(DATABASE_URL="postgres://wiki@db.internal/wiki")

    assert values["OPTIONS"]["connect_timeout"] == 5
    values = started(DATABASE_URL="postgres://wiki@db.internal/wiki", DATABASE_CONNECT_TIMEOUT="2")
    assert values["OPTIONS"]["connect_timeout"] == 2


# -- the .env file ------------------------------------------------------------------------


def test_it_reads_the_variables_of_an_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# production\n"
        "DJANGO_DEBUG=false\n"
        f"DJANGO_SECRET_KEY={STRONG_KEY}\n"
        "DJANGO_ALLOWED_HOSTS=wiki.example.org\n"
        "DATABASE_URL=postgres://wiki@db.internal:5432/wiki\n"
    )

    values = started(DJANGO_ENV_FILE=str(env_file))

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["wiki.example.org"]
    assert (values["ENGINE"], values["HOST"]) == ("django.db.backends.postgresql", "db.internal")


def test_it_lets_the_real_environment_win_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_ALLOWED_HOSTS=wiki.example.org\nDJANGO_LOG_LEVEL=ERROR\n")

    values = started(DJANGO_ENV_FILE=str(env_file), DJANGO_ALLOWED_HOSTS="other.example.org")

    assert values["ALLOWED_HOSTS"] == ["other.example.org"]
    assert values["LOG_LEVEL"] == "ERROR"


def test_it_refuses_an_env_file_that_is_not_there(tmp_path):
    message = refused(DJANGO_ENV_FILE=str(tmp_path / "missing.env"))

    assert "DJANGO_ENV_FILE names" in message
    assert "which is not a file" in message


def test_it_reads_the_env_file_at_the_project_root_by_default(tmp_path):
    # A copy of the project's settings package beside a .env of its own.
    shutil.copytree(settings.BASE_DIR / "config", tmp_path / "config")
    (tmp_path / ".env").write_text("DJANGO_ALLOWED_HOSTS=from-the-file.example.org\n")
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=tmp_path,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ALLOWED_HOSTS"] == ["from-the-file.example.org"]


# -- logging ----------------------------------------------------------------------------------


def test_it_refuses_a_log_level_it_does_not_know():
    message = refused(DJANGO_LOG_LEVEL="LOUD")

    assert "DJANGO_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in message
