"""Reads for the finance pages: approved claims to schedule, batches, the budget."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from santunan.models import (
    BatchItem,
    BatchStatus,
    Budget,
    BudgetChange,
    Claim,
    Payment,
    PayoutBatch,
    Status,
)


def approved_claims(
    *,
    payout_method: str = "",
    kecamatan: str = "",
    approved_from: date | None = None,
    approved_to: date | None = None,
) -> QuerySet[Claim]:
    """Claims waiting for a batch, oldest approval first (paid in the order approved)."""
    claims = Claim.objects.filter(status=Status.APPROVED).select_related("desa__kecamatan")
    if payout_method:
        claims = claims.filter(payout_method=payout_method)
    if kecamatan:
        claims = claims.filter(desa__kecamatan_id=kecamatan)
    if approved_from:
        claims = claims.filter(approved_at__date__gte=approved_from)
    if approved_to:
        claims = claims.filter(approved_at__date__lte=approved_to)
    return claims.order_by("approved_at", "pk")


def failed_payments() -> QuerySet[Claim]:
    """Claims whose transfer the bank refused, waiting for the treasurer's decision,
    with the bank's reason (the claim's last reason)."""
    return (
        Claim.objects.filter(status=Status.PAYMENT_FAILED)
        .select_related("desa__kecamatan")
        .order_by("updated_at", "pk")
    )


def undecided_failures(batch: PayoutBatch) -> QuerySet[Claim]:
    """Claims whose transfer in this batch the bank refused and on which the treasurer
    has not yet decided (schedule again, or Dinas Sosial returns it to the village):
    closing the batch does not decide for them, so the confirmation names them."""
    return (
        Claim.objects.filter(
            status=Status.PAYMENT_FAILED,
            batch_items__batch=batch,
            batch_items__outcome=BatchItem.Outcome.FAILED,
        )
        .distinct()
        .order_by("number")
    )


def batches() -> QuerySet[PayoutBatch]:
    """Every batch with the number and total of the claims it holds (removed ones not)."""
    held = ~Q(items__outcome=BatchItem.Outcome.REMOVED)
    return PayoutBatch.objects.annotate(
        claim_count=Count("items", filter=held),
        total=Sum("items__amount", filter=held),
    )


def draft_batches() -> QuerySet[PayoutBatch]:
    return PayoutBatch.objects.filter(status=BatchStatus.DRAFTED)


def batch_items(batch: PayoutBatch) -> QuerySet[BatchItem]:
    return (
        batch.items.exclude(outcome=BatchItem.Outcome.REMOVED)
        .select_related("claim__desa__kecamatan")
        .prefetch_related("payments")
        .order_by("position")
    )


def batch_total(batch: PayoutBatch) -> tuple[int, int]:
    """(number of claims, total amount) the batch pays."""
    figures = batch_items(batch).aggregate(count=Count("pk"), total=Sum("amount"))
    return figures["count"], figures["total"] or 0


@dataclass(frozen=True)
class BudgetSummary:
    year: int
    allocation: int | None
    committed: int
    paid: int

    @property
    def remaining(self) -> int:
        return (self.allocation or 0) - self.committed - self.paid


def budget_summary(year: int) -> BudgetSummary:
    """Allocated, committed (scheduled in a batch of that year), paid and remaining."""
    budget = Budget.objects.filter(year=year).first()
    committed = BatchItem.objects.filter(
        batch__year=year, active=True, outcome=BatchItem.Outcome.PENDING
    ).aggregate(total=Sum("amount"))["total"]
    paid = Payment.objects.filter(item__batch__year=year, result=Payment.Result.SUCCESS).aggregate(
        total=Sum("amount")
    )["total"]
    return BudgetSummary(
        year=year,
        allocation=budget.allocation if budget else None,
        committed=committed or 0,
        paid=paid or 0,
    )


def pending_item(claim_id: int) -> BatchItem | None:
    """The batch item currently holding a claim, if any."""
    return (
        BatchItem.objects.filter(claim_id=claim_id, active=True)
        .select_related("batch", "claim")
        .first()
    )


def budget_changes() -> QuerySet[BudgetChange]:
    """Every entry and correction of an allocation, newest first."""
    return BudgetChange.objects.select_related("budget", "changed_by").order_by(
        "-changed_at", "-pk"
    )
