"""The approver's page: verified claims, approving one or many, rejecting with a reason."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from santunan.models import Claim, Status
from santunan.services import return_claim, verify_claim
from tests.conftest import make_user
from tests.santunan.factories import DECEASED_NIK, draft_claim, submitted_claim
from villages.roles import Role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text(response) -> str:
    return response.content.decode()


def verified_claim(operator, verifier, **overrides) -> Claim:
    claim = submitted_claim(operator, **overrides)
    return verify_claim(user=verifier, claim_id=claim.pk)


def test_the_approver_sees_verified_claims_with_masked_niks(
    client_for, operator_a, verifikator, approver
):
    verified = verified_claim(operator_a, verifikator)
    waiting = submitted_claim(operator_a, deceased_nik="3325011203500002")

    page = text(client_for(approver).get(reverse("santunan:approver_home")))

    assert verified.number in page and waiting.number not in page
    assert DECEASED_NIK not in page and "3325••••••••0001" in page
    assert reverse("santunan:claim_detail", args=[verified.pk]) in page


def test_the_approver_approves_many_at_once_each_audited(
    client_for, operator_a, verifikator, approver
):
    first = verified_claim(operator_a, verifikator)
    second = verified_claim(operator_a, verifikator, deceased_nik="3325011203500002")

    response = client_for(approver).post(
        reverse("santunan:approve_many"), {"claim": [first.pk, second.pk]}, follow=True
    )

    assert "2 klaim disetujui" in text(response)
    for claim in (first, second):
        claim.refresh_from_db()
        assert (claim.status, claim.approved_by) == (Status.APPROVED, approver)
        assert claim.events.filter(action="approve", actor=approver).count() == 1


def test_a_refused_claim_is_reported_and_does_not_hold_back_the_others(
    client_for, operator_a, verifikator, approver
):
    good = verified_claim(operator_a, verifikator)
    moved = verified_claim(operator_a, verifikator, deceased_nik="3325011203500002")
    return_claim(user=verifikator, claim_id=moved.pk, reason="Foto KK buram")

    response = client_for(approver).post(
        reverse("santunan:approve_many"), {"claim": [good.pk, moved.pk]}, follow=True
    )

    assert "1 klaim disetujui" in text(response)
    assert f"Klaim {moved.number} tidak disetujui" in text(response)
    assert Claim.objects.get(pk=good.pk).status == Status.APPROVED
    assert Claim.objects.get(pk=moved.pk).status == Status.RETURNED


def test_approving_nothing_asks_to_tick_a_claim(client_for, approver, operator_a):
    draft = draft_claim(operator_a)

    response = client_for(approver).post(
        reverse("santunan:approve_many"), {"claim": [draft.pk, "x"]}, follow=True
    )

    assert "Centang dulu klaim" in text(response)
    assert Claim.objects.get(pk=draft.pk).status == Status.DRAFT


def test_the_approver_approves_from_the_claim_page(client_for, operator_a, verifikator, approver):
    claim = verified_claim(operator_a, verifikator)
    client = client_for(approver)

    page = text(client.get(reverse("santunan:claim_detail", args=[claim.pk])))
    client.post(reverse("santunan:claim_approve", args=[claim.pk]), {"expected_status": "verified"})

    assert "Setujui pembayaran" in page
    assert Claim.objects.get(pk=claim.pk).status == Status.APPROVED


def test_the_approver_rejects_with_a_reason(client_for, operator_a, verifikator, approver):
    claim = verified_claim(operator_a, verifikator)

    response = client_for(approver).post(
        reverse("santunan:claim_reject", args=[claim.pk]),
        {"reason": "Ahli waris tidak sah", "expected_status": "verified"},
        follow=True,
    )

    claim.refresh_from_db()
    assert (claim.status, claim.last_reason) == (Status.REJECTED, "Ahli waris tidak sah")
    assert response.redirect_chain[-1][0] == reverse("santunan:approver_home")


def test_whoever_verified_a_claim_cannot_approve_it(client_for, operator_a, wilayah):
    both = make_user("rangkap", Role.VERIFIKATOR)
    both.groups.add(Group.objects.get(name=Role.APPROVER))
    claim = verified_claim(operator_a, both)

    response = client_for(both).post(
        reverse("santunan:approve_many"), {"claim": [claim.pk]}, follow=True
    )

    assert "persetujuan harus oleh pejabat lain" in text(response)
    assert Claim.objects.get(pk=claim.pk).status == Status.VERIFIED


def test_only_approvers_open_the_page_or_approve(client_for, verifikator, operator_a):
    claim = verified_claim(operator_a, verifikator)
    client = client_for(verifikator)

    assert client.get(reverse("santunan:approver_home")).status_code == 403
    assert client.post(reverse("santunan:approve_many"), {"claim": [claim.pk]}).status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == Status.VERIFIED
