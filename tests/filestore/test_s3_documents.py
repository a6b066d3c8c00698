"""Documents in an S3-compatible bucket (a real server on 127.0.0.1): uploaded through
the documents page, private in the bucket, streamed to those who may see the claim
and to nobody else, and removed when the rules remove them."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filestore.storage import StreamedFile, check_storage
from santunan.models import ClaimDocument
from santunan.services import attach_document, submit_claim
from santunan.views import claim_document
from tests.santunan.factories import draft_claim, pdf_bytes, png_bytes


def upload_to(client, claim, **files):
    return client.post(
        reverse("santunan:claim_documents", args=[claim.pk]),
        {f"doc-{kind}": upload for kind, upload in files.items()},
        follow=True,
    )


def photo(megabytes: int = 3) -> bytes:
    # A PNG made large by a trailing chunk the decoder ignores: a phone photo's size.
    return png_bytes() + b"\x00" * (megabytes * 1024 * 1024)


def test_a_document_uploaded_through_the_page_lands_privately_in_the_bucket(
    client_for, operator_a, bucket, s3_server, media
):
    claim = draft_claim(operator_a, documents=False)
    content = png_bytes()

    response = upload_to(
        client_for(operator_a), claim, kk=SimpleUploadedFile("kk.png", content, "image/png")
    )

    assert response.status_code == 200
    document = ClaimDocument.objects.get(claim=claim, kind="kk")
    stored = s3_server.objects(bucket)
    assert list(stored) == [document.file.name]
    assert stored[document.file.name] == content
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    grants = s3_server.client().get_object_acl(Bucket=bucket, Key=document.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers, no public
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_the_verifier_gets_the_document_streamed_from_the_bucket(
    client_for, operator_a, verifikator, bucket, rf
):
    claim = draft_claim(operator_a)
    content = photo(3)
    attach_document(
        user=operator_a,
        claim_id=claim.pk,
        kind="foto_rumah",
        upload=SimpleUploadedFile("rumah.png", content, "image/png"),
    )
    submit_claim(user=operator_a, claim_id=claim.pk)
    document = claim.documents.get(kind="foto_rumah")
    url = reverse("santunan:claim_document", args=[claim.pk, document.pk])

    through_the_site = client_for(verifikator).get(url)
    # The view itself, to see what it streams from (the test client wraps the stream).
    request = rf.get(url)
    request.user = verifikator
    response = claim_document(request, claim.pk, document.pk)

    assert through_the_site.status_code == 200
    assert b"".join(through_the_site.streaming_content) == content
    assert int(through_the_site["Content-Length"]) == len(content)
    stream = response.file_to_stream
    assert isinstance(stream, StreamedFile)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    # Only what was sent has been read from the bucket: the file is never held whole.
    assert stream.file.tell() == len(first) < len(content)
    assert first + b"".join(chunks) == content
    response.close()


def test_someone_else_gets_404_and_no_byte_of_the_bucket(client_for, operator_a, operator_b, bucket):
    claim = draft_claim(operator_a)
    document = claim.documents.first()

    response = client_for(operator_b).get(
        reverse("santunan:claim_document", args=[claim.pk, document.pk])
    )

    assert response.status_code == 404


def test_an_object_gone_from_the_bucket_is_a_404_not_an_error(
    client_for, operator_a, bucket, s3_server
):
    claim = draft_claim(operator_a)
    document = claim.documents.first()
    s3_server.client().delete_object(Bucket=bucket, Key=document.file.name)

    response = client_for(operator_a).get(
        reverse("santunan:claim_document", args=[claim.pk, document.pk])
    )

    assert response.status_code == 404


def test_a_replaced_document_keeps_its_object_and_a_refused_one_stores_nothing(
    client_for, operator_a, bucket, s3_server
):
    claim = draft_claim(operator_a, documents=False)
    client = client_for(operator_a)
    upload_to(client, claim, kk=SimpleUploadedFile("kk.png", png_bytes(), "image/png"))
    upload_to(client, claim, kk=SimpleUploadedFile("kk.pdf", pdf_bytes(), "application/pdf"))
    upload_to(client, claim, kk=SimpleUploadedFile("kk.pdf", b"\x7fELF" + b"\0" * 99, "x/y"))

    names = set(ClaimDocument.objects.values_list("file", flat=True))
    assert len(names) == 2 and set(s3_server.objects(bucket)) == names


def test_the_storage_check_reports_a_bucket_that_does_not_answer(bucket, settings, s3_server):
    assert check_storage() == "ok"
    s3_server.client().delete_bucket(Bucket=bucket)

    assert check_storage() == "error"


def test_stored_documents_have_no_address(operator_a, bucket):
    document = draft_claim(operator_a).documents.first()

    with pytest.raises(ValueError):
        document.file.url  # noqa: B018


def test_the_storage_check_on_disk_needs_a_writable_document_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert check_storage() == "ok"

    settings.MEDIA_ROOT = tmp_path / "a-file"
    settings.MEDIA_ROOT.write_text("not a folder")
    assert check_storage() == "error"
