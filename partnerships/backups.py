"""Backups of the whole database, and restoring one: pg_dump's custom format
and pg_restore for PostgreSQL, SQLite's online backup API for SQLite. The
connection is the one DATABASE_URL configures.

The password goes to pg_dump and pg_restore in PGPASSWORD, never on their
command line, where other users of the machine could read it.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone
from psycopg.conninfo import make_conninfo

# The libpq connection options a DATABASE_URL may carry in its query string
# (sslmode=require, …); other OPTIONS are psycopg's or Django's own.
LIBPQ_OPTIONS = {
    "application_name",
    "channel_binding",
    "connect_timeout",
    "gssencmode",
    "options",
    "passfile",
    "service",
    "sslcert",
    "sslcrl",
    "sslkey",
    "sslmode",
    "sslrootcert",
    "target_session_attrs",
}
POSTGRES_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


def describe(alias="default"):
    """The database a backup is taken from or restored into, for messages."""
    settings = connections[alias].settings_dict
    if connections[alias].vendor == "postgresql":
        where = settings["HOST"] or "the local socket"
        if settings["PORT"]:
            where += f":{settings['PORT']}"
        return f"PostgreSQL database {settings['NAME']!r} on {where}"
    return f"SQLite database {settings['NAME']}"


def backup(directory, alias="default"):
    """Writes a backup into `directory` and returns its path."""
    connection = connections[alias]
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    name = Path(str(connection.settings_dict["NAME"])).stem
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    suffix = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
    path = directory / f"{name}-{stamp}{suffix}"
    if path.exists():
        raise CommandError(f"{path} already exists: wait a second and try again.")
    # Written under a temporary name, so that a failed backup leaves nothing
    # that looks like one.
    partial = path.with_name(path.name + ".partial")
    try:
        if connection.vendor == "postgresql":
            _pg_dump(connection, partial)
        else:
            _sqlite_copy(str(connection.settings_dict["NAME"]), partial)
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore(path, alias="default"):
    """Replaces the database's contents with the backup at `path`."""
    connection = connections[alias]
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"No backup at {path}.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if connection.vendor == "postgresql":
        if not head.startswith(POSTGRES_MAGIC):
            raise CommandError(
                f"{path} is not a PostgreSQL backup (pg_dump's custom format), "
                f"so it cannot be restored into the {describe(alias)}."
            )
        connection.close()
        _pg_restore(connection, path)
    else:
        if head != SQLITE_MAGIC:
            raise CommandError(
                f"{path} is not an SQLite database, so it cannot be restored into the "
                f"{describe(alias)}."
            )
        connection.close()
        _sqlite_copy(str(path), str(connection.settings_dict["NAME"]))


# -- PostgreSQL ---------------------------------------------------------------------


def _pg_conninfo(connection):
    settings = connection.settings_dict
    params = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "host": settings["HOST"],
        "port": settings["PORT"],
        **{
            key: value
            for key, value in settings.get("OPTIONS", {}).items()
            if key in LIBPQ_OPTIONS
        },
    }
    return make_conninfo(**{key: str(value) for key, value in params.items() if value})


def _pg_env(connection):
    env = dict(os.environ)
    if connection.settings_dict["PASSWORD"]:
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def _pg_program(name):
    program = shutil.which(name)
    if program is None:
        raise CommandError(
            f"{name} is not installed: install PostgreSQL's client programs, of the "
            "server's major version or later (apt-get install -y postgresql-client)."
        )
    return program


def _run(command, connection):
    result = subprocess.run(command, env=_pg_env(connection), capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(
            f"{Path(command[0]).name} failed (exit {result.returncode}): {result.stderr.strip()}"
        )


def _pg_dump(connection, path):
    _run(
        [
            _pg_program("pg_dump"),
            "--format=custom",
            # Restorable by another role, into another server.
            "--no-owner",
            "--no-privileges",
            f"--file={path}",
            f"--dbname={_pg_conninfo(connection)}",
        ],
        connection,
    )


def _pg_restore(connection, path):
    _run(
        [
            _pg_program("pg_restore"),
            # Drops what the backup holds before recreating it, all in one
            # transaction: a restore that fails changes nothing.
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={_pg_conninfo(connection)}",
            str(path),
        ],
        connection,
    )


# -- SQLite -------------------------------------------------------------------------------


def _sqlite_copy(source, target):
    """Copies the SQLite database `source` onto `target` page by page with the
    online backup API: consistent even while the site writes to `source`."""
    if not Path(source).is_file():
        raise CommandError(f"No SQLite database at {source}.")
    src = sqlite3.connect(Path(source).resolve().as_uri() + "?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
