"""Working days for the service promise and deadlines (weekends and holidays excluded)."""

from datetime import date, timedelta

from santunan.models import BenefitPolicy, Holiday


def holidays_between(start: date, end: date) -> set[date]:
    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    # Holidays are few: fetch generously once, then walk day by day.
    holidays = holidays_between(start, start + timedelta(days=days * 3 + 30))
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            left -= 1
    return current


def submission_deadline(policy: BenefitPolicy, death_date: date) -> date:
    """The last day a claim for a death on `death_date` may be submitted."""
    if policy.deadline_in_working_days:
        return add_working_days(death_date, policy.deadline_days)
    return death_date + timedelta(days=policy.deadline_days)
