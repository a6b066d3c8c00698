"""Cash payments, the budget, and a claim that can never be paid twice."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import has_transition_perm

from santunan.finance.selectors import budget_summary
from santunan.finance.services import (
    FinanceError,
    create_batch,
    disburse_batch,
    record_cash_payment,
    set_budget,
    sign_batch,
)
from santunan.models import Claim, Payment, PayoutBatch, Status
from santunan.services import ClaimError
from tests.santunan.factories import pdf_bytes, upload
from villages.roles import Role

NIP = "197501012000031001"


def disbursed(batch, bendahara):
    sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP)
    return disburse_batch(user=bendahara, batch_id=batch.pk)


def pay(user, claim, **overrides):
    values = {
        "paid_on": timezone.localdate(),
        "collected_by": "Siti Aminah",
        "identity_checked": True,
        "receipt_scan": upload("kuitansi.pdf", pdf_bytes(), "application/pdf"),
    }
    values.update(overrides)
    return record_cash_payment(user=user, claim_id=claim.pk, **values)


@pytest.fixture
def cash_claim(approve, bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    claim = approve()
    disbursed(create_batch(user=bendahara, claim_ids=[claim.pk]), bendahara)
    return claim


def test_recording_a_cash_collection_pays_the_claim_and_keeps_the_scan(
    cash_claim, bendahara, client_for
):
    payment = pay(bendahara, cash_claim)

    claim = Claim.objects.get(pk=cash_claim.pk)
    assert claim.status == Status.PAID
    assert (payment.collected_by, payment.identity_checked) == ("Siti Aminah", True)
    assert payment.receipt_content_type == "application/pdf"
    event = claim.events.get(action="mark_paid")
    assert (event.actor, event.data["method"]) == (bendahara, "tunai")
    # The scan is served only through the permission-checked view, and the look is logged.
    url = reverse("finance:receipt_scan", args=[payment.pk])
    assert client_for(bendahara).get(url).status_code == 200
    assert claim.access_logs.filter(user=bendahara).exists()


def test_a_scan_that_is_not_a_document_is_refused(cash_claim, bendahara):
    with pytest.raises(ClaimError, match="bukan PDF, JPEG atau PNG"):
        pay(bendahara, cash_claim, receipt_scan=upload("kuitansi.pdf", b"MZ\x90\x00", "x/y"))
    assert Claim.objects.get(pk=cash_claim.pk).status == Status.SCHEDULED


def test_the_identity_check_is_required_and_the_date_cannot_be_in_the_future(cash_claim, bendahara):
    with pytest.raises(FinanceError, match="KTP"):
        pay(bendahara, cash_claim, identity_checked=False)
    with pytest.raises(FinanceError, match="masa depan"):
        pay(bendahara, cash_claim, paid_on=timezone.localdate() + timedelta(days=1))


def test_cash_cannot_be_recorded_before_the_batch_is_disbursed(approve, bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    claim = approve()
    create_batch(user=bendahara, claim_ids=[claim.pk])

    with pytest.raises(FinanceError, match="belum dicairkan"):
        pay(bendahara, claim)


def test_the_approver_of_a_claim_cannot_record_its_payment(cash_claim, approver):
    approver.groups.add(Group.objects.get(name=Role.BENDAHARA))
    approver = User.objects.get(pk=approver.pk)

    with pytest.raises(ClaimError, match="tidak berwenang"):
        pay(approver, cash_claim)
    assert Claim.objects.get(pk=cash_claim.pk).status == Status.SCHEDULED


def test_a_paid_claim_cannot_be_paid_again(cash_claim, bendahara):
    pay(bendahara, cash_claim)

    with pytest.raises(FinanceError, match="sudah dibayar"):
        pay(bendahara, cash_claim)
    payment = Payment.objects.get(claim=cash_claim)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            claim=cash_claim,
            item=payment.item,
            method="tunai",
            result="success",
            amount=1_000_000,
            recorded_by=bendahara,
        )


def test_the_budget_shows_allocated_committed_paid_and_remaining(approve, bendahara):
    year = timezone.localdate().year
    set_budget(user=bendahara, year=year, allocation=5_000_000)
    first, second = approve(1), approve(2)
    disbursed(create_batch(user=bendahara, claim_ids=[first.pk]), bendahara)
    create_batch(user=bendahara, claim_ids=[second.pk])
    pay(bendahara, first)

    summary = budget_summary(year)

    assert (summary.allocation, summary.committed, summary.paid, summary.remaining) == (
        5_000_000,
        1_000_000,
        1_000_000,
        3_000_000,
    )


def test_a_batch_past_the_remaining_allocation_needs_a_recorded_confirmation(approve, bendahara):
    year = timezone.localdate().year
    set_budget(user=bendahara, year=year, allocation=1_500_000)
    claims = [approve(1), approve(2)]

    with pytest.raises(FinanceError, match="melampaui sisa pagu"):
        create_batch(user=bendahara, claim_ids=[c.pk for c in claims])
    with pytest.raises(FinanceError, match="melampaui sisa pagu"):
        create_batch(user=bendahara, claim_ids=[c.pk for c in claims], confirm_over_budget=True)
    assert not PayoutBatch.objects.exists()

    batch = create_batch(
        user=bendahara,
        claim_ids=[c.pk for c in claims],
        confirm_over_budget=True,
        over_budget_note="Perubahan APBD sedang diproses",
    )

    assert batch.over_budget_confirmed_by == bendahara
    assert batch.over_budget_note == "Perubahan APBD sedang diproses"
    assert budget_summary(year).remaining == -500_000
    event = claims[0].events.get(action="schedule")
    assert event.data["over_budget_confirmed"] is True


def test_a_batch_within_the_allocation_needs_no_confirmation(approve, bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=2_000_000)

    batch = create_batch(user=bendahara, claim_ids=[approve(1).pk, approve(2).pk])

    assert batch.over_budget_confirmed_at is None


@pytest.mark.django_db(transaction=True)
def test_two_cashiers_paying_the_same_claim_at_once_pay_it_once(cash_claim, bendahara, bendahara2):
    barrier = threading.Barrier(2)
    results = [None, None]

    def attempt(index, user):
        try:
            barrier.wait()
            results[index] = pay(user, cash_claim)
        except Exception as error:  # collected for the assertions
            results[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(i, u)) for i, u in enumerate((bendahara, bendahara2))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], FinanceError) and "sudah dibayar" in errors[0].message
    assert Payment.objects.filter(claim=cash_claim, result="success").count() == 1
    assert Claim.objects.get(pk=cash_claim.pk).events.filter(action="mark_paid").count() == 1


def test_the_approver_of_a_claim_cannot_schedule_it_even_as_treasurer(approve, approver):
    approver.groups.add(Group.objects.get(name=Role.BENDAHARA))
    approver = User.objects.get(pk=approver.pk)
    set_budget(user=approver, year=timezone.localdate().year, allocation=10_000_000)
    claim = approve()

    with pytest.raises(FinanceError, match="pemisahan tugas"):
        create_batch(user=approver, claim_ids=[claim.pk])

    assert Claim.objects.get(pk=claim.pk).status == Status.APPROVED
    assert not PayoutBatch.objects.exists()
    # The transition itself refuses too, whatever path reaches it.
    assert not has_transition_perm(Claim.objects.get(pk=claim.pk).schedule, approver)
