"""`make run` (and `make run PORT=…`): the local admin account and the
sign-in address it prints."""

import shutil
import subprocess
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(**options):
    out = StringIO()
    call_command("ensure_local_admin", stdout=out, **options)
    return out.getvalue()


def test_it_creates_a_superuser_and_prints_its_password_once(settings):
    settings.DEBUG = True

    first = run()
    second = run()

    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    password = first.split("with password: ")[1].split()[0]
    assert admin.check_password(password)
    assert password not in second
    assert "already exists" in second


def test_it_prints_the_sign_in_address_on_the_port_it_serves(settings):
    settings.DEBUG = True

    assert "Sign in at http://127.0.0.1:8123/admin/" in run(address="127.0.0.1:8123")
    assert "Sign in at http://127.0.0.1:8123/admin/" in run(address="127.0.0.1:8123")


def test_it_defaults_to_port_8000(settings):
    settings.DEBUG = True

    assert "Sign in at http://127.0.0.1:8000/admin/" in run()


def test_it_refuses_to_create_an_account_in_production(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="Refusing to create a local admin account"):
        run()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_it_serves_and_signs_in_on_the_port_make_run_is_given():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "manage.py ensure_local_admin --address 127.0.0.1:8123" in result.stdout
    assert "manage.py runserver 127.0.0.1:8123" in result.stdout
