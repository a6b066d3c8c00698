"""Uploading documents through the form and viewing them: refused files store nothing,
and only those who may see the claim can open a document, which is logged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from santunan.models import AccessLog, ClaimDocument
from santunan.services import attach_document, submit_claim
from tests.santunan.factories import draft_claim, pdf_bytes, png_bytes, submitted_claim


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def text(response) -> str:
    return response.content.decode()


def upload_to(client, claim, **files):
    return client.post(
        reverse("santunan:claim_documents", args=[claim.pk]),
        {f"doc-{kind}": upload for kind, upload in files.items()},
        follow=True,
    )


def test_the_documents_step_marks_required_and_uploaded_documents(client_for, operator_a):
    claim = draft_claim(operator_a, documents=False, payout_method="transfer")
    client = client_for(operator_a)
    upload_to(client, claim, kk=SimpleUploadedFile("kk.png", png_bytes(), "image/png"))

    page = text(client.get(reverse("santunan:claim_documents", args=[claim.pk])))

    assert page.count("wajib") == 5  # four always, the bank book for a transfer
    assert page.count("Sudah diunggah") == 1
    # Every kind the default policy asks for or offers, the akta kematian among them.
    assert page.count('type="file"') == 10


def test_an_oversized_file_is_refused_and_nothing_is_stored(
    client_for, operator_a, settings, media
):
    settings.MAX_DOCUMENT_BYTES = 1024 * 1024
    claim = draft_claim(operator_a, documents=False)
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)

    response = upload_to(
        client_for(operator_a), claim, kk=SimpleUploadedFile("kk.pdf", big, "application/pdf")
    )

    assert "terlalu besar" in text(response) and "paling besar 1 MB" in text(response)
    assert not ClaimDocument.objects.exists()
    assert stored_files(media) == []


def test_a_program_renamed_pdf_is_refused_and_nothing_is_stored(client_for, operator_a, media):
    claim = draft_claim(operator_a, documents=False)
    program = b"\x7fELF\x02\x01\x01" + b"\x00" * 200

    response = upload_to(
        client_for(operator_a),
        claim,
        kk=SimpleUploadedFile("kk.pdf", program, "application/pdf"),
        ktp_almarhum=SimpleUploadedFile("ktp.png", png_bytes(), "image/png"),
    )

    assert "bukan PDF, JPEG atau PNG" in text(response)
    assert list(ClaimDocument.objects.values_list("kind", flat=True)) == ["ktp_almarhum"]
    assert len(stored_files(media)) == 1
    # The official stays on the documents step to try again.
    assert response.redirect_chain[-1][0] == reverse("santunan:claim_documents", args=[claim.pk])


def test_the_verifier_opens_a_document_and_it_is_logged(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    document = claim.documents.get(kind="kk")

    response = client_for(verifikator).get(
        reverse("santunan:claim_document", args=[claim.pk, document.pk]), REMOTE_ADDR="10.9.8.7"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()
    assert "kk.png" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    log = AccessLog.objects.get(what="lihat_dokumen:kk")
    assert (log.claim, log.user, log.client_ip) == (claim, verifikator, "10.9.8.7")


def test_a_pdf_may_be_embedded_by_our_own_pages_only(client_for, operator_a, verifikator):
    claim = draft_claim(operator_a)
    attach_document(
        user=operator_a,
        claim_id=claim.pk,
        kind="surat_kematian",
        upload=SimpleUploadedFile("s.pdf", pdf_bytes(), "application/pdf"),
    )
    submit_claim(user=operator_a, claim_id=claim.pk)
    document = claim.documents.get(kind="surat_kematian", superseded=False)
    client = client_for(verifikator)

    response = client.get(reverse("santunan:claim_document", args=[claim.pk, document.pk]))
    page = text(client.get(reverse("santunan:claim_detail", args=[claim.pk])))

    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert '<iframe class="pdf-embed"' in page


def test_another_village_gets_404_for_a_document_and_nothing_is_logged(
    client_for, operator_a, operator_b
):
    claim = draft_claim(operator_a)
    document = claim.documents.first()

    response = client_for(operator_b).get(
        reverse("santunan:claim_document", args=[claim.pk, document.pk])
    )

    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_a_document_is_only_found_under_its_own_claim(client_for, operator_a, operator_b):
    own = draft_claim(operator_b, deceased_nik="3325011203500002")
    other = draft_claim(operator_a)
    foreign_document = other.documents.first()

    response = client_for(operator_b).get(
        reverse("santunan:claim_document", args=[own.pk, foreign_document.pk])
    )

    assert response.status_code == 404


def test_a_draft_document_is_hidden_from_dinas_sosial(client_for, operator_a, verifikator):
    claim = draft_claim(operator_a)
    document = claim.documents.first()

    response = client_for(verifikator).get(
        reverse("santunan:claim_document", args=[claim.pk, document.pk])
    )

    assert response.status_code == 404
