"""Claims through the API: a draft's life, ETags, area isolation, masked lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from santunan.models import Claim, ClaimDocument, Status
from tests.api.conftest import json_body
from tests.santunan.factories import (
    DECEASED_NIK,
    claim_data,
    draft_claim,
    png_bytes,
    submitted_claim,
)

KINDS = ["kk", "ktp_almarhum", "ktp_ahli_waris", "surat_kematian"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload_all(api, pk: int) -> None:
    for kind in KINDS:
        response = api.post(
            f"/api/v1/claims/{pk}/documents/",
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.png", png_bytes())},
            multipart=True,
        )
        assert response.status_code == 201, response.json()


def test_a_village_files_a_claim_from_draft_to_submission(api_for, operator_a):
    api = api_for(operator_a)

    created = api.post("/api/v1/claims/", json_body(claim_data(heir_phone="")))
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created["Location"] == f"/api/v1/claims/{pk}/"
    assert created.json()["allowed_actions"] == ["submit", "cancel"]
    updated = api.patch(
        f"/api/v1/claims/{pk}/", {"heir_phone": "0812 3456 7890"}, etag=created["ETag"]
    )
    assert updated.status_code == 200
    assert updated.json()["heir_phone"] == "+6281234567890"
    upload_all(api, pk)
    submitted = api.post(f"/api/v1/claims/{pk}/submit/")

    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == "submitted"
    assert body["amount"] == 1_000_000
    assert body["number"].startswith("SKM-")
    assert [e["action"] for e in body["timeline"]][-1] == "submit"
    assert all(doc["present"] for doc in body["required_documents"])


def test_submitting_an_incomplete_claim_lists_what_is_missing(api_for, operator_a):
    api = api_for(operator_a)
    pk = api.post("/api/v1/claims/", json_body(claim_data())).json()["id"]

    refused = api.post(f"/api/v1/claims/{pk}/submit/")

    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == "Klaim belum dapat diajukan."
    assert 'Dokumen "Kartu Keluarga (KK)" belum diunggah.' in refused.json()["problems"]
    assert Claim.objects.get().status == Status.DRAFT


def test_an_update_with_a_stale_etag_is_refused_with_412_and_changes_nothing(api_for, operator_a):
    api = api_for(operator_a)
    created = api.post("/api/v1/claims/", json_body(claim_data()))
    pk, first_etag = created.json()["id"], created["ETag"]
    second = api.patch(f"/api/v1/claims/{pk}/", {"notes": "dari ponsel 1"}, etag=first_etag)
    assert second.status_code == 200
    before = Claim.objects.values().get(pk=pk)

    stale = api.patch(f"/api/v1/claims/{pk}/", {"notes": "dari ponsel 2"}, etag=first_etag)

    assert stale.status_code == 412
    assert stale.json()["type"] == "/api/v1/problems/stale-etag"
    assert Claim.objects.values().get(pk=pk) == before
    assert Claim.objects.get(pk=pk).notes == "dari ponsel 1"


def test_an_update_without_if_match_is_refused_with_428(api_for, operator_a):
    api = api_for(operator_a)
    pk = api.post("/api/v1/claims/", json_body(claim_data())).json()["id"]

    refused = api.patch(f"/api/v1/claims/{pk}/", {"notes": "x"})

    assert refused.status_code == 428
    assert Claim.objects.get(pk=pk).notes == ""


def test_the_etag_of_a_get_allows_the_next_update(api_for, operator_a):
    api = api_for(operator_a)
    pk = api.post("/api/v1/claims/", json_body(claim_data())).json()["id"]
    etag = api.get(f"/api/v1/claims/{pk}/")["ETag"]

    assert api.patch(f"/api/v1/claims/{pk}/", {"notes": "ok"}, etag=etag).status_code == 200


def test_a_token_of_desa_a_sees_nothing_of_desa_b(api_for, operator_a, operator_b):
    theirs = submitted_claim(operator_b)
    their_draft = draft_claim(
        operator_b, deceased_nik="3325014507800002", heir_nik="3325011203500001"
    )
    document = their_draft.documents.first()
    api = api_for(operator_a)
    before = list(Claim.objects.values_list("pk", "status", "updated_at"))

    for pk in (theirs.pk, their_draft.pk):
        assert api.get(f"/api/v1/claims/{pk}/").status_code == 404
        assert api.patch(f"/api/v1/claims/{pk}/", {"notes": "x"}, etag="*").status_code == 404
        assert api.post(f"/api/v1/claims/{pk}/submit/").status_code == 404
        assert api.post(f"/api/v1/claims/{pk}/cancel/").status_code == 404
        assert (
            api.post(
                f"/api/v1/claims/{pk}/documents/",
                {"kind": "kk", "file": SimpleUploadedFile("kk.png", png_bytes())},
                multipart=True,
            ).status_code
            == 404
        )
    assert api.get(f"/api/v1/claims/{their_draft.pk}/documents/{document.pk}/").status_code == 404
    assert api.get("/api/v1/claims/").json()["results"] == []
    assert list(Claim.objects.values_list("pk", "status", "updated_at")) == before
    assert ClaimDocument.objects.filter(claim=their_draft).count() == 4


def test_lists_mask_the_nik_and_leave_out_the_heir(api_for, operator_a, verifikator):
    submitted_claim(operator_a)

    for api, path in (
        (api_for(operator_a), "/api/v1/claims/"),
        (api_for(verifikator), "/api/v1/claims/queue/"),
    ):
        row = api.get(path).json()["results"][0]
        assert row["deceased_nik"] == "3325••••••••0001"
        assert DECEASED_NIK not in str(row)
        assert "heir_name" not in row and "heir_nik" not in row


def test_lists_are_paged_by_cursor(api_for, operator_a):
    for i in range(3):
        draft_claim(operator_a, documents=False, deceased_name=f"Almarhum {i}")
    api = api_for(operator_a)

    first = api.get("/api/v1/claims/", page_size=2).json()
    second = api.client.get(first["next"], headers=api.headers).json()

    names = [r["deceased_name"] for r in first["results"] + second["results"]]
    assert names == ["Almarhum 2", "Almarhum 1", "Almarhum 0"]
    assert second["next"] is None


def test_a_verifier_sees_the_queue_and_the_findings_and_decides(
    api_for, operator_a, verifikator, approver
):
    claim = submitted_claim(operator_a)
    api = api_for(verifikator)

    queue = api.get("/api/v1/claims/queue/", status="submitted").json()["results"]
    assert [row["id"] for row in queue] == [claim.pk]
    detail = api.get(f"/api/v1/claims/{claim.pk}/").json()
    assert set(detail["allowed_actions"]) == {"verify", "return_to_village", "reject"}
    assert api.post(f"/api/v1/claims/{claim.pk}/verify/").json()["status"] == "verified"
    approved = api_for(approver).post(f"/api/v1/claims/{claim.pk}/approve/")
    assert approved.json()["status"] == "approved"


def test_documents_download_through_the_claim_door(api_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    document = claim.documents.first()

    response = api_for(verifikator).get(f"/api/v1/claims/{claim.pk}/documents/{document.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_village_cancels_its_draft_with_a_reason(api_for, operator_a):
    claim = draft_claim(operator_a)

    response = api_for(operator_a).post(f"/api/v1/claims/{claim.pk}/cancel/", {"reason": "Keliru"})

    assert response.json()["status"] == "cancelled"
