"""`generate_payouts`: the demo's payouts made through the finance services."""

from io import StringIO

from django.core.management import call_command

from santunan.models import BatchStatus, Claim, Payment, PayoutBatch, Status


def generate_payouts(*args) -> str:
    out = StringIO()
    call_command("generate_payouts", *args, stdout=out)
    return out.getvalue()


def test_it_pays_one_cash_claim_and_records_a_paid_and_a_failed_transfer(operator_a, bendahara):
    call_command("generate_claims", 60, "--seed", "4", stdout=StringIO())

    generate_payouts()

    cash, transfer = (
        PayoutBatch.objects.get(payout_method=method)
        for method in (Claim.PayoutMethod.CASH, Claim.PayoutMethod.TRANSFER)
    )
    assert cash.status == BatchStatus.DISBURSED
    assert Payment.objects.filter(item__batch=cash, result="success").count() == 1
    assert cash.items.filter(claim__status=Status.SCHEDULED).exists()
    assert set(transfer.items.values_list("claim__status", flat=True)) == {
        Status.PAID, Status.PAYMENT_FAILED
    }
    assert all(c.events.filter(actor=bendahara).exists() for c in Claim.objects.filter(
        status__in=[Status.PAID, Status.PAYMENT_FAILED, Status.SCHEDULED]
    ))


def test_with_if_empty_it_leaves_existing_payouts_alone(operator_a, bendahara):
    call_command("generate_claims", 60, "--seed", "4", stdout=StringIO())
    generate_payouts()

    output = generate_payouts("--if-empty")

    assert PayoutBatch.objects.count() == 2
    assert "tidak ada yang dibuat" in output


def test_without_approved_claims_it_says_so_and_makes_nothing(operator_a, bendahara):
    output = generate_payouts()

    assert "Belum ada klaim disetujui" in output
    assert not PayoutBatch.objects.exists()
