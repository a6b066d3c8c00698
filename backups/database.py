"""The database half of a backup: one consistent copy, and what it holds.

PostgreSQL: `pg_dump -Fc` inside a snapshot exported by a read-only REPEATABLE READ
transaction, so the dump, the row counts and the list of stored files in the manifest
all describe the same instant while the service keeps writing. SQLite: the online
backup API copies the file page by page while others write, and the counts and names
are read from the copy."""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from filestore.inventory import stored_names

DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class DatabaseCopyError(RuntimeError):
    pass


@dataclass
class Copied:
    vendor: str
    path: Path
    tables: dict[str, int]
    names: list[str]


def table_counts(cursor, vendor: str) -> dict[str, int]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_settings() -> dict[str, str]:
    settings = connection.settings_dict
    return {
        "dbname": settings["NAME"],
        "host": settings.get("HOST") or "",
        "port": str(settings.get("PORT") or ""),
        "user": settings.get("USER") or "",
        "password": settings.get("PASSWORD") or "",
    }


def _pg_environment() -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: the password never appears on a
    command line (where `ps` would show it)."""
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    env = dict(os.environ)
    for key, variable in names.items():
        if value := _pg_settings()[key]:
            env[variable] = value
    return env


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise DatabaseCopyError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise DatabaseCopyError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def copy_database(folder: Path) -> Copied:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise DatabaseCopyError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    target = folder / DUMP_NAMES[vendor]
    if vendor == "sqlite":
        with _sqlite(connection.settings_dict["NAME"]) as source, _sqlite(target) as copy:
            source.backup(copy)
            cursor = copy.cursor()
            return Copied(vendor, target, table_counts(cursor, vendor), _names(cursor))
    import psycopg

    params = {k: v for k, v in _pg_settings().items() if v}
    with psycopg.connect(**params) as snapshot:
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot.read_only = True
        with snapshot.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            exported = cursor.fetchone()[0]
            tables = table_counts(cursor, vendor)
            names = _names(cursor)
            _run(
                [
                    _program("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={exported}",
                    f"--file={target}",
                    params["dbname"],
                ]
            )
        snapshot.rollback()
    return Copied(vendor, target, tables, names)


def _names(cursor) -> list[str]:
    return [name for _label, name in stored_names(cursor)]


@contextmanager
def _sqlite(path) -> Iterator[sqlite3.Connection]:
    database = sqlite3.connect(str(path))
    try:
        yield database
    finally:
        database.close()


def is_empty() -> bool:
    return not connection.introspection.table_names()


def load_database(vendor: str, path: Path, *, replace: bool) -> None:
    """Load a copy into the configured database, which must be of the same kind."""
    if vendor != connection.vendor:
        raise DatabaseCopyError(
            f"This backup is of a {vendor} database; the configured one is {connection.vendor}."
        )
    if vendor == "sqlite":
        connection.close()
        with _sqlite(path) as source, _sqlite(connection.settings_dict["NAME"]) as target:
            source.backup(target)  # every page replaced: the target becomes the copy
        return
    connection.close()
    command = [
        _program("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={_pg_settings()['dbname']}",
    ]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(path)])


def current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return table_counts(cursor, connection.vendor)
