"""Reminders of the submission deadline count it as the policy in force does: from the
death, or from the akta kematian."""

from datetime import timedelta

import pytest
from django.utils import formats, timezone

from notifications.models import Kind, Message
from notifications.services import queue_deadline_reminders
from santunan.models import BenefitPolicy
from tests.santunan.factories import draft_claim


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def counted_from_the_akta(db):
    policy = BenefitPolicy.objects.get()
    policy.deadline_days, policy.deadline_from = 30, BenefitPolicy.DeadlineFrom.CERTIFICATE
    policy.save()
    return policy


def test_a_draft_is_reminded_by_its_akta_date(operator_a, village_phone, counted_from_the_akta):
    # Died 50 days ago, akta issued 27 days ago: three days left of thirty.
    draft_claim(
        operator_a, documents=False, death_date=days_ago(50), death_certificate_date=days_ago(27)
    )

    assert queue_deadline_reminders() == 1

    message = Message.objects.get(kind=Kind.DEADLINE)
    deadline = formats.date_format(timezone.localdate() + timedelta(days=3), "j F Y")
    assert deadline in message.text


def test_a_draft_without_its_akta_date_has_no_deadline_to_remind(
    operator_a, village_phone, counted_from_the_akta
):
    draft_claim(operator_a, documents=False, death_date=days_ago(25))

    assert queue_deadline_reminders() == 0
    assert not Message.objects.exists()


def test_under_batangs_policy_the_count_starts_at_the_death(operator_a, village_phone):
    draft_claim(operator_a, documents=False, death_date=days_ago(57))

    assert queue_deadline_reminders() == 1
    deadline = formats.date_format(timezone.localdate() + timedelta(days=3), "j F Y")
    assert deadline in Message.objects.get(kind=Kind.DEADLINE).text
