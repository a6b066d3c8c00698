"""A file chosen in a form that was refused for another reason is kept, so the
treasurer does not have to pick the scan again (a browser never refills a file input).

The file waits in storage under a random name; the page carries a signed token naming
it, its original name, the person and the form field, valid for a few hours. Only the
same person's next try of the same field can use it."""

import uuid
from datetime import timedelta

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

SALT = "santunan.finance.held"
MAX_AGE = 6 * 3600
FOLDER = "payouts/held/"


def hold(upload: UploadedFile, *, user_id: int, field: str) -> str:
    sweep()
    upload.seek(0)
    name = default_storage.save(f"{FOLDER}{uuid.uuid4().hex}", upload)
    upload.seek(0)
    payload = {"n": name, "u": user_id, "f": field, "o": (upload.name or "")[-100:]}
    return signing.dumps(payload, salt=SALT, compress=True)


def read(token: str, *, user_id: int, field: str) -> dict | None:
    """The token's payload when it is this person's, for this field, unaltered, recent
    and its file still there; else None."""
    if not token:
        return None
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("u") != user_id or payload.get("f") != field:
        return None
    name = str(payload.get("n", ""))
    if not name.startswith(FOLDER) or not default_storage.exists(name):
        return None
    return payload


def open_held(payload: dict) -> File:
    """The kept file, named as it was chosen (the name only shows in messages)."""
    handle = File(default_storage.open(payload["n"], "rb"))
    handle.name = payload["o"] or "berkas"
    return handle


def release(payload: dict | None) -> None:
    """Delete a kept file once its payment is recorded (the payment stored its own copy)."""
    if payload:
        default_storage.delete(payload["n"])


def sweep() -> int:
    """Delete the kept files whose token has expired (a form left after a refusal):
    they are signed scans, not to be kept longer than they can be used. Run before
    each new file is kept, so the folder never holds more than a few hours' worth."""
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - timedelta(seconds=MAX_AGE)
    removed = 0
    for name in names:
        path = FOLDER + name
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
