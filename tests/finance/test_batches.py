"""Payout batches: numbers, states, one open batch per claim, and the audit trail."""

import pytest
from django.db import IntegrityError, transaction

from santunan.finance.services import (
    FinanceError,
    close_batch,
    create_batch,
    disburse_batch,
    remove_from_batch,
    set_budget,
    sign_batch,
)
from santunan.models import BatchItem, BatchStatus, Claim, Status
from santunan.services import ClaimError, update_claim

NIP = "197501012000031001"


@pytest.fixture(autouse=True)
def budget(bendahara):
    from django.utils import timezone

    set_budget(user=bendahara, year=timezone.localdate().year, allocation=100_000_000)


def test_a_batch_gets_the_next_letter_number_of_the_year_and_schedules_its_claims(
    approve, bendahara
):
    one, two = approve(1), approve(2)

    first = create_batch(user=bendahara, claim_ids=[one.pk])
    second = create_batch(user=bendahara, claim_ids=[two.pk])

    year = first.year
    assert first.number == f"460/1/SANT/{year}"
    assert second.number == f"460/2/SANT/{year}"
    assert first.status == BatchStatus.DRAFTED
    one.refresh_from_db()
    assert one.status == Status.SCHEDULED
    event = one.events.get(action="schedule")
    assert (event.actor, event.data["batch"]) == (bendahara, first.number)


def test_the_letter_pattern_comes_from_settings(approve, bendahara, settings):
    settings.FINANCE_LETTER_PATTERN = "900/{seq:03d}/DINSOS/{year}"

    batch = create_batch(user=bendahara, claim_ids=[approve().pk])

    assert batch.number == f"900/001/DINSOS/{batch.year}"


def test_a_refused_batch_gives_its_number_back(approve, bendahara, verifikator):
    approved = approve(1)
    with pytest.raises(FinanceError):
        create_batch(user=bendahara, claim_ids=[approved.pk, 999_999])

    batch = create_batch(user=bendahara, claim_ids=[approved.pk])

    assert batch.sequence == 1


def test_only_approved_claims_of_one_payout_method_go_into_a_batch(
    approve, approve_transfer, bendahara
):
    cash, transfer = approve(1), approve_transfer(2)

    with pytest.raises(FinanceError, match="satu cara pembayaran"):
        create_batch(user=bendahara, claim_ids=[cash.pk, transfer.pk])
    create_batch(user=bendahara, claim_ids=[cash.pk])
    with pytest.raises(FinanceError, match='bukan "Disetujui"'):
        create_batch(user=bendahara, claim_ids=[cash.pk])


def test_only_finance_creates_batches(approve, approver):
    with pytest.raises(FinanceError, match="bendahara"):
        create_batch(user=approver, claim_ids=[approve().pk])


def test_the_database_keeps_a_claim_in_at_most_one_open_batch(approve, bendahara):
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    other = create_batch(user=bendahara, claim_ids=[approve(2).pk])

    with pytest.raises(IntegrityError), transaction.atomic():
        BatchItem.objects.create(
            batch=other, claim=claim, position=9, amount=1_000_000, added_by=bendahara
        )
    assert batch.items.filter(claim=claim, active=True).count() == 1


def test_removing_a_claim_from_a_draft_batch_approves_it_again(approve, bendahara):
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk, approve(2).pk])

    remove_from_batch(user=bendahara, batch_id=batch.pk, claim_id=claim.pk)

    claim.refresh_from_db()
    assert claim.status == Status.APPROVED
    assert claim.events.filter(action="unschedule").exists()
    again = create_batch(user=bendahara, claim_ids=[claim.pk])
    assert again.items.get().claim == claim


def test_a_batch_is_signed_disbursed_and_closed_in_that_order(approve, bendahara):
    batch = create_batch(user=bendahara, claim_ids=[approve().pk])

    with pytest.raises(FinanceError, match="tidak dapat dilakukan"):
        disburse_batch(user=bendahara, batch_id=batch.pk)
    with pytest.raises(FinanceError, match="NIP harus 18 angka"):
        sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip="123")
    batch = sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang Wijaya", signer_nip=NIP
    )
    assert (batch.status, batch.signer_nip) == (BatchStatus.SIGNED, NIP)
    claim = batch.items.get().claim
    with pytest.raises(FinanceError, match="tidak dapat diubah"):
        remove_from_batch(user=bendahara, batch_id=batch.pk, claim_id=claim.pk)

    batch = disburse_batch(user=bendahara, batch_id=batch.pk)
    assert batch.status == BatchStatus.DISBURSED
    with pytest.raises(FinanceError, match="belum dibayar"):
        close_batch(user=bendahara, batch_id=batch.pk)
    assert {"batch_signed", "batch_disbursed"} <= set(claim.events.values_list("action", flat=True))


def test_finance_cannot_change_claim_data(approve, bendahara):
    claim = approve()

    with pytest.raises(ClaimError, match="bukan milik desa"):
        update_claim(user=bendahara, claim_id=claim.pk, data={"heir_name": "Orang Lain"})
    assert Claim.objects.get(pk=claim.pk).heir_name == "Siti Aminah"
