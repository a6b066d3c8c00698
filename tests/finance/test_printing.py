"""A batch printed at once: one PDF of every letter in order, or a ZIP of them with
the daftar nominatif and the order to pay."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from santunan.finance.documents import render_batch_documents
from santunan.finance.letters.pdf import qr_png
from santunan.finance.printing import stale_letters
from santunan.finance.services import create_batch, set_budget, sign_batch
from santunan.finance.verification import verify_token
from santunan.models import PayoutBatch, PayoutDocument, RenderState

NIP = "197501012000031001"
VERIFY = re.compile(r"(https?://\S+/cek-surat/(\S+?)/)")


@pytest.fixture(autouse=True)
def budget(bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=100_000_000)


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def signed_batch(approve, bendahara, settings, django_capture_on_commit_callbacks):
    """A signed batch of three whose letters the worker rendered when it was signed."""
    settings.TASKS = IMMEDIATE
    claims = [approve(n) for n in (1, 2, 3)]
    batch = create_batch(user=bendahara, claim_ids=[c.pk for c in claims])
    with django_capture_on_commit_callbacks(execute=True):
        sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP)
    return PayoutBatch.objects.get(pk=batch.pk)


def test_signing_hands_every_letter_to_the_worker(
    approve, bendahara, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    batch = create_batch(user=bendahara, claim_ids=[approve(1).pk, approve(2).pk])

    with django_capture_on_commit_callbacks() as callbacks:
        sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP)

    batch = PayoutBatch.objects.get(pk=batch.pk)
    assert (batch.render_state, batch.render_done, batch.render_total) == (
        RenderState.QUEUED,
        0,
        4,
    )
    assert not PayoutDocument.objects.filter(batch=batch).exists()  # nothing in the request
    for callback in callbacks:
        callback()
    batch = PayoutBatch.objects.get(pk=batch.pk)
    assert batch.render_state == RenderState.DONE
    assert PayoutDocument.objects.filter(batch=batch).count() == 4
    assert stale_letters(batch) == 0


def test_the_batch_page_says_the_letters_are_being_prepared_until_the_worker_is_done(
    client_for, approve, bendahara
):
    batch = create_batch(user=bendahara, claim_ids=[approve(1).pk])
    sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP)
    client = client_for(bendahara)

    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    printed = client.get(reverse("finance:print_letters", args=[batch.pk]), follow=True)

    assert 'id="letters-preparing"' in page
    assert reverse("finance:print_letters", args=[batch.pk]) not in page
    # Asked anyway (an old tab): the request does not render what the worker renders.
    assert "sedang disiapkan" in printed.content.decode()
    assert not PayoutDocument.objects.filter(batch=batch).exists()

    render_batch_documents(batch.pk)  # what the worker does
    fragment = client.get(reverse("finance:render_progress", args=[batch.pk])).content.decode()
    assert reverse("finance:print_letters", args=[batch.pk]) in fragment
    assert 'id="letters-preparing"' not in fragment and "hx-trigger" not in fragment


def pixels(image: Image.Image) -> bytes:
    return image.convert("L").point(lambda v: 255 if v > 127 else 0).tobytes()


def test_the_merged_pdf_has_one_page_per_letter_in_order_and_each_qr_verifies(
    client_for, bendahara, signed_batch
):
    response = client_for(bendahara).get(reverse("finance:print_letters", args=[signed_batch.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))

    items = list(signed_batch.items.order_by("position").select_related("claim"))
    assert len(reader.pages) == len(items)
    for page, item in zip(reader.pages, items, strict=True):
        text = " ".join((page.extract_text() or "").split())
        assert f"Nomor: {signed_batch.number}/{item.position:04d}" in text
        assert item.claim.number in text
        url, token = VERIFY.search(text).groups()
        # The QR code drawn on the page encodes exactly the printed address…
        (qr,) = page.images
        assert pixels(qr.image) == pixels(Image.open(io.BytesIO(qr_png(url))))
        # …and that address verifies this very letter.
        result = verify_token(token)
        assert result.valid and result.number == f"{signed_batch.number}/{item.position:04d}"


def test_the_zip_holds_each_letter_and_the_two_batch_documents(client_for, bendahara, signed_batch):
    response = client_for(bendahara).get(reverse("finance:letters_zip", args=[signed_batch.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert sum(name.startswith("daftar_nominatif-") for name in names) == 1
    assert sum(name.startswith("perintah_bayar-") for name in names) == 1
    letters = sorted(name for name in names if name[:4].isdigit())
    assert [name[:4] for name in letters] == ["0001", "0002", "0003"]
    stored = PayoutDocument.objects.get(batch=signed_batch, number=f"{signed_batch.number}/0002")
    with stored.file.open("rb") as handle:
        assert archive.read(letters[1]) == handle.read()


def test_a_large_batch_not_yet_rendered_asks_for_the_documents_first(
    client_for, approve, bendahara, settings
):
    settings.FINANCE_BACKGROUND_MIN_CLAIMS = 1
    draft = create_batch(user=bendahara, claim_ids=[approve(n).pk for n in (1, 2)])
    response = client_for(bendahara).get(reverse("finance:print_letters", args=[draft.pk]))
    assert response.status_code == 302
    assert not PayoutDocument.objects.filter(batch=draft).exists()


def test_only_the_treasurer_prints_a_batch(client_for, approver, signed_batch):
    response = client_for(approver).get(reverse("finance:letters_zip", args=[signed_batch.pk]))
    assert response.status_code == 403
