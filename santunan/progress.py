"""What the dashboard reads of a claim's progress, written when the claim moves.

The decision day of the current submission (the service promise) and the working days
each step took are stored on the claim at the transition that ends the step, so the
office's figures are counts and percentiles over columns, not walks over every claim's
events and calendar. A step's working days are those of the calendar (holidays) as it
stood when the step ended."""

from datetime import date, datetime

from django.utils import timezone

from santunan.calendar import WorkingDays, holidays_between
from santunan.models import Claim, Status

# A decision of Dinas Sosial on a submitted claim.
DECISIONS = (Status.VERIFIED, Status.RETURNED, Status.REJECTED)
STEP_FIELDS = ("days_to_verify", "days_to_approve", "days_to_pay", "days_submit_to_paid")


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def step_days(
    calendar: WorkingDays,
    first_submitted_at: datetime | None,
    verified_at: datetime | None,
    approved_at: datetime | None,
    paid_at: datetime | None,
) -> dict[str, int | None]:
    """Working days per step from the claim's moments. A claim counts only while it
    stands verified (a return clears the verification, and with it its steps)."""
    submitted, verified = _day(first_submitted_at), _day(verified_at)
    approved, paid = _day(approved_at), _day(paid_at)
    steps = dict.fromkeys(STEP_FIELDS)
    if not (submitted and verified):
        return steps
    steps["days_to_verify"] = calendar.between(submitted, verified)
    if approved:
        steps["days_to_approve"] = calendar.between(verified, approved)
    if approved and paid:
        steps["days_to_pay"] = calendar.between(approved, paid)
    if paid:
        steps["days_submit_to_paid"] = calendar.between(submitted, paid)
    return steps


def decision_day(*, from_status: str, to_status: str, today: date, current: date | None):
    """The decision day after a transition: cleared by a (re)submission, set by the
    decision on it, kept by every other move."""
    if to_status == Status.SUBMITTED:
        return None
    if from_status == Status.SUBMITTED and to_status in DECISIONS:
        return today
    return current


def stamp_progress(claim: Claim, *, from_status: str) -> None:
    """Set the claim's decision day and step days after a transition; the caller saves."""
    now = timezone.now()
    claim.decided_on = decision_day(
        from_status=from_status,
        to_status=claim.status,
        today=timezone.localdate(now),
        current=claim.decided_on,
    )
    start = _day(claim.first_submitted_at)
    calendar = WorkingDays(list(holidays_between(start, timezone.localdate(now))) if start else [])
    for name, value in step_days(
        calendar, claim.first_submitted_at, claim.verified_at, claim.approved_at, claim.paid_at
    ).items():
        setattr(claim, name, value)
