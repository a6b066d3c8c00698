"""Two people acting at the same moment: exactly one wins, the other is told."""

import threading

import pytest
from django.db import close_old_connections, connection

from santunan.models import Claim, Status
from santunan.services import ClaimError, return_claim, submit_claim, verify_claim
from tests.santunan.factories import draft_claim, submitted_claim

pytestmark = pytest.mark.django_db(transaction=True)


def race(*actions):
    """Run the actions in threads released together; return their results or errors."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # collected for the assertions
            results[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_verifiers_acting_at_once_make_exactly_one_transition(
    operator_a, verifikator, verifikator2
):
    claim = submitted_claim(operator_a)

    results = race(
        lambda: verify_claim(user=verifikator, claim_id=claim.pk, expected_status=Status.SUBMITTED),
        lambda: return_claim(
            user=verifikator2,
            claim_id=claim.pk,
            reason="Foto KK buram",
            expected_status=Status.SUBMITTED,
        ),
    )

    errors = [r for r in results if isinstance(r, ClaimError)]
    assert len(errors) == 1, results
    assert "pengguna lain" in errors[0].message
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status in (Status.VERIFIED, Status.RETURNED)
    transitions = claim.events.exclude(action__in=["create", "attach_document", "submit"])
    # Messages the transition queued are events too (notifications); count the transition.
    assert transitions.exclude(action__startswith="message_").count() == 1


def test_two_villages_submitting_the_same_deceased_at_once_make_one_claim(operator_a, operator_b):
    first, second = draft_claim(operator_a), draft_claim(operator_b)

    results = race(
        lambda: submit_claim(user=operator_a, claim_id=first.pk),
        lambda: submit_claim(user=operator_b, claim_id=second.pk),
    )

    errors = [r for r in results if isinstance(r, ClaimError)]
    assert len(errors) == 1, results
    # Found by the submission check or, in a closer race, by the unique index.
    assert "sudah punya klaim" in " ".join([errors[0].message, *errors[0].problems])
    assert Claim.objects.filter(status=Status.SUBMITTED).count() == 1


def test_many_submissions_at_once_get_distinct_consecutive_numbers(operator_a):
    drafts = [draft_claim(operator_a, deceased_nik=f"33250112035000{i:02d}") for i in range(1, 7)]

    results = race(*[lambda d=d: submit_claim(user=operator_a, claim_id=d.pk) for d in drafts])

    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Claim.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 6
    assert [int(n[-6:]) for n in numbers] == list(range(1, 7))
