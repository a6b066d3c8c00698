"""`move_documents`: every stored file the database refers to, from the disk to the
bucket and back, each copy verified by SHA-256, safe to run again, sources removed
only on request and only once the target is the storage in use."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from santunan.models import ClaimDocument
from tests.filestore.conftest import switch_to
from tests.santunan.factories import draft_claim


def move(*args) -> str:
    out = StringIO()
    call_command("move_documents", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def on_disk(media) -> dict[str, bytes]:
    return {
        str(path.relative_to(media)): path.read_bytes()
        for path in media.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def documents_on_disk(operator_a, bucket, settings, media):
    switch_to(settings, "filesystem")
    draft_claim(operator_a)
    draft_claim(operator_a, deceased_nik="3325011203500002")
    return {d.file.name: d.sha256 for d in ClaimDocument.objects.all()}


def test_documents_move_to_the_bucket_verified_and_sources_stay(
    documents_on_disk, bucket, s3_server, media
):
    report = move("--to", "s3")

    stored = s3_server.objects(bucket)
    assert set(stored) == set(documents_on_disk) and len(stored) == 8
    assert {name: hashlib.sha256(data).hexdigest() for name, data in stored.items()} == (
        documents_on_disk
    )
    assert set(on_disk(media)) == set(documents_on_disk)  # nothing removed unasked
    assert "8 referenced: 8 copied" in report and "0 missing, 0 failed" in report


def test_a_second_run_copies_nothing_and_a_partial_copy_is_replaced(
    documents_on_disk, bucket, s3_server
):
    move("--to", "s3")
    broken = next(iter(documents_on_disk))
    s3_server.client().put_object(Bucket=bucket, Key=broken, Body=b"cut off")

    report = move("--to", "s3")

    assert "8 referenced: 1 copied" in report and "7 already there" in report
    assert hashlib.sha256(s3_server.objects(bucket)[broken]).hexdigest() == (
        documents_on_disk[broken]
    )


def test_sources_are_removed_only_once_the_bucket_is_the_storage_in_use(
    documents_on_disk, settings, media, s3_server, bucket
):
    with pytest.raises(CommandError, match="storage in use"):
        move("--to", "s3", "--delete-source")
    assert len(on_disk(media)) == 8

    switch_to(settings, "s3")
    report = move("--to", "s3", "--delete-source")

    assert on_disk(media) == {}
    assert len(s3_server.objects(bucket)) == 8
    assert "8 source files removed" in report


def test_documents_come_back_from_the_bucket_to_the_disk(
    documents_on_disk, settings, media, bucket
):
    switch_to(settings, "s3")
    move("--to", "s3", "--delete-source")
    switch_to(settings, "filesystem")

    report = move("--to", "filesystem")

    files = on_disk(media)
    assert {name: hashlib.sha256(data).hexdigest() for name, data in files.items()} == (
        documents_on_disk
    )
    assert "8 copied" in report


def test_a_document_missing_everywhere_is_reported_and_the_run_fails(
    documents_on_disk, media, s3_server, bucket
):
    gone = next(iter(documents_on_disk))
    (media / gone).unlink()

    with pytest.raises(CommandError, match="Not every document was moved"):
        move("--to", "s3")

    assert len(s3_server.objects(bucket)) == 7
