"""The office's dashboard: claims by status, kecamatan and month, the overdue list,
working days per step, the service promise and the budget.

Every count is a count of `santunan.archive.search_claims` with the filters of the
link shown beside it, so whoever clicks a number sees exactly the claims behind it
(tests/reports/test_dashboard.py checks each one)."""

import bisect
import math
import statistics
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS

from santunan.archive import ArchiveFilters, promise_kept, promise_missed, search_claims
from santunan.finance.selectors import BudgetSummary, budget_summary
from santunan.models import Claim, Holiday, Status
from villages.models import Kecamatan

OVERDUE_SHOWN = 20


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class StepTimes:
    label: str
    median: float | None
    p90: int | None
    claims: int


@dataclass
class Dashboard:
    year: int
    kecamatan: Kecamatan | None
    total: Figure
    by_status: list[Figure]
    by_kecamatan: list[Figure]
    by_month: list[Figure]
    overdue: Figure
    overdue_claims: list[Claim]
    promise: list[dict]
    steps: list[StepTimes]
    budget: BudgetSummary
    years: list[int] = field(default_factory=list)


def archive_url(**filters) -> str:
    query = {name: value for name, value in filters.items() if value not in (None, "", False)}
    return reverse("santunan:archive") + ("?" + urlencode(query) if query else "")


def build_dashboard(user, *, year: int, kecamatan: Kecamatan | None) -> Dashboard:
    kec = kecamatan.code if kecamatan else ""
    scope = {"year": year, "kecamatan": kec}
    claims = search_claims(
        user,
        ArchiveFilters(
            kecamatan=kec, submitted_from=date(year, 1, 1), submitted_to=date(year, 12, 31)
        ),
    ).order_by()

    statuses = dict(claims.values_list("status").annotate(n=Count("pk")))
    by_status = [
        Figure(label, statuses.get(value, 0), archive_url(status=value, **scope))
        for value, label in Status.choices
        if value != Status.DRAFT
    ]
    total = Figure("", sum(statuses.values()), archive_url(**scope))

    counted = dict(claims.values_list("desa__kecamatan_id").annotate(n=Count("pk")))
    areas = [kecamatan] if kecamatan else Kecamatan.objects.order_by("name")
    by_kecamatan = [
        Figure(area.name, counted.get(area.code, 0), archive_url(year=year, kecamatan=area.code))
        for area in areas
    ]

    months = {
        timezone.localtime(moment).month: n
        for moment, n in claims.annotate(m=TruncMonth("first_submitted_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
    }
    by_month = [
        Figure(str(MONTHS[m]), months.get(m, 0), archive_url(month=m, **scope))
        for m in range(1, 13)
    ]

    today = timezone.localdate()
    late = claims.filter(status=Status.SUBMITTED, due_date__lt=today)
    overdue = Figure("", late.count(), archive_url(overdue=1, **scope))
    overdue_claims = list(
        late.select_related("desa__kecamatan").order_by("due_date", "first_submitted_at", "pk")[
            :OVERDUE_SHOWN
        ]
    )

    periods = [("year", {})]
    if year == today.year:
        periods.insert(0, ("month", {"month": today.month}))
    promise = []
    for period, extra in periods:
        in_period = claims
        if extra:
            in_period = claims.filter(first_submitted_at__month=extra["month"])
        figures = in_period.aggregate(
            kept=Count("pk", filter=promise_kept()), missed=Count("pk", filter=promise_missed())
        )
        decided = figures["kept"] + figures["missed"]
        promise.append(
            {
                "period": period,
                "kept": Figure("", figures["kept"], archive_url(promise="kept", **scope, **extra)),
                "missed": Figure(
                    "", figures["missed"], archive_url(promise="missed", **scope, **extra)
                ),
                "share": round(100 * figures["kept"] / decided) if decided else None,
            }
        )

    return Dashboard(
        year=year,
        kecamatan=kecamatan,
        total=total,
        by_status=by_status,
        by_kecamatan=by_kecamatan,
        by_month=by_month,
        overdue=overdue,
        overdue_claims=overdue_claims,
        promise=promise,
        steps=step_times(claims),
        budget=budget_summary(year),
    )


class WorkingDays:
    """Working days between two days (Monday to Friday, holidays excluded), in
    constant time per pair: the dashboard measures every claim of a year."""

    def __init__(self, holidays: list[date]):
        self.holidays = sorted(day for day in holidays if day.weekday() < 5)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`, as
        santunan.calendar.add_working_days counts them."""
        if end <= start:
            return 0
        weeks, rest = divmod((end - start).days, 7)
        days = weeks * 5 + sum(1 for i in range(1, rest + 1) if (start.weekday() + i) % 7 < 5)
        left = bisect.bisect_right(self.holidays, start)
        right = bisect.bisect_right(self.holidays, end)
        return days - (right - left)


def percentile(values: list[int], share: float) -> int | None:
    """Nearest-rank percentile: the smallest value at least `share` of them reach."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


STEPS = [
    ("first_submitted_at", "verified_at"),
    ("verified_at", "approved_at"),
    ("approved_at", "paid_at"),
    ("first_submitted_at", "paid_at"),
]


def step_times(claims) -> list[StepTimes]:
    from django.utils.translation import gettext as _

    labels = [
        _("Diajukan → diverifikasi"),
        _("Diverifikasi → disetujui"),
        _("Disetujui → dibayar"),
        _("Diajukan → dibayar"),
    ]
    rows = list(
        claims.filter(~Q(verified_at=None)).values_list(
            "first_submitted_at", "verified_at", "approved_at", "paid_at"
        )
    )
    names = ["first_submitted_at", "verified_at", "approved_at", "paid_at"]
    days = [[timezone.localtime(m).date() if m else None for m in row] for row in rows]
    if days:
        first = min(row[0] for row in days if row[0])
        calendar = WorkingDays(
            list(Holiday.objects.filter(date__gte=first).values_list("date", flat=True))
        )
    result = []
    for label, (start, end) in zip(labels, STEPS, strict=True):
        a, b = names.index(start), names.index(end)
        spans = [calendar.between(row[a], row[b]) for row in days if row[a] and row[b]]
        result.append(
            StepTimes(
                label=label,
                median=statistics.median(spans) if spans else None,
                p90=percentile(spans, 0.9),
                claims=len(spans),
            )
        )
    return result


def chart(figures: list[Figure], *, width: int = 320, row: int = 34) -> dict:
    """A horizontal bar chart for the template to draw as SVG: label above each bar,
    the count at its end, so the names stay readable on a 360 px phone."""
    top = max((f.count for f in figures), default=0) or 1
    bar_room = width - 60
    bars = [
        {
            "figure": f,
            "y": i * row,
            "bar_y": i * row + 15,
            "text_y": i * row + 12,
            "width": round(bar_room * f.count / top, 1) if f.count else 0,
            "value_x": round(bar_room * f.count / top, 1) + 6,
            "value_y": i * row + 28,
        }
        for i, f in enumerate(figures)
    ]
    return {"bars": bars, "width": width, "height": max(row * len(figures), row)}


def years_with_claims() -> list[int]:
    today = timezone.localdate()
    first = (
        Claim.objects.exclude(first_submitted_at=None)
        .order_by("first_submitted_at")
        .values_list("first_submitted_at", flat=True)
        .first()
    )
    start = timezone.localtime(first).year if first else today.year
    return list(range(today.year, min(start, today.year) - 1, -1))


def overdue_days(claim: Claim, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return (today - claim.due_date).days if claim.due_date else 0
