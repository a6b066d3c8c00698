"""Finance reads through the API: batches, their letters (the same PDFs as the web
download, behind the same role) and payments; amounts in whole rupiah."""

import pytest
from django.utils import timezone

from santunan.finance.services import (
    create_batch,
    disburse_batch,
    record_cash_payment,
    set_budget,
    sign_batch,
)
from santunan.services import approve_claim, verify_claim
from tests.finance.conftest import pdf_text
from tests.santunan.factories import pdf_bytes, submitted_claim, upload


@pytest.fixture
def batch(operator_a, verifikator, approver, bendahara, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)
    approve_claim(user=approver, claim_id=claim.pk)
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=2_500_000_000)
    return create_batch(user=bendahara, claim_ids=[claim.pk]), claim


def test_the_treasurer_reads_batches_with_totals_in_rupiah(api_for, bendahara, batch):
    the_batch, claim = batch
    api = api_for(bendahara)

    listed = api.get("/api/v1/finance/batches/").json()["results"]
    detail = api.get(f"/api/v1/finance/batches/{the_batch.pk}/").json()

    assert listed[0]["total"] == 1_000_000 and listed[0]["claim_count"] == 1
    assert detail["items"][0]["claim_number"] == claim.number
    assert detail["items"][0]["heir_name"] == "S*** A*****"
    assert detail["items"][0]["amount"] == 1_000_000


def test_a_letter_downloads_as_the_web_renders_it(api_for, bendahara, batch):
    the_batch, _claim = batch

    response = api_for(bendahara).get(
        f"/api/v1/finance/batches/{the_batch.pk}/letters/daftar_nominatif/"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Siti Aminah" in pdf_text(b"".join(response.streaming_content))


def test_a_claims_letter_needs_its_claim_and_unknown_kinds_are_404(api_for, bendahara, batch):
    the_batch, claim = batch
    api = api_for(bendahara)
    base = f"/api/v1/finance/batches/{the_batch.pk}/letters"

    assert api.get(f"{base}/kuitansi/").status_code == 404
    assert api.get(f"{base}/kuitansi/", claim="abc").status_code == 404
    assert api.get(f"{base}/surat_cinta/").status_code == 404
    assert api.get(f"{base}/kuitansi/", claim=claim.pk).status_code == 200


def test_payments_are_read_with_their_amount(api_for, bendahara, batch):
    the_batch, claim = batch
    sign_batch(
        user=bendahara, batch_id=the_batch.pk, signer_name="Drs. Bambang", signer_nip="1" * 18
    )
    disburse_batch(user=bendahara, batch_id=the_batch.pk)
    record_cash_payment(
        user=bendahara,
        claim_id=claim.pk,
        paid_on=timezone.localdate(),
        collected_by="Siti Aminah",
        identity_checked=True,
        receipt_scan=upload("kuitansi.pdf", pdf_bytes(), "application/pdf"),
    )

    payment = api_for(bendahara).get("/api/v1/finance/payments/").json()["results"][0]

    assert payment["claim_number"] == claim.number
    assert payment["amount"] == 1_000_000
    assert payment["result"] == "success"


@pytest.mark.parametrize("who", ["operator_a", "verifikator", "approver"])
def test_finance_is_only_for_the_treasurer(request, api_for, batch, who):
    the_batch, _claim = batch
    api = api_for(request.getfixturevalue(who))

    assert api.get("/api/v1/finance/batches/").status_code == 403
    assert (
        api.get(f"/api/v1/finance/batches/{the_batch.pk}/letters/daftar_nominatif/").status_code
        == 403
    )
