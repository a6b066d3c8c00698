"""The URL sweep through the API: every /api/v1/ address, for a token of every role
and of each kind of client, against another village's objects."""

import uuid

import pytest
from django.test import Client

from api.models import Scope
from api.services import create_client, issue_client_token, issue_token
from tests.security.test_url_sweep import fingerprint, urls_for

ROLES = ["operator_a", "verifikator", "approver", "bendahara", "administrator"]


def api_urls(ids) -> list[tuple[str, str]]:
    return [(name, url) for name, url in urls_for(ids) if name.startswith("api:")]


def call(client: Client, method: str, url: str, key: str):
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": uuid.uuid4().hex}
    if method == "get":
        return client.get(url, headers=headers)
    if method == "patch":
        return client.patch(url, "{}", content_type="application/json", headers=headers)
    return client.post(url, "{}", content_type="application/json", headers=headers)


def token_of(request, who: str) -> str:
    if who == "report_client":
        client = create_client(name="Dasbor", scope=Scope.REPORT)
        return issue_client_token(client=client, name="dasbor")[1]
    return issue_token(user=request.getfixturevalue(who), name="sapu")[1]


def test_the_sweep_covers_the_api(other_village):
    names = {name for name, _url in api_urls(other_village)}
    assert {"api:claims", "api:claim", "api:claim_verify", "api:batch_letter", "api:docs"} <= names


@pytest.mark.parametrize("method", ["get", "post", "patch"])
def test_without_a_token_only_the_public_api_answers(other_village, method):
    client, before = Client(), fingerprint()
    for name, url in api_urls(other_village):
        response = getattr(client, method)(url)
        if name in {"api:root", "api:schema", "api:docs", "api:letter_check"}:
            assert response.status_code in {200, 405}, (name, url)
        else:
            assert response.status_code == 401, (name, url)
            assert response["Content-Type"] == "application/problem+json"
    assert fingerprint() == before


@pytest.mark.parametrize("method", ["get", "post", "patch"])
@pytest.mark.parametrize("who", ["operator_a", "report_client"])
def test_a_village_or_a_reporting_client_cannot_touch_another_village(
    request,
    other_village,
    method,
    who,
):
    key, client = token_of(request, who), Client()
    before = fingerprint()
    for name, url in api_urls(other_village):
        response = call(client, method, url, key)
        assert response.status_code < 500, (name, url)
        if name.startswith(("api:claim", "api:batch", "api:payments")) and name != "api:claims":
            assert response.status_code in {403, 404, 405}, (name, url, response.status_code)
    assert fingerprint() == before


@pytest.mark.parametrize("method", ["get", "post", "patch"])
@pytest.mark.parametrize("who", ROLES[1:])
def test_every_api_address_answers_every_dinsos_role_without_a_server_error(
    request,
    other_village,
    method,
    who,
):
    key, client = token_of(request, who), Client()
    for name, url in api_urls(other_village):
        response = call(client, method, url, key)
        assert response.status_code < 500, (name, url, response.status_code)
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", (name, url)


@pytest.mark.parametrize(
    "who,prefix",
    [
        ("verifikator", "api:batch"),
        ("approver", "api:payments"),
        ("bendahara", "api:claim_verify"),
        ("bendahara", "api:claim_approve"),
        ("approver", "api:claim_verify"),
    ],
)
def test_posts_and_reads_of_another_roles_api_are_refused(request, other_village, who, prefix):
    key, client = token_of(request, who), Client()
    before = fingerprint()
    for name, url in api_urls(other_village):
        if name.startswith(prefix):
            for method in ("get", "post"):
                assert call(client, method, url, key).status_code in {403, 405}, (name, method)
    assert fingerprint() == before
