"""Documents a registry check asks for after submission: the village adds exactly those
to the claim Dinas Sosial holds, without the claim going back. It stays in the queue,
marked as completed by the village, and the registry check runs again."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from api.services import issue_token
from dinsos_sync.services import check_claims, import_snapshot
from santunan.models import Claim, ClaimDocument, ClaimEvent, Status
from santunan.services import (
    ClaimError,
    approve_claim,
    complete_documents,
    late_document_kinds,
    verify_claim,
)
from tests.api.conftest import ApiClient
from tests.dinsos_sync.conftest import HEIR_NIK, KK, person, write_csv
from tests.santunan.factories import submitted_claim, upload

CHECK_TASK = "dinsos_sync.tasks.check_claim"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def not_in_social_registry(tmp_path, wilayah):
    """Slamet and his daughter in Dukcapil, in one KK; neither in DTKS/DTSEN."""
    daughter = {"nik": HEIR_NIK, "nama": "SITI AMINAH", "tanggal_lahir": "05-06-1975"}
    extracts = {
        "population": [
            person("population", nama="SLAMET RIYADI"),
            person(
                "population",
                jenis_kelamin="P",
                status_hidup="HIDUP",
                tanggal_meninggal="",
                **daughter,
            ),
        ],
        "social": [person("social", nik="3325012208600004", nama="TETANGGA")],
    }
    for source, rows in extracts.items():
        import_snapshot(source=source, path=write_csv(tmp_path / f"{source}.csv", source, rows))


def api_as(user) -> ApiClient:
    _token, key = issue_token(user=user, name="uji")
    return ApiClient(key)


@pytest.fixture
def claim(not_in_social_registry, operator_a):
    """Submitted with the usual documents; the worker's check then asks for an SKTM and
    a photo of the house."""
    claim = submitted_claim(operator_a, heir_nik=HEIR_NIK, deceased_kk=KK)
    check_claims(claim_ids=[claim.pk])
    claim.refresh_from_db()
    assert sorted(late_document_kinds(claim)) == ["foto_rumah", "sktm"]
    return claim


def both_documents() -> dict:
    return {"sktm": upload("sktm.png"), "foto_rumah": upload("rumah.png")}


def queued_checks(claim: Claim) -> int:
    return DBTaskResult.objects.filter(task_path=CHECK_TASK, args_kwargs__args=[claim.pk]).count()


def test_the_village_completes_a_submitted_claim_without_it_going_back(claim, operator_a):
    complete_documents(user=operator_a, claim_id=claim.pk, uploads=both_documents())

    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED
    assert claim.documents_completed_at is not None
    assert late_document_kinds(claim) == []
    event = ClaimEvent.objects.get(claim=claim, action="complete_documents")
    assert event.actor == operator_a and sorted(event.data["kinds"]) == ["foto_rumah", "sktm"]
    assert event.from_status == event.to_status == ""


def test_the_registry_check_is_queued_once_after_commit(
    claim, operator_a, django_capture_on_commit_callbacks
):
    before = queued_checks(claim)
    with django_capture_on_commit_callbacks() as callbacks:
        complete_documents(user=operator_a, claim_id=claim.pk, uploads=both_documents())
        assert queued_checks(claim) == before  # nothing before the documents commit

    for callback in callbacks:
        callback()

    # Two documents, one re-check: the same hook as after a submission.
    assert queued_checks(claim) == before + 1


def test_the_verifier_can_verify_once_the_documents_arrived(claim, operator_a, verifikator):
    with pytest.raises(ClaimError):
        verify_claim(user=verifikator, claim_id=claim.pk)

    complete_documents(user=operator_a, claim_id=claim.pk, uploads=both_documents())
    check_claims(claim_ids=[claim.pk])  # what the queued re-check does
    verify_claim(user=verifikator, claim_id=claim.pk)

    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED
    # The mark speaks of what arrived since the last step; verifying was that step.
    assert claim.documents_completed_at is None


@pytest.mark.parametrize(
    "kind", ["kk", "surat_kuasa", "akta_kematian"], ids=["required-present", "optional", "other"]
)
def test_only_a_required_missing_document_is_accepted(claim, operator_a, kind):
    with pytest.raises(ClaimError) as refused:
        complete_documents(
            user=operator_a, claim_id=claim.pk, uploads={kind: upload(), "sktm": upload()}
        )

    assert "hanya dokumen wajib yang belum ada" in refused.value.message
    assert "Surat keterangan tidak mampu (SKTM)" in refused.value.message
    assert (
        not ClaimDocument.objects.filter(claim=claim, kind__in=[kind, "sktm"])
        .exclude(kind="kk")
        .exists()
    )
    assert ClaimDocument.objects.filter(claim=claim, kind="kk").count() == 1
    assert not ClaimEvent.objects.filter(claim=claim, action="complete_documents").exists()
    assert Claim.objects.get(pk=claim.pk).documents_completed_at is None


def test_a_document_once_added_cannot_be_replaced_while_dinas_sosial_reads_it(claim, operator_a):
    complete_documents(user=operator_a, claim_id=claim.pk, uploads={"sktm": upload()})

    with pytest.raises(ClaimError) as refused:
        complete_documents(user=operator_a, claim_id=claim.pk, uploads={"sktm": upload()})

    assert "SKTM" in refused.value.message
    assert ClaimDocument.objects.filter(claim=claim, kind="sktm").count() == 1


def test_a_claim_that_lacks_nothing_takes_no_late_document(operator_a):
    claim = submitted_claim(operator_a)

    with pytest.raises(ClaimError):
        complete_documents(user=operator_a, claim_id=claim.pk, uploads={"sktm": upload()})

    assert not claim.documents.filter(kind="sktm").exists()


def test_another_village_cannot_complete_the_claim(claim, operator_b):
    with pytest.raises(ClaimError) as refused:
        complete_documents(user=operator_b, claim_id=claim.pk, uploads=both_documents())

    assert "bukan milik desa Anda" in refused.value.message
    assert not claim.documents.filter(kind="sktm").exists()


def test_a_file_that_is_not_a_document_stores_nothing(claim, operator_a):
    uploads = {"sktm": upload(), "foto_rumah": upload("rumah.png", b"not an image")}

    with pytest.raises(ClaimError):
        complete_documents(user=operator_a, claim_id=claim.pk, uploads=uploads)

    assert not claim.documents.filter(kind__in=["sktm", "foto_rumah"]).exists()


def test_a_verified_claim_a_later_check_asked_more_of_is_completed_too(
    not_in_social_registry, operator_a, verifikator, approver
):
    claim = submitted_claim(operator_a, heir_nik=HEIR_NIK, deceased_kk=KK)
    verify_claim(user=verifikator, claim_id=claim.pk)  # before the registry answered
    check_claims(claim_ids=[claim.pk])

    complete_documents(user=operator_a, claim_id=claim.pk, uploads=both_documents())
    approve_claim(user=approver, claim_id=claim.pk)

    assert Claim.objects.get(pk=claim.pk).status == Status.APPROVED


# --- the pages -----------------------------------------------------------------------------


def test_the_village_home_lists_the_claim_with_a_button_to_the_upload(
    claim, client_for, operator_a
):
    page = client_for(operator_a).get(reverse("santunan:desa_home")).content.decode()

    to_do = page.split("Perlu dilengkapi")[1].split("Semua klaim desa")[0]
    assert claim.number in to_do
    assert reverse("santunan:claim_documents", args=[claim.pk]) in to_do
    assert "Unggah dokumen yang diminta" in to_do


def test_the_upload_page_offers_only_what_is_missing(claim, client_for, operator_a):
    page = client_for(operator_a).get(reverse("santunan:claim_documents", args=[claim.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="doc-sktm"' in body and 'name="doc-foto_rumah"' in body
    assert 'name="doc-kk"' not in body
    assert "tidak perlu diajukan ulang" in body


def test_uploading_through_the_page_keeps_the_claim_with_the_verifier(
    claim, client_for, operator_a, verifikator
):
    response = client_for(operator_a).post(
        reverse("santunan:claim_documents", args=[claim.pk]),
        {"doc-sktm": upload("sktm.png"), "doc-foto_rumah": upload("rumah.png")},
        follow=True,
    )

    assert "terkirim" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("santunan:claim_detail", args=[claim.pk])
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED
    home = client_for(operator_a).get(reverse("santunan:desa_home")).content.decode()
    assert "Unggah dokumen yang diminta" not in home

    verifier = client_for(verifikator)
    queue = verifier.get(reverse("santunan:verifikator_home")).content.decode()
    row = queue.split(claim.number)[1].split("</tr>")[0]
    assert "Dilengkapi desa" in row
    detail = verifier.get(reverse("santunan:claim_detail", args=[claim.pk])).content.decode()
    arrived = detail.split('class="msg msg-info late-arrived"')[1].split("</div>")[0]
    assert "Surat keterangan tidak mampu (SKTM)" in arrived and "Foto rumah" in arrived
    assert "Dokumen wajib yang belum diunggah" not in detail


def test_the_queue_marks_a_claim_waiting_for_the_village(claim, client_for, verifikator):
    queue = client_for(verifikator).get(reverse("santunan:verifikator_home")).content.decode()

    row = queue.split(claim.number)[1].split("</tr>")[0]
    assert "menunggu dokumen desa" in row and "Dilengkapi desa" not in row


def test_the_page_refuses_another_kind_in_indonesian(claim, client_for, operator_a):
    response = client_for(operator_a).post(
        reverse("santunan:claim_documents", args=[claim.pk]),
        {"doc-kk": upload("kk.png")},
        follow=True,
    )

    assert "hanya dokumen wajib yang belum ada" in response.content.decode()
    assert claim.documents.filter(kind="kk").count() == 1


def test_the_documents_page_of_a_claim_lacking_nothing_still_refuses(client_for, operator_a):
    claim = submitted_claim(operator_a)

    response = client_for(operator_a).get(reverse("santunan:claim_documents", args=[claim.pk]))

    assert response.status_code == 302
    assert response.url == reverse("santunan:claim_detail", args=[claim.pk])


# --- the API -------------------------------------------------------------------------------


def test_the_api_takes_a_required_missing_document(claim, operator_a):
    api = api_as(operator_a)
    path = f"/api/v1/claims/{claim.pk}/documents/"

    first = api.post(path, {"kind": "sktm", "file": upload()}, key="sktm-1", multipart=True)
    again = api.post(path, {"kind": "sktm", "file": upload()}, key="sktm-1", multipart=True)

    assert first.status_code == 201 and again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert claim.documents.filter(kind="sktm").count() == 1
    detail = api.get(f"/api/v1/claims/{claim.pk}/").json()
    assert detail["status"] == "submitted" and detail["documents_completed_at"]
    assert {r["kind"]: r["present"] for r in detail["required_documents"]}["sktm"] is True


def test_the_api_refuses_any_other_kind(claim, operator_a):
    response = api_as(operator_a).post(
        f"/api/v1/claims/{claim.pk}/documents/",
        {"kind": "kk", "file": upload()},
        multipart=True,
    )

    assert response.status_code == 422
    assert "hanya dokumen wajib yang belum ada" in response.json()["detail"]
    assert claim.documents.filter(kind="kk").count() == 1


def test_the_api_schema_documents_late_documents(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    upload_operation = schema["paths"]["/api/v1/claims/{id}/documents/"]["post"]
    assert "submitted" in upload_operation["description"]
    assert "documents_completed_at" in schema["components"]["schemas"]["ClaimDetail"]["properties"]
