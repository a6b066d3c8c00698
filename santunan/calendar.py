"""Working days for the service promise and deadlines (weekends and holidays excluded)."""

import bisect
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


def submission_deadline(policy: BenefitPolicy, start: date) -> date:
    """The last day a claim may be submitted when the policy's count starts on `start`
    (the day of death, or the date of the akta kematian: santunan.rules)."""
    if policy.deadline_in_working_days:
        return add_working_days(start, policy.deadline_days)
    return start + timedelta(days=policy.deadline_days)


class WorkingDays:
    """Working days between two days (Monday to Friday, holidays excluded), in
    constant time per pair once the holidays are loaded."""

    def __init__(self, holidays: list[date]):
        self.holidays = sorted(day for day in holidays if day.weekday() < 5)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`, as add_working_days
        counts them."""
        if end <= start:
            return 0
        weeks, rest = divmod((end - start).days, 7)
        days = weeks * 5 + sum(1 for i in range(1, rest + 1) if (start.weekday() + i) % 7 < 5)
        left = bisect.bisect_right(self.holidays, start)
        right = bisect.bisect_right(self.holidays, end)
        return days - (right - left)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (one query for holidays)."""
    if end <= start:
        return 0
    return WorkingDays(list(holidays_between(start, end))).between(start, end)
