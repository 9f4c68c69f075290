"""`make backup` and `make restore FILE=…` (manage.py backup / restore): a
database with edits, deletions and review marks comes back whole, every table
(history tables included) with the same rows, as row counts and checksums."""

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from io import StringIO
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from partnerships.models import Agreement, Procurement

from .conftest import admin_form_data, admin_url, ensure_groups, logged_in, make_user

ON_POSTGRESQL = connection.vendor == "postgresql"


def manage(*args, database_url, check=True):
    """Runs manage.py as `make backup` / `make restore` do, on `database_url`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_"))
    }
    env.update(DATABASE_URL=database_url, DJANGO_ENV_FILE="")
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


# -- PostgreSQL ---------------------------------------------------------------------------


def postgres_url(name):
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}{port}/{name}"


def postgres(name):
    return psycopg.connect(postgres_url(name), autocommit=True)


def postgres_fingerprint(name):
    """Every table's row count and checksum, and every sequence's position, as
    the database's own catalogue lists them."""
    with postgres(name) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        fingerprint = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
            fingerprint[table] = conn.execute(query).fetchone()
        for sequence, last_value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            fingerprint[f"sequence {sequence}"] = last_value
    return fingerprint


def total_rows(fingerprint):
    return sum(value[0] for key, value in fingerprint.items() if not key.startswith("sequence"))


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with postgres("postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with postgres("postgres") as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def edit_in_the_admin(client, obj, **changes):
    url = admin_url(obj)
    response = client.post(url, admin_form_data(client.get(url), changes))
    assert response.status_code == 302, response.content.decode()[:2000]


def delete_in_the_admin(client, obj, summary):
    response = client.post(admin_url(obj, "delete"), {"post": "yes", "edit_summary": summary})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def review_every_save(client, path):
    """Marks each save on an entry's public history page reviewed, through the
    reviewers' own endpoint."""
    history = client.get(f"{path}history/")
    assert history.status_code == 200
    tokens = set(
        re.findall(rf'href="{re.escape(path)}history/([^/"?#]+)/"', history.content.decode())
    )
    tokens.discard("compare")
    assert tokens, "the history page links no revision"
    for token in tokens:
        response = client.post(f"{path}history/{token}/review/", {"note": "Checked"})
        assert response.status_code == 302, response.content.decode()[:2000]
    return tokens


@pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="pg_dump and pg_restore are tried on PostgreSQL only (the SQLite round trip "
    "is tested below): run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/wiki",
)
def test_it_round_trips_a_postgresql_database_with_edits_deletions_and_review_marks(
    transactional_db, fresh_database, tmp_path
):
    call_command("load_fixtures", stdout=StringIO())
    ensure_groups()
    editor = logged_in(make_user("editor", groups=["Editors"]))
    reviewer = logged_in(make_user("reviewer", groups=["Reviewers"]))
    agreement = Agreement.objects.get(slug="morocco-israel-500-million-defence-agreement")
    edit_in_the_admin(
        editor,
        agreement,
        summary=agreement.summary + " Checked against the report.",
        edit_summary="Note the check",
    )
    delete_in_the_admin(editor, Procurement.objects.order_by("pk").first(), "Duplicate entry")
    before_review = postgres_fingerprint(connection.settings_dict["NAME"])
    review_every_save(reviewer, agreement.get_absolute_url())

    source = postgres_fingerprint(connection.settings_dict["NAME"])
    assert total_rows(source) > total_rows(before_review), "the review marks wrote no row"
    path = manage(
        "backup", "--directory", str(tmp_path), database_url=postgres_url(source_name())
    ).stdout.strip()
    assert re.fullmatch(r".+/test_\w+-\d{8}T\d{6}Z\.dump", path)
    manage("restore", path, "--no-input", database_url=postgres_url(fresh_database))
    restored = postgres_fingerprint(fresh_database)

    assert restored == source
    history_tables = [name for name in source if re.match(r"\w+_historical\w+$", name)]
    assert len(history_tables) >= 8
    assert all(source[table][0] > 0 for table in history_tables)
    assert source["django_migrations"][0] > 0


def source_name():
    return connection.settings_dict["NAME"]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a PostgreSQL database refuses SQLite backups")
def test_it_refuses_to_restore_an_sqlite_backup_into_postgresql(transactional_db, tmp_path):
    backup = tmp_path / "wiki.sqlite3"
    sqlite3.connect(backup).close()
    backup.write_bytes(b"SQLite format 3\x00" + bytes(100))

    result = manage(
        "restore", str(backup), "--no-input", database_url=postgres_url(source_name()), check=False
    )

    assert result.returncode != 0
    assert "is not a PostgreSQL backup" in result.stderr


# -- SQLite ---------------------------------------------------------------------------------


def sqlite_fingerprint(path):
    with sqlite3.connect(path) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        fingerprint = {}
        for table in tables:
            rows = sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{table}"'))
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            fingerprint[table] = (len(rows), digest)
    conn.close()
    return fingerprint


def test_it_round_trips_an_sqlite_database_over_a_changed_one(tmp_path):
    live = tmp_path / "db.sqlite3"
    url = f"sqlite:///{live}"
    manage("migrate", "--no-input", "-v0", database_url=url)
    manage("load_fixtures", "-v0", database_url=url)
    saved = sqlite_fingerprint(live)

    path = manage("backup", "--directory", str(tmp_path / "backups"), database_url=url)
    path = path.stdout.strip()
    assert re.fullmatch(r".+/backups/db-\d{8}T\d{6}Z\.sqlite3", path)
    # Changes after the backup, which the restore takes back.
    with sqlite3.connect(live) as conn:
        conn.execute("DELETE FROM sources_citation")
        conn.execute("DELETE FROM partnerships_historicalpartner")
    conn.close()
    assert sqlite_fingerprint(live) != saved

    result = manage("restore", path, "--no-input", database_url=url)

    assert f"Restored {path} into the SQLite database {live}." in result.stdout
    assert sqlite_fingerprint(live) == saved
    assert saved["partnerships_historicalpartner"][0] > 0


def test_it_refuses_to_restore_what_is_not_a_backup(tmp_path):
    live = tmp_path / "db.sqlite3"
    sqlite3.connect(live).close()
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")

    result = manage(
        "restore", str(junk), "--no-input", database_url=f"sqlite:///{live}", check=False
    )

    assert result.returncode != 0
    assert f"{junk} is not an SQLite database" in result.stderr


def test_it_asks_before_replacing_the_database(tmp_path):
    live = tmp_path / "db.sqlite3"
    sqlite3.connect(live).close()
    env = {"DATABASE_URL": f"sqlite:///{live}", "DJANGO_ENV_FILE": "", "PATH": os.environ["PATH"]}

    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(live)],
        cwd=settings.BASE_DIR,
        env=env,
        input="no\n",
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert f"This replaces everything in the SQLite database {live}" in result.stdout
    assert "Restore cancelled; nothing was changed." in result.stderr
