"""Personal and client tokens: shown once, stored hashed, refused once revoked or
expired, throttled per token."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, Scope
from api.services import create_client, issue_client_token, issue_token, revoke_token
from santunan.models import Claim
from tests.api.conftest import ApiClient, json_body
from tests.conftest import DESA_A
from tests.santunan.factories import claim_data
from villages.models import Desa


def test_a_token_is_stored_as_its_sha256_only(operator_a):
    token, key = issue_token(user=operator_a, name="ponsel desa")

    secret = key.split("_")[2]
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_a_valid_token_is_accepted_and_its_use_recorded(operator_a):
    token, key = issue_token(user=operator_a, name="ponsel")

    assert ApiClient(key).get("/api/v1/claims/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer esk_nothere_secret", "Token abc", "Bearer esk_a_b_c", "Basic eA=="],
)
def test_a_missing_or_unknown_token_gets_401_as_a_problem(operator_a, header):
    issue_token(user=operator_a, name="ponsel")
    api = ApiClient(None)
    response = api.client.get(
        "/api/v1/claims/", headers={"Authorization": header} if header else {}
    )

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_a_revoked_token_gets_401(operator_a):
    token, key = issue_token(user=operator_a, name="ponsel")
    revoke_token(token_id=token.pk, by=operator_a)

    response = ApiClient(key).get("/api/v1/claims/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Token ini sudah dicabut."


def test_an_expired_token_gets_401(operator_a):
    token, key = issue_token(user=operator_a, name="ponsel", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = ApiClient(key).get("/api/v1/claims/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Masa berlaku token ini sudah habis."


def test_a_token_of_a_deactivated_user_gets_401(operator_a):
    _token, key = issue_token(user=operator_a, name="ponsel")
    operator_a.is_active = False
    operator_a.save()

    assert ApiClient(key).get("/api/v1/claims/").status_code == 401


def test_the_token_page_shows_a_new_key_once_and_lists_tokens(client_for, operator_a):
    client = client_for(operator_a)
    page = client.post(reverse("api_tokens:list"), {"name": "Aplikasi desa", "days": 30})

    token = ApiToken.objects.get(user=operator_a)
    key = page.context["new_key"]
    assert key.startswith(f"esk_{token.prefix}_")
    assert key in page.content.decode()
    assert token.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    again = client.get(reverse("api_tokens:list")).content.decode()
    assert key not in again
    assert "Aplikasi desa" in again


def test_the_token_page_refuses_a_bad_lifetime_in_indonesian(client_for, operator_a):
    page = client_for(operator_a).post(reverse("api_tokens:list"), {"name": "x", "days": 9999})

    assert page.status_code == 200
    assert "lebih kecil dari atau sama dengan 365" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_own_token_but_not_anothers(client_for, operator_a, operator_b):
    mine, _k = issue_token(user=operator_a, name="ponsel")
    theirs, _k = issue_token(user=operator_b, name="ponsel b")
    client = client_for(operator_a)

    client.post(reverse("api_tokens:revoke", args=[mine.pk]))
    client.post(reverse("api_tokens:revoke", args=[theirs.pk]))

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_the_administrator_revokes_any_token(client_for, administrator, operator_a):
    token, key = issue_token(user=operator_a, name="ponsel")

    client_for(administrator).post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert ApiClient(key).get("/api/v1/claims/").status_code == 401


def test_a_submitting_client_files_claims_for_its_one_desa(wilayah, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = create_client(
        name="Aplikasi Silurah", scope=Scope.SUBMIT, desa=Desa.objects.get(pk=DESA_A)
    )
    _token, key = issue_client_token(client=client, name="server")

    response = ApiClient(key).post("/api/v1/claims/", json_body(claim_data()))

    assert response.status_code == 201
    claim = Claim.objects.get()
    assert claim.desa_id == DESA_A
    assert claim.created_by == client.user
    assert claim.events.get().actor == client.user
    assert not client.user.has_usable_password()


def test_a_reporting_client_reads_figures_but_writes_nothing(wilayah):
    client = create_client(name="Dasbor kabupaten", scope=Scope.REPORT)
    _token, key = issue_client_token(client=client, name="dasbor")
    api = ApiClient(key)

    assert api.get("/api/v1/reports/summary/").status_code == 200
    assert api.get("/api/v1/claims/").json()["results"] == []
    refused = api.post("/api/v1/claims/", json_body(claim_data()))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Token laporan hanya boleh membaca."
    assert not Claim.objects.exists()


def test_requests_are_throttled_per_token(operator_a, settings):
    settings.API_THROTTLE_RATE = "3/min"
    cache.clear()
    _t, first = issue_token(user=operator_a, name="satu")
    _t, second = issue_token(user=operator_a, name="dua")

    answers = [ApiClient(first).get("/api/v1/policy/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert ApiClient(second).get("/api/v1/policy/").status_code == 200
    cache.clear()


def test_the_administrator_adds_a_client_and_a_command_issues_its_key(
    client_for, administrator, wilayah
):
    from io import StringIO

    from django.core.management import call_command

    client_for(administrator).post(
        reverse("admin:api_apiclient_add"),
        {"name": "Aplikasi Silurah", "scope": "submit", "desa": DESA_A},
    )
    out = StringIO()
    call_command("issue_api_token", "Aplikasi Silurah", "--days", "30", stdout=out)

    key = out.getvalue().strip()
    assert ApiClient(key).get("/api/v1/claims/").status_code == 200
    token = ApiToken.objects.get()
    assert token.scope == Scope.SUBMIT
    assert token.user.operator_assignment.desa_id == DESA_A
