"""Filing a claim through the API costs a known number of database round trips: the
policy, the operator's desa, the token and the document hashes are read once per
request. A change that adds queries to the filing path fails here and has to say why
(raise the budget in the same commit, with the reason)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import json_body
from tests.santunan.factories import claim_data, png_bytes

KINDS = ["kk", "ktp_almarhum", "ktp_ahli_waris", "surat_kematian"]
# Queries per request, inside the test's transaction (SAVEPOINTs stand for BEGIN and
# COMMIT), measured when the budget was set: 22 + 4 × 16 + 42 = 128 per claim (the
# submission also moves the dashboard's kept counts, reports/counts.py).
BUDGET = {"create": 22, "upload": 16, "submit": 42}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def within_budget(step: str, captured: CaptureQueriesContext) -> None:
    used = len(captured.captured_queries)
    listing = "\n".join(q["sql"][:160] for q in captured.captured_queries)
    assert used <= BUDGET[step], (
        f"{step} through the API made {used} queries, the budget is {BUDGET[step]}:\n{listing}"
    )


def test_filing_a_claim_with_four_documents_stays_within_its_query_budget(api_for, operator_a):
    api = api_for(operator_a)

    with CaptureQueriesContext(connection) as create:
        created = api.post("/api/v1/claims/", json_body(claim_data()))
    assert created.status_code == 201, created.json()
    within_budget("create", create)
    pk = created.json()["id"]
    for kind in KINDS:
        with CaptureQueriesContext(connection) as upload:
            stored = api.post(
                f"/api/v1/claims/{pk}/documents/",
                {"kind": kind, "file": SimpleUploadedFile(f"{kind}.png", png_bytes())},
                multipart=True,
            )
        assert stored.status_code == 201, stored.json()
        within_budget("upload", upload)
    with CaptureQueriesContext(connection) as submit:
        submitted = api.post(f"/api/v1/claims/{pk}/submit/")

    assert submitted.status_code == 200, submitted.json()
    within_budget("submit", submit)


def test_a_stored_document_keeps_the_hash_the_idempotency_fingerprint_read(api_for, operator_a):
    import hashlib

    api = api_for(operator_a)
    pk = api.post("/api/v1/claims/", json_body(claim_data())).json()["id"]
    content = png_bytes()

    stored = api.post(
        f"/api/v1/claims/{pk}/documents/",
        {"kind": "kk", "file": SimpleUploadedFile("kk.png", content)},
        multipart=True,
    )

    assert stored.json()["sha256"] == hashlib.sha256(content).hexdigest()
