"""Every URL pattern from the resolver, for every role, against another village's
objects: the expected status, never a server error, and the database unchanged where
the person has no business."""

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from santunan.models import AccessLog, Claim, ClaimDocument, ClaimEvent, Payment, PayoutBatch

# Pages anyone may open without logging in.
PUBLIC = {
    "login",
    "healthz",
    "set_language",
    "finance_public:verify",
    "finance_public:code",
    "accounts:reset",
    "accounts:reset_done",
    # "Lupa kata sandi?": the same answer whether or not the account exists.
    "accounts:forgot",
    "accounts:forgot_code",
    # A new account's first password, with the code from its slip or message.
    "accounts:activate",
    "accounts:activate_link",
    "admin:login",
    # The heir's claim status (number + last four phone digits) and the SMS gateway's
    # signed delivery reports.
    "notifications:status",
    "notifications:delivery_report",
    # The API's description and documentation page, and the letter check behind the QR
    # code (as finance_public:verify); every other API address answers 401 without a token.
    "api:root",
    "api:schema",
    "api:docs",
    "api:letter_check",
    # The guides and the IT pages (make docs): no personal data.
    "docs_site",
    "docs_site_page",
}


def every_pattern(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from every_pattern(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def urls_for(ids: dict[str, int]) -> list[tuple[str, str]]:
    """(name, address) of every named pattern, its parameters filled with the other
    village's objects; patterns whose parameters cannot be guessed are skipped."""
    found = []
    for name, entry in every_pattern():
        converters = getattr(entry.pattern, "converters", {})
        kwargs = {}
        for key, converter in converters.items():
            if converter.__class__.__name__ == "IntConverter":
                kwargs[key] = ids.get(key, ids["pk"])
            else:
                kwargs[key] = {"kind": "perintah_bayar", "report": "social", "fmt": "csv"}.get(
                    key, "x1"
                )
        try:
            found.append((name, reverse(name, kwargs=kwargs)))
        except NoReverseMatch:
            continue
    return found


def fingerprint() -> dict:
    """What a refused request must leave exactly as it was."""
    return {
        "claims": list(Claim.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "events": ClaimEvent.objects.count(),
        "documents": list(ClaimDocument.objects.values_list("pk", "superseded")),
        "batches": PayoutBatch.objects.count(),
        "payments": Payment.objects.count(),
        "access": AccessLog.objects.count(),
        "users": list(User.objects.order_by("pk").values_list("pk", "password", "is_active")),
    }


def test_the_sweep_covers_the_service(other_village):
    names = {name for name, _url in urls_for(other_village)}

    assert len(names) > 60
    assert {"santunan:claim_detail", "finance:batch", "dinsos_sync:home", "admin:index"} <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_reach_only_public_pages_and_change_nothing(
    client, other_village, method
):
    before = fingerprint()
    for name, url in urls_for(other_village):
        response = getattr(client, method)(url)
        assert response.status_code != 500, (name, url)
        if response.status_code == 200:
            assert name in PUBLIC, (name, url)
        else:
            assert response.status_code in {302, 400, 401, 403, 404, 405}, (name, url)
    assert fingerprint() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_village_official_cannot_touch_another_village(
    client_for, operator_a, other_village, method
):
    client = client_for(operator_a)
    before = fingerprint()
    for name, url in urls_for(other_village):
        if name in {"logout", "set_language"}:
            continue
        response = getattr(client, method)(url)
        assert response.status_code != 500, (name, url)
        # Every page about one claim (all of them the other village's) and every page
        # of another role; starting a new draft of one's own desa is the official's job.
        if name.startswith(("santunan:claim_", "finance:", "dinsos_sync:", "admin:")) and (
            name not in {"admin:logout", "admin:login", "santunan:claim_new"}
        ):
            assert response.status_code in {302, 403, 404, 405}, (name, url)
    assert fingerprint() == before


@pytest.mark.parametrize("role", ["verifikator", "approver", "bendahara", "administrator"])
def test_every_page_of_every_dinsos_role_answers_without_a_server_error(
    request, client_for, other_village, role
):
    client = client_for(request.getfixturevalue(role))
    for name, url in urls_for(other_village):
        if name in {"logout", "admin:logout"}:
            continue
        response = client.get(url)
        assert response.status_code < 500, (name, url)


@pytest.mark.parametrize(
    "role,prefix",
    [("verifikator", "finance:"), ("approver", "finance:"), ("bendahara", "dinsos_sync:")],
)
def test_posts_to_another_roles_pages_are_refused_and_change_nothing(
    request, client_for, other_village, role, prefix
):
    client = client_for(request.getfixturevalue(role))
    before = fingerprint()
    for name, url in urls_for(other_village):
        if name.startswith(prefix):
            assert client.post(url).status_code in {403, 404, 405}, (name, url)
    assert fingerprint() == before
