"""Idempotency-Key on every POST: a village app on a bad connection that sends the same
request three times gets one effect and the same answer three times.

The key's record is inserted in the same transaction as the work. A second request
with the same key blocks on the unique index until the first commits, then finds the
stored answer and replays it; if the first failed (any answer of 400 or more, or an
error) its transaction rolled back with the record, so a retry does the work afresh.
Keys belong to the token's user and expire after API_IDEMPOTENCY_HOURS."""

import functools
import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from api.models import IdempotencyRecord
from api.problems import IdempotencyProblem, MissingIdempotencyKey
from santunan.uploads import upload_sha256

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("ETag", "Location")


def fingerprint(request) -> str:
    """What makes two requests 'the same': method, path, query and the parsed body.
    Parsed, not raw: a multipart body's boundary differs on every send, so files count
    by their name and SHA-256."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    data = request.data
    items = []
    if hasattr(data, "lists"):
        for name, values in sorted(data.lists()):
            items.append([name, [str(v) for v in values]])
    else:
        items.append(json.dumps(data, sort_keys=True, cls=JSONEncoder))
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            items.append([name, upload.name, upload_sha256(upload)])
    digest.update(json.dumps(items, sort_keys=True, cls=JSONEncoder).encode())
    return digest.hexdigest()


def _key(request) -> str:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        raise MissingIdempotencyKey(
            _("Setiap POST memerlukan header Idempotency-Key (misalnya sebuah UUID baru).")
        )
    if len(key) > 255 or not key.isascii() or not key.isprintable():
        raise MissingIdempotencyKey(
            _("Idempotency-Key paling panjang 255 karakter ASCII yang dapat dicetak.")
        )
    return key


def _replay(record: IdempotencyRecord, print_) -> Response:
    if record.fingerprint != print_:
        raise IdempotencyProblem(
            _(
                "Idempotency-Key ini sudah dipakai untuk permintaan lain. "
                "Pakai kunci baru untuk permintaan yang berbeda."
            )
        )
    response = Response(record.body, status=record.status_code, headers=record.headers)
    response["Idempotent-Replayed"] = "true"
    return response


def _claim_key(owner, key: str, print_: str, now) -> IdempotencyRecord:
    """A new, unanswered record for the key (status_code 0), or the answered one another
    request committed. An expired record is deleted and the key taken afresh: looked at
    only on a conflict, so the usual request costs one insert."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    owner=owner,
                    key=key,
                    fingerprint=print_,
                    expires_at=now + timedelta(hours=settings.API_IDEMPOTENCY_HOURS),
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(owner=owner, key=key)
            if record.expires_at > now:
                return record
            record.delete()
    raise IdempotencyProblem(_("Idempotency-Key ini sedang dipakai; coba lagi."))


def idempotent(handler):
    """Wrap a view's post(): run it at most once per (user, key)."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = _key(request)
        print_ = fingerprint(request)
        now = timezone.now()
        with transaction.atomic():
            record = _claim_key(request.user, key, print_, now)
            if record.status_code:
                return _replay(record, print_)
            response = handler(self, request, *args, **kwargs)
            if response.status_code >= 400:
                # Keep nothing: the work did not happen, a retry may do it.
                transaction.set_rollback(True)
                return response
            record.status_code = response.status_code
            record.body = json.loads(json.dumps(response.data, cls=JSONEncoder))
            record.headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
            record.save(update_fields=["status_code", "body", "headers"])
        return response

    return wrapper
