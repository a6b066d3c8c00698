"""Idempotency-Key: one effect and the same answer however often a request is sent."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from api.models import IdempotencyRecord
from santunan.models import Claim, ClaimDocument, ClaimEvent
from tests.api.conftest import json_body
from tests.santunan.factories import claim_data, draft_claim, png_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_same_create_sent_three_times_with_one_key_makes_one_claim(api_for, operator_a):
    api = api_for(operator_a)
    body = json_body(claim_data())

    answers = [api.post("/api/v1/claims/", body, key="buat-1") for _ in range(3)]

    assert Claim.objects.count() == 1
    assert ClaimEvent.objects.filter(action="create").count() == 1
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert answers[2]["ETag"] == answers[0]["ETag"]
    assert answers[2]["Idempotent-Replayed"] == "true"


def test_the_same_submit_sent_twice_submits_once_and_answers_the_same(api_for, operator_a):
    claim = draft_claim(operator_a)
    api = api_for(operator_a)

    first = api.post(f"/api/v1/claims/{claim.pk}/submit/", key="ajukan-1")
    second = api.post(f"/api/v1/claims/{claim.pk}/submit/", key="ajukan-1")

    assert first.status_code == second.status_code == 200
    assert first.json()["number"] == second.json()["number"]
    assert ClaimEvent.objects.filter(claim=claim, action="submit").count() == 1


def test_the_same_upload_sent_twice_stores_one_document(api_for, operator_a):
    claim = draft_claim(operator_a, documents=False)
    api = api_for(operator_a)
    content = png_bytes()

    for _ in range(2):
        api.post(
            f"/api/v1/claims/{claim.pk}/documents/",
            {"kind": "kk", "file": SimpleUploadedFile("kk.png", content)},
            key="unggah-kk",
            multipart=True,
        )

    assert ClaimDocument.objects.filter(claim=claim).count() == 1


def test_a_key_reused_with_another_body_is_refused_plainly(api_for, operator_a):
    api = api_for(operator_a)
    api.post("/api/v1/claims/", json_body(claim_data()), key="k")

    refused = api.post(
        "/api/v1/claims/", json_body(claim_data(deceased_name="Orang Lain")), key="k"
    )

    assert refused.status_code == 422
    assert refused.json()["type"] == "/api/v1/problems/idempotency-key-reused"
    assert "sudah dipakai untuk permintaan lain" in refused.json()["detail"]
    assert Claim.objects.count() == 1


def test_keys_belong_to_their_owner(api_for, operator_a, operator_b):
    body = json_body(claim_data())
    api_for(operator_a).post("/api/v1/claims/", body, key="sama")

    response = api_for(operator_b).post(
        "/api/v1/claims/",
        json_body(claim_data(deceased_nik="3325014507800002", heir_nik="3325011203500001")),
        key="sama",
    )

    assert response.status_code == 201
    assert Claim.objects.count() == 2


def test_a_refused_request_keeps_nothing_so_a_retry_does_the_work(api_for, operator_a):
    claim = draft_claim(operator_a, documents=False)
    api = api_for(operator_a)
    assert api.post(f"/api/v1/claims/{claim.pk}/submit/", key="coba").status_code == 422
    for kind in ["kk", "ktp_almarhum", "ktp_ahli_waris", "surat_kematian"]:
        api.post(
            f"/api/v1/claims/{claim.pk}/documents/",
            {"kind": kind, "file": SimpleUploadedFile("x.png", png_bytes())},
            multipart=True,
        )

    assert api.post(f"/api/v1/claims/{claim.pk}/submit/", key="coba").status_code == 200
    assert not IdempotencyRecord.objects.filter(key="coba", status_code=422).exists()


def test_a_post_without_a_key_is_refused(api_for, operator_a):
    api = api_for(operator_a)

    response = api.client.post(
        "/api/v1/claims/", "{}", content_type="application/json", headers=api.headers
    )

    assert response.status_code == 400
    assert response.json()["type"] == "/api/v1/problems/idempotency-key-required"
    assert not Claim.objects.exists()


def test_an_expired_key_may_be_used_again(api_for, operator_a):
    api = api_for(operator_a)
    api.post("/api/v1/claims/", json_body(claim_data()), key="lama")
    IdempotencyRecord.objects.update(expires_at="2000-01-01T00:00:00Z")
    Claim.objects.update(deceased_nik="")

    assert api.post("/api/v1/claims/", json_body(claim_data()), key="lama").status_code == 201
    assert Claim.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_one_key_run_once(api_for, operator_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks across connections")
    api = api_for(operator_a)
    body = json_body(claim_data())
    barrier = threading.Barrier(2)
    answers = []

    def send():
        barrier.wait()
        answers.append(api.post("/api/v1/claims/", body, key="serentak"))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Claim.objects.count() == 1
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]


def test_expired_keys_are_purged_and_live_ones_kept(api_for, operator_a):
    from django.core.management import call_command

    api = api_for(operator_a)
    api.post("/api/v1/claims/", json_body(claim_data()), key="lama")
    api.post("/api/v1/claims/", json_body(claim_data(deceased_nik="")), key="baru")
    IdempotencyRecord.objects.filter(key="lama").update(expires_at="2000-01-01T00:00:00Z")

    call_command("purge_idempotency_keys", stdout=io.StringIO())

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["baru"]
