"""Helpers that build claims through the real services."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from santunan.models import REQUIRED_DOCUMENTS, DocumentKind
from santunan.services import attach_document, create_claim, submit_claim

# Valid NIKs of Batang (33.25): a man born 12-03-1950 and a woman born 05-07-1980.
DECEASED_NIK = "3325011203500001"
HEIR_NIK = "3325014507800002"


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(name="ktp.png", content: bytes | None = None, content_type="image/png"):
    return SimpleUploadedFile(name, content if content is not None else png_bytes(), content_type)


def claim_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "deceased_nik": DECEASED_NIK,
        "deceased_name": "Slamet Riyadi",
        "deceased_sex": "L",
        "deceased_birth_date": timezone.datetime(1950, 3, 12).date(),
        "death_date": today - timedelta(days=5),
        "death_place": "Rumah",
        "deceased_kk": "3325010101090001",
        "deceased_address": "Dukuh Krajan RT 01/02, Silurah",
        "heir_nik": HEIR_NIK,
        "heir_name": "Siti Aminah",
        "heir_relation": "anak",
        "heir_phone": "081234567890",
        "heir_address": "Dukuh Krajan RT 01/02, Silurah",
        "payout_method": "tunai",
    }
    data.update(overrides)
    return data


def draft_claim(operator, *, documents=True, **overrides):
    claim = create_claim(user=operator, data=claim_data(**overrides))
    if documents:
        kinds = list(REQUIRED_DOCUMENTS)
        if claim.payout_method == "transfer":
            kinds.append(DocumentKind.BANK_BOOK)
        for kind in kinds:
            attach_document(user=operator, claim_id=claim.pk, kind=kind, upload=upload())
    return claim


def submitted_claim(operator, **overrides):
    claim = draft_claim(operator, **overrides)
    return submit_claim(user=operator, claim_id=claim.pk)
