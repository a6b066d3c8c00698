"""Backup and restore of a whole installation: the database and every stored document,
with a manifest that lets a restore prove it got back what was saved.

A backup is a folder:

    manifest.json        format, time, row counts per table, SHA-256 of every file
    database.pgdump      pg_dump -Fc (PostgreSQL) or database.sqlite3 (SQLite)
    documents/<name>     each stored file under its storage name

It is written under a temporary name and renamed when complete, so a folder with a
manifest is a whole backup. A restore checks every checksum before it changes
anything, refuses a database that already has tables (unless forced), loads the
database, puts the documents into the configured storage (skipping any already there
with the same bytes, so an interrupted restore can run again), and then compares the
row counts and reads every document back to compare its checksum."""

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from backups.database import (
    DatabaseCopyError,
    copy_database,
    current_counts,
    is_empty,
    load_database,
)
from filestore.storage import CHUNK, backend_name, open_stored, sha256_of

FORMAT = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents"


class BackupError(RuntimeError):
    """Why a backup or restore stopped, for the person running it."""


@dataclass
class BackupReport:
    path: Path
    tables: int
    rows: int
    documents: int
    bytes: int
    missing: list[str] = field(default_factory=list)


@dataclass
class RestoreReport:
    tables: int
    rows: int
    documents: int
    skipped: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _inside(folder: Path, name: str) -> Path:
    """Where a stored name goes under the backup's documents folder; a name that would
    leave it (absolute, or with ..) is refused."""
    root = (folder / DOCUMENTS).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or path == root:
        raise BackupError(f"Refused a document name outside the backup: {name!r}")
    return path


def _save_document(name: str, target: Path) -> tuple[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with open_stored(default_storage, name) as source, target.open("wb") as out:
        for chunk in source.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def backup(destination: Path) -> BackupReport:
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} already exists; give a new folder for each backup.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    partial.mkdir()
    try:
        copied = copy_database(partial)
    except DatabaseCopyError as error:
        raise BackupError(str(error)) from None
    files, missing, total = {}, [], 0
    for name in copied.names:
        try:
            digest, size = _save_document(name, _inside(partial, name))
        except FileNotFoundError:
            missing.append(name)
            continue
        files[name] = {"sha256": digest, "size": size}
        total += size
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {
            "vendor": copied.vendor,
            "file": copied.path.name,
            "sha256": file_sha256(copied.path),
            "size": copied.path.stat().st_size,
            "tables": copied.tables,
        },
        "documents": {
            "storage": backend_name(),
            "count": len(files),
            "bytes": total,
            "files": files,
            # Referenced by the database but absent from the storage when copied.
            "missing": missing,
        },
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    partial.rename(destination)
    return BackupReport(
        path=destination,
        tables=len(copied.tables),
        rows=sum(copied.tables.values()),
        documents=len(files),
        bytes=total,
        missing=missing,
    )


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: not a complete backup.")
    try:
        manifest = json.loads(path.read_text())
    except ValueError:
        raise BackupError(f"{path} is damaged (not JSON).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} has format {manifest.get('format')!r}; expected {FORMAT}.")
    return manifest


def verify_backup(source: Path) -> dict:
    """The manifest, once every file of the backup matches its checksum."""
    source = Path(source)
    manifest = read_manifest(source)
    database = source / manifest["database"]["file"]
    if not database.is_file() or file_sha256(database) != manifest["database"]["sha256"]:
        raise BackupError(f"{database.name} is missing or does not match its checksum.")
    bad = [
        name
        for name, expected in manifest["documents"]["files"].items()
        if not _inside(source, name).is_file()
        or file_sha256(_inside(source, name)) != expected["sha256"]
    ]
    if bad:
        raise BackupError(
            f"{len(bad)} document(s) in the backup are missing or damaged, e.g. {bad[0]}."
        )
    return manifest


def restore(source: Path, *, force: bool = False) -> RestoreReport:
    source = Path(source)
    manifest = verify_backup(source)
    files = manifest["documents"]["files"]
    if not force and not is_empty():
        raise BackupError(
            "The database already has tables; restore into a new, empty database "
            "(or pass --force to replace its contents)."
        )
    present = {name for name in files if default_storage.exists(name)}
    differing = [n for n in present if sha256_of(default_storage, n)[0] != files[n]["sha256"]]
    if differing and not force:
        raise BackupError(
            f"{len(differing)} document(s) already in the storage differ from the backup, "
            f"e.g. {differing[0]}; restore into an empty storage (or pass --force)."
        )
    try:
        load_database(
            manifest["database"]["vendor"],
            source / manifest["database"]["file"],
            replace=force,
        )
    except DatabaseCopyError as error:
        raise BackupError(str(error)) from None
    for name in differing:
        default_storage.delete(name)
    skipped = len(present) - len(differing)
    for name in files:
        if name in present and name not in differing:
            continue
        with _inside(source, name).open("rb") as handle:
            stored = default_storage.save(name, File(handle, name))
        if stored != name:
            raise BackupError(f"The storage renamed {name} to {stored}; nothing refers to it.")
    _check_restored(manifest)
    tables = manifest["database"]["tables"]
    return RestoreReport(
        tables=len(tables), rows=sum(tables.values()), documents=len(files), skipped=skipped
    )


def _check_restored(manifest: dict) -> None:
    expected = manifest["database"]["tables"]
    counts = current_counts()
    differ = sorted(t for t in expected if counts.get(t) != expected[t])
    if differ:
        raise BackupError(
            "Row counts after the restore differ from the backup in: " + ", ".join(differ[:10])
        )
    for name, recorded in manifest["documents"]["files"].items():
        if sha256_of(default_storage, name)[0] != recorded["sha256"]:
            raise BackupError(f"{name} does not match its checksum after the restore.")
