"""Where documents live: this machine's disk (MEDIA_ROOT) or an S3-compatible bucket
that several app servers and workers share, chosen by DOCUMENT_STORAGE.

Every stored file holds personal data (scans of KK and KTP, letters with names and bank
accounts), so neither backend hands out addresses: objects are written private, `url()`
refuses as the filesystem does without MEDIA_URL, and the permission-checked views
stream the bytes themselves through `open_stream`."""

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

CHUNK = 256 * 1024


class StreamedFile(File):
    """A stored object read in the order its bytes arrive from the bucket: nothing is
    buffered beyond the chunk being read, and it cannot seek. FileResponse reads it
    block by block; its length comes from the object's metadata."""

    def __init__(self, body, name: str, size: int):
        super().__init__(body, name)
        self.size = size

    def seekable(self) -> bool:
        return False

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        size = chunk_size or self.DEFAULT_CHUNK_SIZE
        while data := self.file.read(size):
            yield data


class DocumentS3Storage(S3Storage):
    """django-storages' S3 backend with the service's rules: private objects, names
    never reused (a new upload never replaces another's bytes), no addresses, reads
    that spill to disk beyond a few megabytes, and timeouts short enough that a bucket
    that does not answer fails a request instead of holding a worker."""

    def __init__(self, *, connect_timeout: float = 5, read_timeout: float = 60, **options):
        options.setdefault("default_acl", "private")
        options.setdefault("file_overwrite", False)
        options.setdefault("querystring_auth", True)
        # S3File reads a whole object into a SpooledTemporaryFile; beyond this it goes
        # to disk instead of memory (letters merged for printing, registry extracts).
        options.setdefault("max_memory_size", 2 * 1024 * 1024)
        if "client_config" not in options:
            options["client_config"] = Config(
                s3={"addressing_style": options.pop("addressing_style", None) or "auto"},
                signature_version="s3v4",
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                retries={"max_attempts": 3, "mode": "standard"},
            )
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Stored documents are not served by address; a view streams them.")

    def open_stream(self, name: str) -> StreamedFile:
        """The object as a stream straight from the bucket (one GET, read as it
        arrives), for downloads of files of any size."""
        key = self._normalize_name(name)
        try:
            answer = self.bucket.Object(key).get()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise FileNotFoundError(f"File does not exist: {name}") from None
            raise
        return StreamedFile(answer["Body"], name, answer["ContentLength"])

    def check(self) -> None:
        """Raise unless the bucket answers to these credentials."""
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)


def open_stream(field_file) -> File:
    """A stored file (a FieldFile) opened for a download response without reading it
    whole: the bucket's body as it arrives, or the file on disk."""
    storage = field_file.storage
    if hasattr(storage, "open_stream"):
        return storage.open_stream(field_file.name)
    return storage.open(field_file.name, "rb")


def backend_name(storage: Storage | None = None) -> str:
    storage = storage or default_storage
    return "s3" if hasattr(storage, "open_stream") else "filesystem"


def check_storage(storage: Storage | None = None) -> str:
    """"ok" when documents can be stored and read, "error" otherwise (the reason is
    logged, without names or keys). For health checks: cheap, writes nothing to a
    bucket."""
    storage = storage or default_storage
    try:
        if hasattr(storage, "check"):
            storage.check()
        elif isinstance(storage, FileSystemStorage):
            location = Path(storage.location)
            location.mkdir(parents=True, exist_ok=True)
            if not os.access(location, os.W_OK | os.X_OK):
                raise PermissionError("the document folder is not writable")
        else:
            storage.exists("healthz")
    except (OSError, ClientError, BotoCoreError) as error:
        logger.warning("document storage check failed: %s", type(error).__name__)
        return "error"
    return "ok"


def sha256_of(storage: Storage, name: str) -> tuple[str, int]:
    """SHA-256 (hex) and size of a stored file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open_stored(storage, name) as handle:
        for chunk in handle.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@contextmanager
def open_stored(storage: Storage, name: str):
    """A stored file opened for reading in chunks (streamed from a bucket), closed
    afterwards."""
    handle = storage.open_stream(name) if hasattr(storage, "open_stream") else storage.open(name, "rb")
    try:
        yield handle
    finally:
        handle.close()


def copy_stored(source: Storage, target: Storage, name: str) -> tuple[str, int]:
    """Copy one file under the same name, streamed; returns the SHA-256 and size of the
    bytes read from the source. The target must not hold the name (nothing is
    overwritten: a renamed copy would point no row at it)."""
    digest, size = hashlib.sha256(), 0
    with open_stored(source, name) as handle, tempfile.TemporaryFile() as spool:
        # Spooled to disk first: the S3 backend uploads from a seekable file in parts,
        # and the digest is known before the copy exists.
        for chunk in handle.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            spool.write(chunk)
        spool.seek(0)
        stored = target.save(name, File(spool, name))
    if stored != name:
        target.delete(stored)
        raise FileExistsError(f"{name} already exists in the target storage")
    return digest.hexdigest(), size


@contextmanager
def local_copy(name: str, storage: Storage | None = None) -> Iterator[Path]:
    """A path on this machine for a stored file, for readers that need one (openpyxl,
    PIL): the file itself on the filesystem backend, a temporary copy of the object
    otherwise, removed afterwards."""
    storage = storage or default_storage
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        yield Path(path)
        return
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, open_stored(storage, name) as handle:
        shutil.copyfileobj(handle, copy, CHUNK)
        copy.flush()
        yield Path(copy.name)
