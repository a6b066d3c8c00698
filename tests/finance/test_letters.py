"""The PDF letters read back as text: numbers, names, masked NIK, amounts, dates."""

from datetime import date

import pytest
from django.utils import timezone

from santunan.finance.documents import ensure_document, render_batch_documents
from santunan.finance.letters import rupiah, tanggal, terbilang
from santunan.finance.services import (
    create_batch,
    request_batch_documents,
    set_budget,
    sign_batch,
)
from santunan.models import DocumentType, PayoutBatch, RenderState
from tests.finance.conftest import pdf_text

NIP = "197501012000031001"


@pytest.fixture(autouse=True)
def budget(bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=100_000_000)


def read(document) -> str:
    with document.file.open("rb") as handle:
        return pdf_text(handle.read())


def test_dates_and_amounts_are_written_the_indonesian_way():
    assert tanggal(date(2026, 11, 27)) == "27 November 2026"
    assert rupiah(1_000_000) == "Rp1.000.000"
    assert rupiah(2_500_000) == "Rp2.500.000"
    assert terbilang(1_000_000) == "satu juta rupiah"
    assert terbilang(2_500_000) == "dua juta lima ratus ribu rupiah"


def test_a_negative_amount_puts_the_minus_sign_before_rp():
    assert rupiah(-500_000) == "\u2212Rp500.000"
    assert rupiah(0) == "Rp0"


def test_the_kuitansi_names_the_heir_and_the_amount_in_figures_and_words(approve, bendahara):
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    batch = sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang Wijaya", signer_nip=NIP
    )

    text = read(ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk))

    assert "KUITANSI" in text
    assert f"{batch.number}/0001" in text
    assert "PEMERINTAH KABUPATEN BATANG" in text and "DINAS SOSIAL" in text
    assert "Siti Aminah" in text and "Slamet Riyadi" in text
    assert "3325••••••••0002" in text
    assert "3325014507800002" not in text
    assert "Rp1.000.000" in text and "Satu juta rupiah" in text
    assert f"Batang, {tanggal(timezone.localdate())}" in text
    assert "Drs. Bambang Wijaya" in text and f"NIP. {NIP}" in text
    assert claim.number in text
    assert "DRAF" not in text


def test_a_draft_batch_prints_its_letters_marked_as_draft(approve, bendahara):
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])

    text = read(ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk))

    assert "DRAF" in text and "BUKAN BUKTI PEMBAYARAN" in text


def test_the_transfer_notice_shows_the_masked_account(approve_transfer, bendahara):
    claim = approve_transfer()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])

    text = read(ensure_document(batch=batch, kind=DocumentType.TRANSFER_NOTICE, claim_id=claim.pk))

    assert "PEMBERITAHUAN TRANSFER" in text
    assert "Bank Jateng" in text and "1234••7890" in text and "1234567890" not in text
    assert "Rp1.000.000" in text and "Satu juta rupiah" in text


def test_the_daftar_nominatif_lists_every_heir_with_the_total_in_words(approve, bendahara):
    claims = [approve(n, heir_name=f"Ahli Waris {n}") for n in (1, 2, 3)]
    batch = create_batch(user=bendahara, claim_ids=[c.pk for c in claims])
    batch = sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang Wijaya", signer_nip=NIP
    )

    text = read(ensure_document(batch=batch, kind=DocumentType.NOMINATIVE_LIST))

    assert "DAFTAR NOMINATIF" in text and batch.number in text
    for claim in claims:
        assert claim.number in text and claim.heir_name in text
    assert "JUMLAH (3 penerima) Rp3.000.000" in text
    assert "Tiga juta rupiah" in text
    assert tanggal(batch.letter_date) in text
    assert "Drs. Bambang Wijaya" in text and NIP in text


