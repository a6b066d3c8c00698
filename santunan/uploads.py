"""Hostile files: what an uploaded image or PDF must not be before it is stored.

Images are opened under a pixel limit (a 50 KB PNG can declare 20000×20000 pixels and
take gigabytes to decode), PDFs are refused when they carry active content: scripts,
actions run on opening, programs to launch or files embedded in them. A scanned
document needs none of these."""

import hashlib
import re
import warnings
import zlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


class UploadRefused(ValueError):
    """Why a file is refused, in words for the person who uploaded it."""


def upload_sha256(upload: UploadedFile) -> str:
    """The upload's SHA-256, read once: the API's idempotency fingerprint and the
    stored document both need it, and a 1 MB file should not be hashed twice. Kept on
    the upload object, which lives for one request."""
    digest = getattr(upload, "_esantunan_sha256", None)
    if digest is None:
        hasher = hashlib.sha256()
        for chunk in upload.chunks():
            hasher.update(chunk)
        upload.seek(0)
        digest = upload._esantunan_sha256 = hasher.hexdigest()
    return digest


def check_image(upload: UploadedFile) -> None:
    from PIL import Image, UnidentifiedImageError

    limit = settings.MAX_IMAGE_PIXELS
    too_large = _(
        'Gambar "%(name)s" terlalu besar ukurannya (lebih dari %(limit)d juta piksel). '
        "Foto ulang dengan kamera biasa atau kecilkan gambarnya."
    ) % {"name": upload.name, "limit": limit // 1_000_000}
    try:
        with warnings.catch_warnings():
            # Between the limit and twice it Pillow only warns; the limit below refuses.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
        with image:
            # The header's size is known before any pixel is decoded.
            if image.width * image.height > limit:
                raise UploadRefused(too_large)
            image.verify()
    except UploadRefused:
        raise
    except Image.DecompressionBombError:
        raise UploadRefused(too_large) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRefused(
            _('Gambar "%(name)s" rusak atau tidak lengkap.') % {"name": upload.name}
        ) from None
    finally:
        upload.seek(0)


# Names of active content, each with the reason shown to the person.
ACTIVE_PDF_NAMES = {
    b"JavaScript": "script",
    b"JS": "script",
    b"OpenAction": "action",
    b"AA": "action",
    b"Launch": "launch",
    b"EmbeddedFile": "embedded",
    b"EmbeddedFiles": "embedded",
}
# A PDF name: "/" then regular characters; "#xx" escapes spell the same name
# ("/J#61vaScript" is "/JavaScript").
PDF_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]+)")
STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
# Compressed streams are inflated to look inside (object streams hide dictionaries),
# up to a bound so that a deflate bomb costs nothing.
MAX_INFLATED = 20 * 1024 * 1024


def _names(data: bytes):
    for match in PDF_NAME.finditer(data):
        raw = match.group(1)
        if b"#" in raw:
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        yield raw


def _inflated_streams(data: bytes):
    budget = MAX_INFLATED
    for match in STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk


def pdf_active_content(data: bytes) -> str | None:
    """'script', 'action', 'launch' or 'embedded' when the PDF carries such content."""
    found = {
        ACTIVE_PDF_NAMES[name]
        for part in (data, *_inflated_streams(data))
        for name in _names(part)
        if name in ACTIVE_PDF_NAMES
    }
    # The gravest reason first: a script is usually started by an OpenAction.
    return next(
        (kind for kind in ("script", "launch", "embedded", "action") if kind in found), None
    )


def check_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = pdf_active_content(data)
    if kind is None:
        return
    reasons = {
        "script": _("berisi JavaScript"),
        "action": _("menjalankan tindakan otomatis saat dibuka (OpenAction/AA)"),
        "launch": _("berisi perintah menjalankan program (Launch)"),
        "embedded": _("berisi berkas lain yang disisipkan"),
    }
    raise UploadRefused(
        _(
            'PDF "%(name)s" ditolak karena %(reason)s. Pindai atau cetak ulang dokumennya '
            "ke PDF biasa, atau unggah fotonya."
        )
        % {"name": upload.name, "reason": reasons[kind]}
    )


# A document opened from the service must not act as a page of the service: no script,
# no form, no plugin, and the browser must not guess another type than the one sniffed.
DOCUMENT_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


def document_response(handle, *, content_type: str, filename: str):
    """An uploaded document as a download-safe response. Images are shown in the
    browser; PDFs are downloaded (Chromium refuses to show a PDF under a sandbox
    policy, and the sandbox matters more than the preview)."""
    from django.http import FileResponse

    response = FileResponse(
        handle,
        content_type=content_type,
        filename=filename,
        as_attachment=not content_type.startswith("image/"),
    )
    if not response.has_header("Content-Length") and getattr(handle, "size", None):
        # A stream from the bucket cannot be measured by seeking; its size is known.
        response["Content-Length"] = handle.size
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOCUMENT_CSP
    response["Cache-Control"] = "private, no-store"
    return response
