"""Every bad input is a 4xx problem+json in Indonesian, never a server error, and
changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from santunan.models import Claim, ClaimDocument
from tests.api.conftest import json_body
from tests.santunan.factories import claim_data, draft_claim

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def test_malformed_json_is_a_400_problem(api_for, operator_a):
    api = api_for(operator_a)

    response = api.client.post(
        "/api/v1/claims/",
        "{nik: 1",
        content_type="application/json",
        headers={**api.headers, "Idempotency-Key": "x"},
    )

    assert_problem(response, 400)
    assert not Claim.objects.exists()


def test_wrong_types_name_each_field(api_for, operator_a):
    api = api_for(operator_a)

    body = assert_problem(
        api.post(
            "/api/v1/claims/",
            {"death_date": "kemarin", "deceased_sex": "X", "deceased_name": ["a"], "nama": "y"},
        ),
        400,
    )

    assert body["type"] == "/api/v1/problems/validation"
    assert set(body["errors"]) == {"death_date", "deceased_sex", "deceased_name", "nama"}
    assert body["errors"]["nama"] == ["Isian ini tidak dikenal."]
    assert not Claim.objects.exists()


def test_a_json_array_instead_of_an_object_is_refused(api_for, operator_a):
    body = assert_problem(api_for(operator_a).post("/api/v1/claims/", [1, 2]), 400)
    assert body["errors"] == {"non_field_errors": ["Kirim sebuah objek JSON."]}


def test_a_bad_nik_gets_the_services_message(api_for, operator_a):
    body = assert_problem(
        api_for(operator_a).post("/api/v1/claims/", json_body(claim_data(deceased_nik="33250112"))),
        422,
    )
    assert "NIK almarhum" in body["detail"]
    assert not Claim.objects.exists()


def test_unknown_ids_are_404_problems(api_for, operator_a, verifikator):
    api = api_for(verifikator)

    assert_problem(api.get("/api/v1/claims/999999/"), 404)
    assert_problem(api.post("/api/v1/claims/999999/verify/"), 404)
    assert_problem(api.get("/api/v1/claims/999999/documents/1/"), 404)
    assert_problem(api.get("/api/v1/claims/99999999999999999999999/"), 404)


def test_a_bad_cursor_or_filter_is_a_4xx_problem(api_for, verifikator):
    api = api_for(verifikator)

    assert_problem(api.get("/api/v1/claims/", cursor="bukan-kursor"), 404)
    assert_problem(api.get("/api/v1/claims/queue/", status="paid"), 400)
    assert_problem(api.get("/api/v1/claims/queue/", overdue="mungkin"), 400)
    assert_problem(api.get("/api/v1/reports/summary/", year="dua ribu"), 400)


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "kosong"),
        (b"MZ\x90\x00 not a document", "bukan PDF, JPEG atau PNG"),
        (b"%PDF-1.4 /JavaScript (app.alert(1))", "berisi JavaScript"),
        (b"\x89PNG\r\n\x1a\nrusak", "rusak atau tidak lengkap"),
    ],
)
def test_bad_uploads_get_the_same_message_as_in_the_web_form(api_for, operator_a, content, message):
    claim = draft_claim(operator_a, documents=False)

    body = assert_problem(
        api_for(operator_a).post(
            f"/api/v1/claims/{claim.pk}/documents/",
            {"kind": "kk", "file": SimpleUploadedFile("kk.png", content)},
            multipart=True,
        ),
        400 if not content else 422,
    )

    assert message in str(body)
    assert not ClaimDocument.objects.exists()


def test_an_upload_of_an_unknown_kind_or_without_a_file_names_the_field(api_for, operator_a):
    claim = draft_claim(operator_a, documents=False)
    api = api_for(operator_a)

    body = assert_problem(
        api.post(f"/api/v1/claims/{claim.pk}/documents/", {"kind": "paspor"}, multipart=True), 400
    )

    assert set(body["errors"]) == {"kind", "file"}


def test_json_where_a_file_is_expected_is_415(api_for, operator_a):
    claim = draft_claim(operator_a, documents=False)
    assert_problem(api_for(operator_a).post(f"/api/v1/claims/{claim.pk}/documents/", {}), 415)


def test_a_body_over_the_limit_is_a_413_problem(api_for, operator_a, settings):
    settings.MAX_REQUEST_BYTES = 1024
    claim = draft_claim(operator_a, documents=False)

    response = api_for(operator_a).post(
        f"/api/v1/claims/{claim.pk}/documents/",
        {"kind": "kk", "file": SimpleUploadedFile("kk.png", b"x" * 4096)},
        multipart=True,
    )

    assert_problem(response, 413)


def test_a_wrong_method_is_405(api_for, operator_a):
    assert_problem(
        api_for(operator_a).client.delete("/api/v1/claims/", headers=api_for(operator_a).headers),
        405,
    )


def test_a_draft_needs_the_deceaseds_name_as_in_the_web_form(api_for, operator_a):
    body = assert_problem(api_for(operator_a).post("/api/v1/claims/", {"notes": "x"}), 400)

    assert body["errors"]["deceased_name"] == [
        "Tuliskan nama almarhum/almarhumah seperti di KTP agar draf dapat disimpan."
    ]
    assert not Claim.objects.exists()


def test_an_address_under_the_api_that_does_not_exist_is_a_404_problem(api_for, operator_a):
    api = api_for(operator_a)

    assert_problem(api.get("/api/v1/claims/-5/"), 404)
    assert_problem(api.post("/api/v1/tidak-ada/"), 404)
