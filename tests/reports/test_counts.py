"""The dashboard's kept counts: every claim event keeps them equal to a count of the
claims, a rolled-back transition leaves them as they were, and two officials acting at
once both count."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from reports.counts import differences, kept, recount
from reports.models import ClaimCount
from santunan.models import Claim, Status
from santunan.services import (
    approve_claim,
    cancel_claim,
    reject_claim,
    return_claim,
    submit_claim,
    verify_claim,
)
from tests.santunan.factories import submitted_claim
from tests.santunan.test_concurrency import race


def by_status() -> dict[str, int]:
    totals = {}
    for (_month, _desa, status, _promise), n in kept()[0].items():
        totals[status] = totals.get(status, 0) + n
    return totals


def test_the_counts_equal_a_recount_after_every_transition(
    operator_a, verifikator, verifikator2, approver
):
    claim = submitted_claim(operator_a)
    assert by_status() == {Status.SUBMITTED: 1}
    assert differences() == []

    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram")
    assert by_status() == {Status.RETURNED: 1}
    assert differences() == []

    submit_claim(user=operator_a, claim_id=claim.pk)
    verify_claim(user=verifikator, claim_id=claim.pk)
    assert differences() == []
    assert kept()[1], "the verification's working days are counted"

    approve_claim(user=approver, claim_id=claim.pk)
    assert by_status() == {Status.APPROVED: 1}
    assert differences() == []

    other = submitted_claim(operator_a, deceased_nik="3325011203500002")
    reject_claim(user=verifikator2, claim_id=other.pk, reason="Bukan penduduk")
    assert by_status() == {Status.APPROVED: 1, Status.REJECTED: 1}
    assert differences() == []


def test_a_draft_cancelled_before_submission_never_counts(operator_a):
    from tests.santunan.factories import draft_claim

    claim = draft_claim(operator_a)
    cancel_claim(user=operator_a, claim_id=claim.pk)
    assert by_status() == {}
    assert differences() == []


def test_a_rolled_back_transition_leaves_the_counts_as_they_were(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    before = kept()

    with pytest.raises(RuntimeError), transaction.atomic():
        verify_claim(user=verifikator, claim_id=claim.pk)
        assert by_status() == {Status.VERIFIED: 1}
        raise RuntimeError("the request failed after the transition")

    assert kept() == before
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED
    assert differences() == []


def test_a_refused_transition_changes_no_count(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    before = kept()
    with pytest.raises(Exception, match="tidak dapat"):
        approve_claim(user=verifikator, claim_id=claim.pk)
    assert kept() == before


def test_the_counts_of_a_generated_database_with_payouts_agree(generated):
    claims, steps = kept()
    assert sum(claims.values()) == Claim.objects.exclude(status=Status.DRAFT).exclude(
        number=None
    ).count()
    assert {key[2] for key in claims} >= {Status.PAID, Status.REJECTED, Status.SUBMITTED}
    assert steps
    assert differences() == []


def test_recount_dashboard_finds_a_wrong_count_and_rebuilds_it(operator_a):
    submitted_claim(operator_a)
    ClaimCount.objects.update(claims=7)

    with pytest.raises(CommandError, match="tidak sesuai"):
        call_command("recount_dashboard", "--check", stdout=StringIO())
    call_command("recount_dashboard", stdout=StringIO())
    call_command("recount_dashboard", "--check", stdout=StringIO())
    assert kept() == recount()


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_deciding_claims_of_one_desa_at_once_both_count(
    operator_a, verifikator, verifikator2
):
    first = submitted_claim(operator_a)
    second = submitted_claim(operator_a, deceased_nik="3325011203500002")

    results = race(
        lambda: verify_claim(user=verifikator, claim_id=first.pk),
        lambda: verify_claim(user=verifikator2, claim_id=second.pk),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    # Both land on the same row (same month, desa, status and promise): no lost update.
    assert by_status() == {Status.VERIFIED: 2}
    assert differences() == []
