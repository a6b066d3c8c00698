"""Moving the stored files between the disk and a bucket, e.g. when an installation
grows from one app server to several.

Every file the database refers to is copied under the same name, read back from the
target and compared by SHA-256 with what was read from the source. Running it again
skips what is already there with the same bytes and replaces a partial copy left by an
interrupted run, so it can be stopped and started at will. A source file is removed
only on request, only after its copy was verified, and only once the target is the
storage the service uses (otherwise the running service would lose its documents)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import connection

from filestore.inventory import stored_names
from filestore.storage import copy_stored, sha256_of


class MoveRefused(ValueError):
    pass


@dataclass
class MoveReport:
    referenced: int = 0
    copied: int = 0
    already: int = 0
    removed: int = 0
    bytes_copied: int = 0
    missing: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.missing or self.failed)


def _same(source: Storage, target: Storage, name: str) -> bool:
    if source.size(name) != target.size(name):
        return False
    return sha256_of(source, name)[0] == sha256_of(target, name)[0]


def move_documents(*, to: str, delete_source: bool = False, progress=None) -> MoveReport:
    """Copy every referenced file into the `to` backend ("s3" or "filesystem") from
    the other one."""
    if to not in settings.DOCUMENT_BACKENDS or len(settings.DOCUMENT_BACKENDS) < 2:
        raise MoveRefused("Moving needs both backends configured (S3_BUCKET and MEDIA_ROOT).")
    if delete_source and settings.DOCUMENT_STORAGE != to:
        raise MoveRefused(
            "Source files are removed only when the target is the storage in use "
            "(set DOCUMENT_STORAGE to it and restart the service first)."
        )
    target = storages[to]
    source = storages["filesystem" if to == "s3" else "s3"]
    with connection.cursor() as cursor:
        names = [name for _label, name in stored_names(cursor)]
    report = MoveReport(referenced=len(names))
    for number, name in enumerate(names, start=1):
        if not source.exists(name):
            if target.exists(name):
                report.already += 1  # moved by an earlier run that removed the source
            else:
                report.missing.append(name)
            continue
        if target.exists(name):
            if _same(source, target, name):
                report.already += 1
            else:
                # A partial copy of an interrupted run: the source is the truth.
                target.delete(name)
        if not target.exists(name):
            digest, size = copy_stored(source, target, name)
            if sha256_of(target, name)[0] != digest:
                target.delete(name)
                report.failed.append(name)
                continue
            report.copied += 1
            report.bytes_copied += size
        if delete_source:
            source.delete(name)
            report.removed += 1
        if progress and number % 100 == 0:
            progress(number, len(names))
    return report
