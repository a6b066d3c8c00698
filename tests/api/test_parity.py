"""Each transition refuses through the API exactly what it refuses in the web pages,
with the same words: both call the same service, and this shows it."""

import html

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from santunan.models import Claim
from santunan.services import verify_claim
from tests.santunan.factories import draft_claim, submitted_claim
from villages.roles import Role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def web_refusal(client, url: str, data=None) -> tuple[int, str]:
    response = client.post(url, data or {})
    if response.status_code != 302:
        return response.status_code, ""
    return 302, " ".join(html.unescape(str(m)) for m in get_messages(response.wsgi_request))


def api_refusal(api, path: str, data=None) -> tuple[int, dict]:
    response = api.post(path, data or {})
    return response.status_code, response.json()


def state(claim: Claim) -> tuple:
    return tuple(Claim.objects.filter(pk=claim.pk).values_list("status", "updated_at").get())


@pytest.fixture
def refused_alike(client_for, api_for):
    """Try one transition as `user` through the web page and through the API: both
    refuse, with the same words, and the claim stays as it was. Returns the problem."""

    def attempt(user, claim: Claim, action: str, data=None) -> dict:
        before = state(claim)
        web_status, web_message = web_refusal(
            client_for(user), reverse(f"santunan:claim_{action}", args=[claim.pk]), data
        )
        api_status, problem = api_refusal(
            api_for(user), f"/api/v1/claims/{claim.pk}/{action}/", data
        )

        assert state(claim) == before
        if web_status == 403:
            assert api_status == 403
            return problem
        assert web_status == 302 and api_status == 422
        assert problem["detail"] in web_message
        for line in problem.get("problems", []):
            assert line in web_message
        return problem

    return attempt


def test_verifying_with_a_required_document_missing(refused_alike, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    Claim.objects.filter(pk=claim.pk).update(extra_required_documents=["sktm"])

    problem = refused_alike(verifikator, claim, "verify")

    assert "dokumen wajib belum lengkap" in problem["detail"]
    assert any("SKTM" in line for line in problem["problems"])


def test_approving_a_claim_one_verified_oneself(refused_alike, operator_a, verifikator):
    verifikator.groups.add(Group.objects.get(name=Role.APPROVER))
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)

    problem = refused_alike(verifikator, claim, "approve")

    assert "persetujuan harus oleh pejabat lain" in problem["detail"]


def test_a_village_verifying_its_own_claim(refused_alike, operator_a):
    claim = submitted_claim(operator_a)

    refused_alike(operator_a, claim, "verify")


def test_approving_a_claim_not_yet_verified(refused_alike, operator_a, approver):
    claim = submitted_claim(operator_a)

    problem = refused_alike(approver, claim, "approve")

    assert (
        problem["detail"] == 'Tindakan ini tidak dapat dilakukan pada klaim berstatus "Diajukan".'
    )


@pytest.mark.parametrize("action", ["return", "reject"])
def test_returning_or_rejecting_without_a_reason(refused_alike, operator_a, verifikator, action):
    claim = submitted_claim(operator_a)

    problem = refused_alike(verifikator, claim, action, {"reason": "ok"})

    assert "paling sedikit 5 huruf" in problem["detail"]


def test_submitting_a_claim_without_documents(refused_alike, operator_a):
    claim = draft_claim(operator_a, documents=False)

    problem = refused_alike(operator_a, claim, "submit")

    assert len(problem["problems"]) == 4


def test_cancelling_a_submitted_claim(refused_alike, operator_a):
    claim = submitted_claim(operator_a)

    problem = refused_alike(operator_a, claim, "cancel")

    assert "Diajukan" in problem["detail"]


def test_a_verifier_approving(refused_alike, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)

    refused_alike(verifikator, claim, "approve")
