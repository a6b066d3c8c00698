"""Hostile files get a message and store nothing: decompression bombs, PDFs with active
content, bodies larger than the limit; documents are served so that they cannot act as
pages of the service."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from santunan.models import ClaimDocument
from santunan.services import ClaimError, attach_document
from santunan.uploads import pdf_active_content
from tests.santunan.factories import draft_claim, pdf_bytes, png_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width × height pixels: what a bomb looks like
    until someone decodes it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    pixels = zlib.compress(b"\x00" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_with(body: bytes) -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog" + body + b">>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def upload_to(client, claim, **files):
    return client.post(
        reverse("santunan:claim_documents", args=[claim.pk]),
        {f"doc-{kind}": upload for kind, upload in files.items()},
        follow=True,
    )


@pytest.mark.parametrize("size", [(20000, 20000), (10000, 10000)])
def test_an_image_with_too_many_pixels_is_refused_with_a_message(
    client_for, operator_a, media, size
):
    claim = draft_claim(operator_a, documents=False)
    bomb = png_claiming(*size)
    assert len(bomb) < 2000

    response = upload_to(
        client_for(operator_a), claim, kk=SimpleUploadedFile("kk.png", bomb, "image/png")
    )

    assert response.status_code == 200
    assert "terlalu besar ukurannya" in response.content.decode()
    assert not ClaimDocument.objects.exists()
    assert stored_files(media) == []


def test_a_cash_receipt_scan_that_is_a_bomb_is_refused(operator_a):
    from santunan.services import sniff_document

    with pytest.raises(ClaimError, match="terlalu besar ukurannya"):
        sniff_document(SimpleUploadedFile("kuitansi.png", png_claiming(20000, 20000)))


@pytest.mark.parametrize(
    "body,reason",
    [
        (b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>", "JavaScript"),
        (b"/Names<</J#61vaScript 5 0 R>>", "JavaScript"),
        (b"/OpenAction 5 0 R", "OpenAction"),
        (b"/AA<</O 5 0 R>>", "OpenAction/AA"),
        (b"/Launch<</F(cmd.exe)>>", "Launch"),
        (b"/Names<</EmbeddedFiles 6 0 R>>", "disisipkan"),
    ],
)
def test_a_pdf_with_active_content_is_refused_saying_why(operator_a, media, body, reason):
    claim = draft_claim(operator_a, documents=False)

    with pytest.raises(ClaimError) as refused:
        attach_document(
            user=operator_a,
            claim_id=claim.pk,
            kind="kk",
            upload=SimpleUploadedFile("kk.pdf", pdf_with(body), "application/pdf"),
        )

    assert reason in refused.value.message
    assert not ClaimDocument.objects.exists()
    assert stored_files(media) == []


def test_a_script_hidden_in_a_compressed_stream_is_found():
    hidden = zlib.compress(b"<</Type/Action/S/JavaScript/JS(x)>>")
    data = pdf_with(b"") + b"5 0 obj<</Filter/FlateDecode>>stream\n" + hidden + b"\nendstream"

    assert pdf_active_content(data) == "script"


def test_a_plain_pdf_and_names_that_only_begin_alike_pass():
    assert pdf_active_content(pdf_bytes()) is None
    assert pdf_active_content(pdf_with(b"/JSON 1/AAA 2/Launcher 3")) is None


def test_a_body_over_the_limit_is_refused_from_its_length_before_it_is_read(
    client_for, operator_a, settings
):
    claim = draft_claim(operator_a, documents=False)
    client = client_for(operator_a)

    response = client.post(
        reverse("santunan:claim_documents", args=[claim.pk]),
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.content.decode()
    assert "50 MB" in response.content.decode()
    assert not ClaimDocument.objects.exists()


def test_an_eleven_megabyte_document_gets_a_message(client_for, operator_a, media):
    claim = draft_claim(operator_a, documents=False)
    big = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)

    response = upload_to(
        client_for(operator_a), claim, kk=SimpleUploadedFile("kk.pdf", big, "application/pdf")
    )

    assert "paling besar 10 MB" in response.content.decode()
    assert not ClaimDocument.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "name,content,content_type,disposition",
    [
        ("kk.png", None, "image/png", "inline"),
        ("kk.pdf", pdf_bytes(), "application/pdf", "attachment"),
    ],
)
def test_documents_are_served_sandboxed_and_never_sniffed(
    client_for, operator_a, verifikator, name, content, content_type, disposition
):
    claim = draft_claim(operator_a, documents=False)
    document = attach_document(
        user=operator_a,
        claim_id=claim.pk,
        kind="kk",
        upload=SimpleUploadedFile(name, content or png_bytes(), content_type),
    )

    response = client_for(operator_a).get(
        reverse("santunan:claim_document", args=[claim.pk, document.pk])
    )

    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]
