"""Each transition: works from its state, refused from others and for the wrong role,
and writes its audit event."""

import pytest

from santunan.models import Claim, Status
from santunan.services import (
    ClaimError,
    approve_claim,
    approve_claims,
    cancel_claim,
    reject_claim,
    return_claim,
    submit_claim,
    update_claim,
    verify_claim,
)
from tests.santunan.factories import draft_claim, submitted_claim


def verified(operator, verifier, **overrides):
    claim = submitted_claim(operator, **overrides)
    return verify_claim(user=verifier, claim_id=claim.pk)


def test_a_verifier_verifies_a_submitted_claim(operator_a, verifikator):
    claim = verified(operator_a, verifikator)

    assert claim.status == Status.VERIFIED
    assert claim.verified_by == verifikator
    assert claim.events.filter(action="verify", actor=verifikator).exists()


def test_an_operator_cannot_verify(operator_a):
    claim = submitted_claim(operator_a)

    with pytest.raises(ClaimError, match="tidak berwenang"):
        verify_claim(user=operator_a, claim_id=claim.pk)


def test_a_draft_cannot_be_verified(operator_a, verifikator):
    claim = draft_claim(operator_a)

    with pytest.raises(ClaimError, match="tidak dapat dilakukan"):
        verify_claim(user=verifikator, claim_id=claim.pk)


def test_return_needs_a_reason_and_the_village_can_resubmit(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    with pytest.raises(ClaimError, match="alasan"):
        return_claim(user=verifikator, claim_id=claim.pk, reason=" ")

    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram, mohon foto ulang.")
    update_claim(user=operator_a, claim_id=claim.pk, data={"death_place": "RSUD Batang"})
    again = submit_claim(user=operator_a, claim_id=claim.pk)

    assert again.status == Status.SUBMITTED
    assert again.number == claim.number
    events = list(again.events.values_list("action", "reason"))
    assert ("return_to_village", "Foto KK buram, mohon foto ulang.") in events
    assert events[-1][0] == "submit"


def test_a_verified_claim_can_still_be_returned(operator_a, verifikator):
    claim = verified(operator_a, verifikator)

    claim = return_claim(user=verifikator, claim_id=claim.pk, reason="Nama ahli waris keliru")

    assert claim.status == Status.RETURNED
    assert claim.verified_by is None


def test_rejection_is_final_and_needs_a_reason(operator_a, verifikator):
    claim = submitted_claim(operator_a)

    claim = reject_claim(user=verifikator, claim_id=claim.pk, reason="Bukan warga kabupaten ini")

    assert claim.status == Status.REJECTED
    assert claim.last_reason == "Bukan warga kabupaten ini"
    with pytest.raises(ClaimError):
        submit_claim(user=operator_a, claim_id=claim.pk)


def test_a_rejected_claim_frees_the_nik_for_a_new_claim(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    reject_claim(user=verifikator, claim_id=claim.pk, reason="Dokumen palsu")

    second = submitted_claim(operator_a)

    assert second.status == Status.SUBMITTED


def test_an_approver_approves_a_verified_claim(operator_a, verifikator, approver):
    claim = verified(operator_a, verifikator)

    claim = approve_claim(user=approver, claim_id=claim.pk)

    assert claim.status == Status.APPROVED
    assert claim.approved_by == approver


def test_the_verifier_of_a_claim_cannot_approve_it(operator_a, verifikator):
    from django.contrib.auth.models import Group

    from villages.roles import Role

    verifikator.groups.add(Group.objects.get(name=Role.APPROVER))
    claim = verified(operator_a, verifikator)

    with pytest.raises(ClaimError, match="pejabat lain"):
        approve_claim(user=verifikator, claim_id=claim.pk)
    assert Claim.objects.get(pk=claim.pk).status == Status.VERIFIED


def test_a_verifier_cannot_approve(operator_a, verifikator, verifikator2):
    claim = verified(operator_a, verifikator)

    with pytest.raises(ClaimError, match="tidak berwenang"):
        approve_claim(user=verifikator2, claim_id=claim.pk)


def test_an_approver_may_reject_with_a_reason(operator_a, verifikator, approver):
    claim = verified(operator_a, verifikator)

    claim = reject_claim(user=approver, claim_id=claim.pk, reason="Anggaran ganda")

    assert claim.status == Status.REJECTED


def test_bulk_approval_audits_each_claim_and_reports_refusals(operator_a, verifikator, approver):
    one = verified(operator_a, verifikator)
    two = verified(operator_a, verifikator, deceased_nik="3325011203500002")
    not_verified = submitted_claim(operator_a, deceased_nik="3325011203500003")

    result = approve_claims(user=approver, claim_ids=[one.pk, two.pk, not_verified.pk])

    assert {c.pk for c in result.done} == {one.pk, two.pk}
    assert [pk for pk, _msg in result.refused] == [not_verified.pk]
    assert Claim.objects.filter(status=Status.APPROVED).count() == 2
    for claim in (one, two):
        assert claim.events.filter(action="approve").count() == 1


def test_the_village_cancels_a_draft_or_returned_claim_but_not_a_submitted_one(
    operator_a, verifikator
):
    draft = draft_claim(operator_a)
    submitted = submitted_claim(operator_a, deceased_nik="3325011203500002")

    assert cancel_claim(user=operator_a, claim_id=draft.pk).status == Status.CANCELLED
    with pytest.raises(ClaimError):
        cancel_claim(user=operator_a, claim_id=submitted.pk)
    return_claim(user=verifikator, claim_id=submitted.pk, reason="Data tidak lengkap")
    assert cancel_claim(user=operator_a, claim_id=submitted.pk).status == Status.CANCELLED


def test_an_action_on_a_claim_that_changed_meanwhile_tells_the_user(
    operator_a, verifikator, verifikator2
):
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator2, claim_id=claim.pk, reason="Foto buram sekali")

    with pytest.raises(ClaimError, match="pengguna lain"):
        verify_claim(user=verifikator, claim_id=claim.pk, expected_status=Status.SUBMITTED)
