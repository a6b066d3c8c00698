from datetime import date

import pytest

from santunan.calendar import add_working_days, submission_deadline
from santunan.models import BenefitPolicy, Holiday

pytestmark = pytest.mark.django_db


def test_three_working_days_skip_the_weekend():
    # Thursday 26 Nov 2026 + 3 working days = Tuesday 1 Dec.
    assert add_working_days(date(2026, 11, 26), 3) == date(2026, 12, 1)


def test_holidays_are_not_working_days():
    Holiday.objects.create(date=date(2026, 11, 30), name="Cuti bersama")

    assert add_working_days(date(2026, 11, 26), 3) == date(2026, 12, 2)


def test_the_deadline_counts_calendar_days_by_default():
    policy = BenefitPolicy.objects.get()

    assert submission_deadline(policy, date(2026, 1, 1)) == date(2026, 3, 2)


def test_a_policy_may_count_the_deadline_in_working_days():
    policy = BenefitPolicy(amount=1, deadline_days=30, deadline_in_working_days=True)

    assert submission_deadline(policy, date(2026, 11, 2)) == date(2026, 12, 14)
