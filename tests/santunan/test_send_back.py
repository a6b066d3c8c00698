"""The approver sends a verified claim back to the verifier with a reason: the claim is
submitted again, its verification cleared, and the verifier reads why."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from api.services import issue_token
from santunan.models import Claim, ClaimEvent, Status
from santunan.services import (
    ClaimError,
    approve_claim,
    send_back_claim,
    verify_claim,
)
from tests.api.conftest import ApiClient
from tests.santunan.factories import submitted_claim
from villages.roles import Role

REASON = "Foto KTP ahli waris tidak cocok dengan nama di KK; periksa lagi."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def verified(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    return verify_claim(user=verifikator, claim_id=claim.pk)


def test_the_approver_sends_a_verified_claim_back_to_the_verifier(verified, approver):
    send_back_claim(user=approver, claim_id=verified.pk, reason=REASON)

    claim = Claim.objects.get(pk=verified.pk)
    assert claim.status == Status.SUBMITTED
    assert claim.last_reason == REASON
    assert claim.verified_by is None and claim.verified_at is None
    event = ClaimEvent.objects.get(claim=claim, action="send_back")
    assert (event.actor, event.from_status, event.to_status) == (approver, "verified", "submitted")
    assert event.reason == REASON


def test_the_verifier_verifies_again_and_the_reason_is_answered(verified, approver, verifikator2):
    send_back_claim(user=approver, claim_id=verified.pk, reason=REASON)

    verify_claim(user=verifikator2, claim_id=verified.pk)
    approve_claim(user=approver, claim_id=verified.pk)

    claim = Claim.objects.get(pk=verified.pk)
    assert claim.status == Status.APPROVED and claim.last_reason == ""
    assert claim.verified_by == verifikator2


def test_a_reason_is_required(verified, approver):
    with pytest.raises(ClaimError) as refused:
        send_back_claim(user=approver, claim_id=verified.pk, reason="  ")

    assert "agar verifikator tahu" in refused.value.message
    assert Claim.objects.get(pk=verified.pk).status == Status.VERIFIED


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_only_a_verified_claim_can_be_sent_back(operator_a, verifikator, approver, state):
    claim = submitted_claim(operator_a)
    if state == "approved":
        verify_claim(user=verifikator, claim_id=claim.pk)
        approve_claim(user=approver, claim_id=claim.pk)

    with pytest.raises(ClaimError) as refused:
        send_back_claim(user=approver, claim_id=claim.pk, reason=REASON)

    assert "tidak dapat dilakukan" in refused.value.message
    assert Claim.objects.get(pk=claim.pk).status == state


def test_a_verifier_cannot_send_back(verified, verifikator2):
    with pytest.raises(ClaimError) as refused:
        send_back_claim(user=verifikator2, claim_id=verified.pk, reason=REASON)

    assert "tidak berwenang" in refused.value.message
    assert not ClaimEvent.objects.filter(claim=verified, action="send_back").exists()


def test_whoever_verified_the_claim_does_not_send_it_back(operator_a, verifikator):
    verifikator.groups.add(Group.objects.get(name=Role.APPROVER))
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)

    with pytest.raises(ClaimError) as refused:
        send_back_claim(user=verifikator, claim_id=claim.pk, reason=REASON)

    assert "verifikasi sendiri" in refused.value.message
    assert Claim.objects.get(pk=claim.pk).status == Status.VERIFIED


# --- the pages -----------------------------------------------------------------------------


def test_the_approver_sends_back_from_the_claim_page(verified, client_for, approver):
    client = client_for(approver)
    page = client.get(reverse("santunan:claim_detail", args=[verified.pk])).content.decode()
    assert reverse("santunan:claim_send_back", args=[verified.pk]) in page

    response = client.post(
        reverse("santunan:claim_send_back", args=[verified.pk]),
        {"reason": REASON, "expected_status": "verified"},
        follow=True,
    )

    assert "dikembalikan ke verifikator" in response.content.decode()
    assert Claim.objects.get(pk=verified.pk).status == Status.SUBMITTED


def test_the_verifier_reads_the_reason_on_the_claim_and_in_the_queue(
    verified, approver, client_for, verifikator
):
    send_back_claim(user=approver, claim_id=verified.pk, reason=REASON)
    client = client_for(verifikator)

    detail = client.get(reverse("santunan:claim_detail", args=[verified.pk])).content.decode()
    box = detail.split("sent-back")[1].split("</div>")[0]
    assert "Dikembalikan oleh pejabat penyetuju" in box and "tidak cocok" in box
    queue = client.get(reverse("santunan:verifikator_home")).content.decode()
    assert "dikembalikan penyetuju" in queue.split(verified.number)[1].split("</tr>")[0]


def test_the_village_does_not_see_the_offices_reason(verified, approver, client_for, operator_a):
    send_back_claim(user=approver, claim_id=verified.pk, reason=REASON)

    page = client_for(operator_a).get(reverse("santunan:claim_detail", args=[verified.pk]))

    assert "Dikembalikan oleh pejabat penyetuju" not in page.content.decode()


def test_a_verifier_posting_to_the_send_back_address_is_forbidden(
    verified, client_for, verifikator2
):
    response = client_for(verifikator2).post(
        reverse("santunan:claim_send_back", args=[verified.pk]), {"reason": REASON}
    )

    assert response.status_code == 403
    assert Claim.objects.get(pk=verified.pk).status == Status.VERIFIED


# --- the API -------------------------------------------------------------------------------


def test_the_api_sends_back_once_per_idempotency_key(verified, approver):
    _token, key = issue_token(user=approver, name="uji")
    api = ApiClient(key)
    path = f"/api/v1/claims/{verified.pk}/send-back/"

    first = api.post(path, {"reason": REASON}, key="kembali-1")
    again = api.post(path, {"reason": REASON}, key="kembali-1")

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "submitted"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert ClaimEvent.objects.filter(claim=verified, action="send_back").count() == 1


def test_the_api_lists_send_back_among_the_approvers_actions(verified, approver):
    _token, key = issue_token(user=approver, name="uji")

    detail = ApiClient(key).get(f"/api/v1/claims/{verified.pk}/").json()

    assert "send_back" in detail["allowed_actions"] and "approve" in detail["allowed_actions"]
