"""What the reports count: the recap per kecamatan and desa, the service promise per
kecamatan, and the payments of a batch or a month. Claims are counted by the period
of their first submission, as in the archive search and the dashboard."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from santunan.archive import month_range, promise_kept, promise_missed
from santunan.models import Claim, ClaimEvent, Payment, Status


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None

    @property
    def bounds(self) -> tuple[date, date]:
        return month_range(self.year, self.month)

    def label(self) -> str:
        from santunan.finance.letters.formatting import MONTHS

        return f"{MONTHS[self.month - 1]} {self.year}" if self.month else str(self.year)


@dataclass
class RecapRow:
    kecamatan: str
    desa: str
    received: int = 0
    paid: int = 0
    rejected: int = 0
    returned: int = 0
    paid_amount: int = 0


@dataclass
class Recap:
    period: Period
    rows: list[RecapRow]
    rejections: list[tuple[str, str, str]] = field(default_factory=list)

    def total(self) -> RecapRow:
        total = RecapRow(kecamatan="", desa="")
        for row in self.rows:
            total.received += row.received
            total.paid += row.paid
            total.rejected += row.rejected
            total.returned += row.returned
            total.paid_amount += row.paid_amount
        return total


def claims_in(period: Period):
    start, end = period.bounds
    tz = timezone.get_current_timezone()
    from datetime import datetime, time, timedelta

    return (
        Claim.objects.exclude(status=Status.DRAFT)
        .exclude(number=None)
        .filter(
            first_submitted_at__gte=datetime.combine(start, time.min, tzinfo=tz),
            first_submitted_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
        )
    )


def recap(period: Period) -> Recap:
    """Per desa: claims received, paid, rejected, ever returned to the village, and the
    amount paid to them (successful payments)."""
    returned = ClaimEvent.objects.filter(claim=OuterRef("pk"), to_status=Status.RETURNED)
    paid_amounts = dict(
        Payment.objects.filter(result=Payment.Result.SUCCESS, claim__in=claims_in(period))
        .values_list("claim__desa_id")
        .annotate(total=Sum("amount"))
    )
    figures = (
        claims_in(period)
        .order_by()
        .values("desa_id", "desa__name", "desa__kecamatan__name")
        .annotate(
            received=Count("pk"),
            paid=Count("pk", filter=Q(status=Status.PAID)),
            rejected=Count("pk", filter=Q(status=Status.REJECTED)),
            returned=Count("pk", filter=Q(Exists(returned))),
        )
        .order_by("desa__kecamatan__name", "desa__name")
    )
    rows = [
        RecapRow(
            kecamatan=f["desa__kecamatan__name"],
            desa=f["desa__name"],
            received=f["received"],
            paid=f["paid"],
            rejected=f["rejected"],
            returned=f["returned"],
            paid_amount=paid_amounts.get(f["desa_id"], 0) or 0,
        )
        for f in figures
    ]
    rejections = list(
        claims_in(period)
        .filter(status=Status.REJECTED)
        .order_by("first_submitted_at", "pk")
        .values_list("number", "desa__name", "last_reason")
    )
    return Recap(period=period, rows=rows, rejections=rejections)


@dataclass
class PromiseRow:
    kecamatan: str
    kept: int
    missed: int
    waiting_late: int

    @property
    def share(self) -> int | None:
        decided = self.kept + self.missed
        return round(100 * self.kept / decided) if decided else None


def promise(period: Period) -> list[PromiseRow]:
    today = timezone.localdate()
    figures = (
        claims_in(period)
        .order_by()
        .values("desa__kecamatan__name")
        .annotate(
            kept=Count("pk", filter=promise_kept()),
            missed=Count("pk", filter=promise_missed()),
            late=Count("pk", filter=Q(status=Status.SUBMITTED, due_date__lt=today)),
        )
        .order_by("desa__kecamatan__name")
    )
    return [
        PromiseRow(f["desa__kecamatan__name"], f["kept"], f["missed"], f["late"]) for f in figures
    ]


@dataclass(frozen=True)
class PaymentLine:
    receipt_number: str
    batch: str
    claim_number: str
    heir_name: str
    amount: int
    paid_on: date | None
    method: str
    result: str


def payments(*, batch_id: int | None = None, period: Period | None = None) -> Iterator[PaymentLine]:
    """Every recorded payment of a batch, or paid within a month or year, in the order
    of the batch's letters: the kuitansi number is the batch number and the position."""
    qs = Payment.objects.select_related("item__batch", "claim")
    if batch_id is not None:
        qs = qs.filter(item__batch_id=batch_id)
    if period is not None:
        start, end = period.bounds
        qs = qs.filter(paid_on__gte=start, paid_on__lte=end)
    for p in qs.order_by(
        "item__batch__year", "item__batch__sequence", "item__position", "pk"
    ).iterator(chunk_size=2000):
        yield PaymentLine(
            receipt_number=f"{p.item.batch.number}/{p.item.position:04d}",
            batch=p.item.batch.number,
            claim_number=p.claim.number,
            heir_name=p.claim.heir_name,
            amount=p.amount,
            paid_on=p.paid_on,
            method=p.get_method_display(),
            result=p.get_result_display(),
        )
