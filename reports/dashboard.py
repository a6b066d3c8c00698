"""The office's dashboard: claims by status, kecamatan and month, the overdue list,
working days per step, the service promise and the budget.

Every count equals the count of `santunan.archive.search_claims` with the filters of the
link shown beside it, so whoever clicks a number sees exactly the claims behind it
(tests/reports/test_dashboard.py checks each one). The counts come from those the claim
events keep (reports/counts.py), not from the claims: the page is Dinas Sosial's, whose
roles see every claim that left the village, which is what the kept counts hold."""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS

from reports.models import ClaimCount, StepCount
from santunan.archive import ArchiveFilters, search_claims
from santunan.finance.selectors import BudgetSummary, budget_summary
from santunan.models import Claim, Status
from santunan.progress import STEP_FIELDS
from santunan.rules import promise_words
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
    # The promise of the policies in force that year (santunan.rules.promise_words).
    promise_words: str = ""


def archive_url(**filters) -> str:
    query = {name: value for name, value in filters.items() if value not in (None, "", False)}
    return reverse("santunan:archive") + ("?" + urlencode(query) if query else "")


def build_dashboard(
    user, *, year: int, kecamatan: Kecamatan | None, every_kecamatan: list | None = None
) -> Dashboard:
    kec = kecamatan.code if kecamatan else ""
    scope = {"year": year, "kecamatan": kec}
    today = timezone.localdate()
    if every_kecamatan is None:
        every_kecamatan = list(Kecamatan.objects.order_by("name"))
    areas = [kecamatan] if kecamatan else every_kecamatan

    # The counts kept by the claims' events (reports/counts.py): a year is a few
    # hundred rows whatever the number of claims. Each figure adds the rows its archive
    # link filters on (status, kecamatan, month, promise), so the two always agree.
    counts, histograms = Counter(), {name: Counter() for name in STEPS}
    rows = ClaimCount.objects.filter(month__gte=date(year, 1, 1), month__lte=date(year, 12, 1))
    steps = StepCount.objects.filter(year=year)
    if kecamatan:
        rows = rows.filter(desa__kecamatan_id=kec)
        steps = steps.filter(desa__kecamatan_id=kec)
    for area, month, status, promise, n in (
        rows.values_list("desa__kecamatan_id", "month", "status", "promise")
        .annotate(n=Sum("claims"))
        .order_by()
    ):
        counts[area] += n
        counts[f"status_{status}"] += n
        counts[f"month_{month.month}"] += n
        if promise:
            counts[f"year_{promise}"] += n
            if year == today.year and month.month == today.month:
                counts[f"month_{promise}"] += n
    for step, days, n in steps.values_list("step", "days").annotate(n=Sum("claims")).order_by():
        histograms[step][days] += n

    by_status = [
        Figure(label, counts[f"status_{value}"], archive_url(status=value, **scope))
        for value, label in Status.choices
        if value != Status.DRAFT
    ]
    total = Figure("", sum(f.count for f in by_status), archive_url(**scope))
    by_kecamatan = [
        Figure(area.name, counts[area.code], archive_url(year=year, kecamatan=area.code))
        for area in areas
    ]
    by_month = [
        Figure(str(MONTHS[m]), counts[f"month_{m}"], archive_url(month=m, **scope))
        for m in range(1, 13)
    ]

    # The claims past their promise are the few waiting in the queue: read through the
    # queue's index (status, due date), oldest first, only the ones shown.
    late = search_claims(
        user,
        ArchiveFilters(
            kecamatan=kec,
            submitted_from=date(year, 1, 1),
            submitted_to=date(year, 12, 31),
            overdue=True,
        ),
    ).order_by()
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
        kept, missed = counts[f"{period}_kept"], counts[f"{period}_missed"]
        promise.append(
            {
                "period": period,
                "kept": Figure("", kept, archive_url(promise="kept", **scope, **extra)),
                "missed": Figure("", missed, archive_url(promise="missed", **scope, **extra)),
                "share": round(100 * kept / (kept + missed)) if kept + missed else None,
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
        steps=step_times(histograms),
        budget=budget_summary(year),
        promise_words=promise_words(date(year, 1, 1), date(year, 12, 31)),
    )


def percentile(values: list[int], share: float) -> int | None:
    """Nearest-rank percentile: the smallest value at least `share` of them reach."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _nth(histogram: list[tuple[int, int]], rank: int) -> int:
    """The value at 1-based `rank` of the sorted values a (value, count) list holds."""
    seen = 0
    for value, n in histogram:
        seen += n
        if seen >= rank:
            return value
    raise ValueError(rank)


def median_and_p90(counts: dict[int, int]) -> tuple[float | None, int | None]:
    """statistics.median and the nearest-rank 90th percentile of the values a histogram
    holds: working days are small whole numbers, so a year's claims fold into a few
    dozen (value, count) rows the database returns instead of one row per claim."""
    histogram = sorted((v, n) for v, n in counts.items() if n)
    total = sum(n for _v, n in histogram)
    if not total:
        return None, None
    middle = (_nth(histogram, (total + 1) // 2) + _nth(histogram, total // 2 + 1)) / 2
    median = _nth(histogram, (total + 1) // 2) if total % 2 else middle
    return median, _nth(histogram, max(1, math.ceil(0.9 * total)))


# The working days of each step, stamped on the claim when the step ended
# (santunan/progress.py).
STEPS = list(STEP_FIELDS)


def step_times(histograms: dict[str, Counter]) -> list[StepTimes]:
    from django.utils.translation import gettext as _

    labels = [
        _("Diajukan → diverifikasi"),
        _("Diverifikasi → disetujui"),
        _("Disetujui → dibayar"),
        _("Diajukan → dibayar"),
    ]
    result = []
    for label, name in zip(labels, STEPS, strict=True):
        median, p90 = median_and_p90(histograms[name])
        result.append(
            StepTimes(label=label, median=median, p90=p90, claims=sum(histograms[name].values()))
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
    """This year back to the first year a claim was submitted, read from the kept
    counts (reports/counts.py) rather than from millions of claims."""
    today = timezone.localdate()
    first = ClaimCount.objects.filter(claims__gt=0).aggregate(first=Min("month"))["first"]
    start = first.year if first else today.year
    return list(range(today.year, min(start, today.year) - 1, -1))


def overdue_days(claim: Claim, today: date | None = None) -> int:
    today = today or timezone.localdate()
    return (today - claim.due_date).days if claim.due_date else 0
