"""Payout letters and the letterhead logo in the bucket: rendered into it, downloaded
and printed from it by the treasurer, and a letter rendered again replaces its object
once the new one is committed."""

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from office.models import Letterhead
from office.selectors import letterhead_on
from santunan.finance.documents import _logo, ensure_document
from santunan.finance.services import create_batch, set_budget, sign_batch
from santunan.models import DocumentType
from tests.finance.conftest import approve, pdf_text  # noqa: F401 - the fixture
from tests.santunan.factories import png_bytes

NIP = "197501012000031001"


@pytest.fixture(autouse=True)
def budget(bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=100_000_000)


def test_a_letter_rendered_again_replaces_its_object_after_commit(
    approve, bendahara, bucket, s3_server, django_capture_on_commit_callbacks  # noqa: F811
):
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    first = ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk)
    assert first.file.name in s3_server.objects(bucket)

    batch = sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang Wijaya", signer_nip=NIP
    )
    with django_capture_on_commit_callbacks(execute=True):
        changed = ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk)

    stored = s3_server.objects(bucket)
    assert changed.file.name in stored and first.file.name not in stored
    assert "Drs. Bambang Wijaya" in pdf_text(stored[changed.file.name])


def test_the_treasurer_downloads_and_prints_letters_from_the_bucket(
    approve, bendahara, bucket, client_for  # noqa: F811
):
    claims = [approve(1), approve(2)]
    batch = create_batch(user=bendahara, claim_ids=[c.pk for c in claims])
    client = client_for(bendahara)

    single = client.get(
        reverse("finance:claim_document", args=[batch.pk, DocumentType.RECEIPT, claims[0].pk])
    )
    printed = client.get(reverse("finance:print_letters", args=[batch.pk]), follow=True)

    assert single.status_code == 200
    assert "KUITANSI" in pdf_text(b"".join(single.streaming_content)).upper()
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    merged = PdfReader(io.BytesIO(b"".join(printed.streaming_content)))
    assert len(merged.pages) >= 2


def test_a_letterhead_logo_kept_in_the_bucket_is_printed(bucket, db):
    letterhead = Letterhead(
        valid_from=date(2020, 1, 1),
        regency="Kabupaten Batang",
        office="Dinas Sosial",
        address="Jl. Jend. Sudirman",
        place="Batang",
    )
    letterhead.logo.save("logo.png", ContentFile(png_bytes((120, 160))), save=True)

    reference = letterhead_on(date(2026, 1, 1)).logo_path

    assert reference == f"storage:{letterhead.logo.name}"
    assert _logo(reference).startswith("data:image/png;base64,")
