"""The treasurer's pages: who may open them, and each POST calling its service."""

import pytest
from django.urls import reverse
from django.utils import timezone

from santunan.finance.services import create_batch, set_budget
from santunan.models import BatchStatus, Claim, PayoutBatch, Status

NIP = "197501012000031001"


@pytest.fixture(autouse=True)
def budget(bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)


def test_only_finance_opens_the_finance_pages(client_for, operator_a, approver):
    assert client_for(operator_a).get(reverse("finance:home")).status_code == 403
    assert client_for(approver).get(reverse("finance:home")).status_code == 403


def test_the_home_page_filters_approved_claims_and_shows_batches_and_budget(
    client_for, bendahara, approve, approve_transfer
):
    cash, transfer = approve(1), approve_transfer(2)
    client = client_for(bendahara)

    everything = client.get(reverse("finance:home")).content.decode()
    only_transfer = client.get(reverse("finance:home"), {"payout_method": "transfer"})

    assert cash.number in everything and transfer.number in everything
    assert "Rp10.000.000" in everything
    body = only_transfer.content.decode()
    assert transfer.number in body and cash.number not in body
    other_kecamatan = client.get(reverse("finance:home"), {"kecamatan": "33.25.11"})
    assert cash.number not in other_kecamatan.content.decode()
    later = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    assert (
        cash.number
        not in client.get(reverse("finance:home"), {"approved_from": later}).content.decode()
    )


def test_scheduling_from_the_home_page_creates_a_batch(client_for, bendahara, approve):
    claim = approve()

    response = client_for(bendahara).post(reverse("finance:schedule"), {"claims": [claim.pk]})

    batch = PayoutBatch.objects.get()
    assert response.url == reverse("finance:batch", args=[batch.pk])
    assert Claim.objects.get(pk=claim.pk).status == Status.SCHEDULED


def test_a_refused_schedule_is_shown_as_a_message(client_for, bendahara, approve):
    claims = [approve(n) for n in range(1, 12)]  # Rp11.000.000 > Rp10.000.000

    response = client_for(bendahara).post(
        reverse("finance:schedule"), {"claims": [c.pk for c in claims]}, follow=True
    )

    assert "melampaui sisa pagu" in response.content.decode()
    assert not PayoutBatch.objects.exists()


def test_the_batch_page_signs_and_serves_its_documents(client_for, bendahara, approve):
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    client = client_for(bendahara)

    client.post(
        reverse("finance:sign", args=[batch.pk]),
        {"signer_name": "Drs. Bambang Wijaya", "signer_nip": NIP},
    )
    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    pdf = client.get(reverse("finance:claim_document", args=[batch.pk, "kuitansi", claim.pk]))
    listing = client.get(reverse("finance:document", args=[batch.pk, "daftar_nominatif"]))

    assert PayoutBatch.objects.get(pk=batch.pk).status == BatchStatus.SIGNED
    assert "Drs. Bambang Wijaya" in page
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert listing.status_code == 200
    assert claim.access_logs.filter(what="unduh kuitansi").exists()
    wrong_kind = reverse(
        "finance:claim_document", args=[batch.pk, "pemberitahuan_transfer", claim.pk]
    )
    assert client.get(wrong_kind).status_code == 404


def test_the_progress_fragment_keeps_polling_while_documents_render(client_for, bendahara, approve):
    batch = create_batch(user=bendahara, claim_ids=[approve().pk])
    PayoutBatch.objects.filter(pk=batch.pk).update(
        render_state="running", render_total=3, render_done=1
    )

    fragment = client_for(bendahara).get(reverse("finance:render_progress", args=[batch.pk]))

    body = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in body and "1 / 3" in body
