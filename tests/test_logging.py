"""Each log line is printed once, whatever logger Django writes it with."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

LOG = """
import logging
import django

django.setup()
logging.getLogger("django.request").warning("from django.request")
logging.getLogger("django").warning("from django")
logging.getLogger("partnerships").warning("from the site")
logging.getLogger("axes.handlers.database").info("from axes, at info")
logging.getLogger("partnerships").debug("from the site, at debug")
"""


def logged(**env):
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", LOG],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ENV_FILE": "", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.splitlines()


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "wiki.example.org",
    "DJANGO_SECRET_KEY": "pJ3x9-Vq2L_mZk8RtYw4nB7cHs1dFg6aEu0iOoTr5yXlKvQpWzMj",
}


@pytest.mark.parametrize("env", [{}, PRODUCTION], ids=["development", "production"])
def test_it_prints_each_line_once(env):
    lines = logged(**env)

    for message in ["from django.request", "from django", "from the site"]:
        assert sum(line.endswith(f": {message}") for line in lines) == 1, lines


def test_it_names_the_time_level_and_logger():
    (line,) = [line for line in logged() if line.endswith("from django.request")]

    assert " WARNING django.request: from django.request" in line
    assert line[:4].isdigit()


def test_it_keeps_routine_sign_in_noise_and_debug_out_at_the_default_level():
    lines = logged()

    assert not any("from axes, at info" in line for line in lines)
    assert not any("at debug" in line for line in lines)


def test_it_follows_the_level_the_environment_sets():
    lines = logged(DJANGO_LOG_LEVEL="debug")

    assert sum("from the site, at debug" in line for line in lines) == 1
