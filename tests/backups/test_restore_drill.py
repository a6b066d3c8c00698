"""The restore drill: claims with their documents, letters and receipts are backed up,
restored by a separate process into a fresh database (its own PostgreSQL database, or
a new SQLite file) and an empty document folder, and the copy has the same rows in
every table and the same bytes in every document."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from backups.database import current_counts
from filestore.inventory import stored_names
from filestore.storage import sha256_of

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
DROPPED_ENV = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "MEDIA_ROOT", "DOCUMENT_STORAGE"}


class FreshInstallation:
    """An empty database and document folder, and `manage.py` run against them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.media = folder / "media"
        base = os.environ.get("DATABASE_URL", "")
        self._drop = lambda: None
        if base.startswith("postgres"):
            import psycopg

            parsed = urlparse(base)
            name = f"{parsed.path.lstrip('/')}_restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            server = parsed._replace(path="/postgres").geturl()
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')

            def drop():
                with psycopg.connect(server, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

            self._drop = drop
            self.database_url = parsed._replace(path=f"/{name}").geturl()
        else:
            self.database_url = f"sqlite:///{folder / 'restored.sqlite3'}"

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
        env.update(
            DEBUG="1",
            DATABASE_URL=self.database_url,
            DATA_DIR=str(self.folder / "data"),
            MEDIA_ROOT=str(self.media),
            DJANGO_SETTINGS_MODULE="config.settings",
        )
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
            text=True, timeout=600,
        )

    def counts(self) -> dict[str, int]:
        query = "SELECT COUNT(*) FROM \"{}\""
        if self.database_url.startswith("sqlite"):
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///")) as db:
                tables = [r[0] for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )]
                return {t: db.execute(query.format(t)).fetchone()[0] for t in tables}
        import psycopg

        with psycopg.connect(self.database_url) as db:
            tables = [r[0] for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )]
            return {t: db.execute(query.format(t)).fetchone()[0] for t in tables}

    def document_checksums(self) -> dict[str, str]:
        return {
            str(p.relative_to(self.media)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in self.media.rglob("*")
            if p.is_file()
        }

    def close(self):
        self._drop()


@pytest.fixture
def fresh(tmp_path):
    installation = FreshInstallation(tmp_path / "fresh")
    installation.folder.mkdir()
    yield installation
    installation.close()


@pytest.fixture
def claims_with_documents(operator_a, bendahara, media):
    call_command("generate_claims", 14, "--seed", "3", "--with-documents", "--every-state",
                 stdout=StringIO())
    call_command("generate_payouts", stdout=StringIO())
    with connection.cursor() as cursor:
        names = [name for _label, name in stored_names(cursor)]
    # Claim scans and the signed receipts of cash payouts, at least.
    assert len(names) >= 40 and any(n.startswith("payouts/") for n in names)
    return {name: sha256_of(default_storage, name)[0] for name in names}


def backup(destination: Path) -> str:
    out = StringIO()
    call_command("backup", str(destination), stdout=out)
    return out.getvalue()


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_documents(
    claims_with_documents, fresh, tmp_path
):
    destination = tmp_path / "backups" / "2026-11-29"

    printed = backup(destination)
    restored = fresh.manage("restore", str(destination))

    assert restored.returncode == 0, restored.stderr
    assert "counts and checksums verified" in restored.stdout
    original = current_counts()
    assert fresh.counts() == original
    assert original["santunan_claim"] == 14 and original["santunan_claimdocument"] > 0
    assert fresh.document_checksums() == claims_with_documents
    manifest = json.loads((destination / "manifest.json").read_text())
    assert manifest["database"]["tables"] == original
    assert manifest["documents"]["count"] == len(claims_with_documents)
    assert f"{len(claims_with_documents)} documents" in printed


def test_a_restore_refuses_a_database_that_is_not_empty_unless_forced(
    claims_with_documents, fresh, tmp_path
):
    destination = tmp_path / "backup"
    backup(destination)
    assert fresh.manage("restore", str(destination)).returncode == 0

    again = fresh.manage("restore", str(destination))
    forced = fresh.manage("restore", str(destination), "--force")

    assert again.returncode != 0 and "already has tables" in again.stderr
    assert forced.returncode == 0, forced.stderr
    assert f"({len(claims_with_documents)} already in place)" in forced.stdout
    assert fresh.counts() == current_counts()


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    claims_with_documents, fresh, tmp_path
):
    destination = tmp_path / "backup"
    backup(destination)
    damaged = destination / "documents" / next(iter(claims_with_documents))
    damaged.write_bytes(damaged.read_bytes() + b"!")

    result = fresh.manage("restore", str(destination))

    assert result.returncode != 0 and "missing or damaged" in result.stderr
    assert fresh.counts() == {} and not fresh.media.exists()


def test_a_backup_is_never_written_over_another(claims_with_documents, tmp_path):
    destination = tmp_path / "backup"
    backup(destination)

    with pytest.raises(Exception, match="already exists"):
        backup(destination)


def test_documents_kept_in_a_bucket_are_backed_up_and_restored_to_disk(
    bucket, operator_a, fresh, tmp_path
):
    call_command("generate_claims", 4, "--seed", "3", "--with-documents", "--every-state",
                 stdout=StringIO())
    with connection.cursor() as cursor:
        names = [name for _label, name in stored_names(cursor)]
    in_bucket = {name: sha256_of(default_storage, name)[0] for name in names}
    destination = tmp_path / "backup"

    backup(destination)
    restored = fresh.manage("restore", str(destination))

    assert restored.returncode == 0, restored.stderr
    assert json.loads((destination / "manifest.json").read_text())["documents"]["storage"] == "s3"
    assert len(in_bucket) >= 16 and fresh.document_checksums() == in_bucket
