"""The claim's progress stamped at each transition: the decision day of the current
submission (the service promise) and the working days of each step, which the
dashboard counts and takes percentiles of."""

import importlib
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.utils import timezone

from santunan.archive import ArchiveFilters, search_claims
from santunan.calendar import WorkingDays
from santunan.models import Claim
from santunan.progress import STEP_FIELDS, step_days
from santunan.services import approve_claim, return_claim, submit_claim, verify_claim
from tests.santunan.factories import submitted_claim

backfill = importlib.import_module("santunan.migrations.0009_claim_progress_and_archive_indexes")


def local(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def test_a_verification_stamps_the_decision_day_and_the_working_days_to_verify(
    operator_a, verifikator
):
    claim = verify_claim(user=verifikator, claim_id=submitted_claim(operator_a).pk)
    claim.refresh_from_db()

    assert claim.decided_on == timezone.localdate()
    assert claim.days_to_verify == 0
    assert claim.days_to_approve is None and claim.days_submit_to_paid is None


def test_an_approval_stamps_its_step_and_keeps_the_decision_day(operator_a, verifikator, approver):
    claim = verify_claim(user=verifikator, claim_id=submitted_claim(operator_a).pk)
    approve_claim(user=approver, claim_id=claim.pk)
    claim.refresh_from_db()

    assert claim.days_to_approve == 0
    assert claim.decided_on == timezone.localdate()


def test_a_return_is_a_decision_and_a_resubmission_waits_for_a_new_one(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram, mohon ulang.")
    claim.refresh_from_db()
    # Returned from verified: the verification (and its step) is undone.
    assert claim.days_to_verify is None
    assert claim.decided_on == timezone.localdate()

    submit_claim(user=operator_a, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.decided_on is None
    assert search_claims(verifikator, ArchiveFilters(promise="kept")).count() == 0


def test_a_decision_after_the_due_date_misses_the_promise(operator_a, verifikator):
    late = submitted_claim(operator_a)
    on_time = submitted_claim(operator_a, deceased_nik="3325011203500002")
    Claim.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    for claim in (late, on_time):
        verify_claim(user=verifikator, claim_id=claim.pk)

    missed = search_claims(verifikator, ArchiveFilters(promise="missed"))
    kept = search_claims(verifikator, ArchiveFilters(promise="kept"))
    assert list(missed) == [Claim.objects.get(pk=late.pk)]
    assert list(kept) == [Claim.objects.get(pk=on_time.pk)]


def test_step_days_count_working_days_without_weekends_and_holidays():
    calendar = WorkingDays([date(2026, 8, 17)])  # Monday, Independence Day
    friday, wednesday, thursday = date(2026, 8, 14), date(2026, 8, 19), date(2026, 8, 20)

    steps = step_days(calendar, local(friday), local(wednesday), local(thursday), None)

    assert steps == {
        "days_to_verify": 2,
        "days_to_approve": 1,
        "days_to_pay": None,
        "days_submit_to_paid": None,
    }
    assert step_days(calendar, local(friday), None, local(thursday), None) == dict.fromkeys(
        STEP_FIELDS
    )


def test_the_migration_fills_existing_claims_as_the_transitions_would(
    operator_a, verifikator, approver
):
    approved = verify_claim(user=verifikator, claim_id=submitted_claim(operator_a).pk)
    approve_claim(user=approver, claim_id=approved.pk)
    resubmitted = submitted_claim(operator_a, deceased_nik="3325011203500002")
    return_claim(user=verifikator, claim_id=resubmitted.pk, reason="Foto KK buram, mohon ulang.")
    submit_claim(user=operator_a, claim_id=resubmitted.pk)
    returned = submitted_claim(operator_a, deceased_nik="3325011203500003")
    return_claim(user=verifikator, claim_id=returned.pk, reason="Foto KK buram, mohon ulang.")
    fields = ["pk", "decided_on", *STEP_FIELDS]
    stamped = list(Claim.objects.order_by("pk").values_list(*fields))
    Claim.objects.update(decided_on=None, **dict.fromkeys(STEP_FIELDS))

    backfill.fill_progress(apps, SimpleNamespace(connection=connection))

    assert list(Claim.objects.order_by("pk").values_list(*fields)) == stamped
    assert {row[1] for row in stamped} == {timezone.localdate(), None}