def test_the_order_to_pay_carries_the_letter_number_total_and_signature(approve, bendahara):
    batch = create_batch(user=bendahara, claim_ids=[approve(1).pk, approve(2).pk])
    batch = sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang Wijaya", signer_nip=NIP
    )

    text = read(ensure_document(batch=batch, kind=DocumentType.PAYMENT_ORDER))

    assert "SURAT PERINTAH MEMBAYAR" in text and f"Nomor: {batch.number}" in text
    assert "2 orang" in text and "Rp2.000.000" in text and "Dua juta rupiah" in text
    assert f"NIP. {NIP}" in text


def test_a_document_is_rendered_again_only_when_its_data_changes(approve, bendahara):
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    first = ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk)

    same = ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk)
    assert (same.pk, same.file.name, same.input_hash) == (
        first.pk,
        first.file.name,
        first.input_hash,
    )

    batch = sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang Wijaya", signer_nip=NIP
    )
    changed = ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk)
    assert changed.pk == first.pk
    assert changed.input_hash != first.input_hash
    assert changed.file.name != first.file.name


def test_the_letterhead_comes_from_settings_with_an_optional_logo(
    approve, bendahara, settings, tmp_path
):
    from tests.santunan.factories import png_bytes

    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes())
    settings.REGENCY_NAME, settings.OFFICE_NAME = "Kabupaten Pekalongan", "Dinas Sosial P3A"
    settings.LETTERHEAD_LOGO = str(logo)
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])

    document = ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk)

    text = read(document)
    assert "PEMERINTAH KABUPATEN PEKALONGAN" in text and "DINAS SOSIAL P3A" in text
    from pypdf import PdfReader

    with document.file.open("rb") as handle:
        images = PdfReader(handle).pages[0].images
        assert len(images) == 2  # the logo and the QR code


def test_all_documents_of_a_large_batch_render_in_the_background_with_progress(
    approve, bendahara, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.FINANCE_BACKGROUND_MIN_CLAIMS = 1
    claims = [approve(n) for n in (1, 2)]
    batch = create_batch(user=bendahara, claim_ids=[c.pk for c in claims])

    with django_capture_on_commit_callbacks(execute=True):
        queued = request_batch_documents(user=bendahara, batch_id=batch.pk)

    batch = PayoutBatch.objects.get(pk=batch.pk)
    assert queued
    assert (batch.render_state, batch.render_done, batch.render_total) == (
        RenderState.DONE,
        4,
        4,
    )
    assert batch.documents.count() == 4
    assert render_batch_documents(batch.pk) == 0  # nothing changed, nothing rendered


def test_a_batch_renders_its_letters_several_to_a_document_and_splits_them(
    approve, bendahara, settings, monkeypatch
):
    from pypdf import PdfReader

    from santunan.finance import documents

    monkeypatch.setattr(documents, "LETTERS_PER_JOB", 2)
    settings.FINANCE_RENDER_PROCESSES = 1
    claims = [approve(n, heir_name=f"Ahli Waris {n}") for n in (1, 2, 3)]
    batch = create_batch(user=bendahara, claim_ids=[c.pk for c in claims])

    assert render_batch_documents(batch.pk) == 5

    letters = {d.claim_id: d for d in batch.documents.filter(kind=DocumentType.RECEIPT)}
    assert set(letters) == {c.pk for c in claims}
    for position, claim in enumerate(claims, start=1):
        document = letters[claim.pk]
        text = read(document)
        assert f"{batch.number}/{position:04d}" in text and claim.number in text
        assert claim.heir_name in text and "Satu juta rupiah" in text
        others = [c for c in claims if c.pk != claim.pk]
        assert not any(other.number in text for other in others)
        with document.file.open("rb") as handle:
            reader = PdfReader(handle, strict=True)  # a well-formed file of its own
            assert len(reader.pages) == 1
            assert len(reader.pages[0].images) == 1  # the QR code
            assert reader.metadata.title == f"Kuitansi {document.number}"


def test_html_that_is_not_xml_still_renders():
    from santunan.finance.letters import render_pdf

    text = pdf_text(render_pdf("<!doctype html><p>Halo<br>dunia &nbsp; <b>tebal"))
    assert "Halo" in text and "dunia" in text and "tebal" in text
