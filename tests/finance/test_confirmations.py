"""Closing a batch and scheduling a failed transfer again ask first: the GET is a
confirmation page, only the POST acts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from santunan.finance import services
from santunan.models import BatchStatus, Claim, PayoutBatch, Status
from tests.finance.conftest import csv_upload

NIP = "197501012000031001"
HEADER = "Referensi,No Rekening,Nominal,Status,Tanggal,No Referensi Bank,Keterangan\r\n"


@pytest.fixture
def reconciled(bendahara, approve_transfer):
    """A disbursed transfer batch whose bank paid one claim and refused the other."""
    services.set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    paid, failed = approve_transfer(1), approve_transfer(2, heir_name="Warsini")
    batch = services.create_batch(user=bendahara, claim_ids=[paid.pk, failed.pk])
    services.sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP
    )
    services.disburse_batch(user=bendahara, batch_id=batch.pk)
    services.reconcile_bank_result(
        user=bendahara,
        batch_id=batch.pk,
        upload=csv_upload(
            HEADER
            + f"{paid.number},1234567890,1000000,BERHASIL,2026-11-27,TRX-1,\r\n"
            + f"{failed.number},1234567890,1000000,GAGAL,2026-11-27,TRX-2,Rekening tutup\r\n"
            + "TOTAL,2,2000000,,,,\r\n"
        ),
    )
    return batch, paid, failed


def test_closing_a_batch_asks_first_and_names_the_undecided_failed_transfers(
    client_for, bendahara, reconciled
):
    batch, paid, failed = reconciled
    client = client_for(bendahara)

    page = client.get(reverse("finance:close", args=[batch.pk])).content.decode()

    assert f'data-claim="{failed.number}"' in page and "Warsini" in page
    assert "Rekening tutup" in page
    assert f'data-claim="{paid.number}"' not in page
    assert PayoutBatch.objects.get(pk=batch.pk).status == BatchStatus.DISBURSED


def test_confirming_closes_the_batch(client_for, bendahara, reconciled):
    batch, _paid, failed = reconciled

    response = client_for(bendahara).post(reverse("finance:close", args=[batch.pk]))

    assert response.url == reverse("finance:batch", args=[batch.pk])
    assert PayoutBatch.objects.get(pk=batch.pk).status == BatchStatus.CLOSED
    # Closing decided nothing for the failed transfer: it still waits.
    assert Claim.objects.get(pk=failed.pk).status == Status.PAYMENT_FAILED


def test_a_batch_with_unpaid_claims_cannot_be_confirmed_closed(client_for, bendahara, approve):
    services.set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    batch = services.create_batch(user=bendahara, claim_ids=[approve().pk])
    services.sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP
    )
    services.disburse_batch(user=bendahara, batch_id=batch.pk)

    page = client_for(bendahara).get(reverse("finance:close", args=[batch.pk])).content.decode()

    assert 'id="close-pending"' in page
    assert "disabled" in page.split('id="close-pending"')[1]


def test_the_batch_page_links_to_the_confirmation_instead_of_closing(
    client_for, bendahara, reconciled
):
    batch, _paid, _failed = reconciled

    page = client_for(bendahara).get(reverse("finance:batch", args=[batch.pk])).content.decode()

    assert f'href="{reverse("finance:close", args=[batch.pk])}"' in page
    assert f'action="{reverse("finance:close", args=[batch.pk])}"' not in page


def test_scheduling_a_failed_transfer_again_asks_first_with_the_banks_reason(
    client_for, bendahara, reconciled
):
    _batch, _paid, failed = reconciled
    client = client_for(bendahara)
    home = client.get(reverse("finance:home")).content.decode()
    assert f'href="{reverse("finance:reopen", args=[failed.pk])}"' in home

    page = client.get(reverse("finance:reopen", args=[failed.pk])).content.decode()

    assert "Rekening tutup" in page and "Ya, jadwalkan ulang" in page
    assert Claim.objects.get(pk=failed.pk).status == Status.PAYMENT_FAILED


def test_confirming_schedules_the_failed_transfer_again(client_for, bendahara, reconciled):
    _batch, _paid, failed = reconciled

    response = client_for(bendahara).post(reverse("finance:reopen", args=[failed.pk]))

    assert response.url == reverse("finance:home")
    assert Claim.objects.get(pk=failed.pk).status == Status.APPROVED


def test_a_claim_no_longer_failed_has_nothing_to_confirm(client_for, bendahara, reconciled):
    _batch, paid, _failed = reconciled

    response = client_for(bendahara).get(reverse("finance:reopen", args=[paid.pk]))

    assert response.url == reverse("finance:home")
    assert Claim.objects.get(pk=paid.pk).status == Status.PAID
