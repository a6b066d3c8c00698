"""A body over the size limit is refused with 413 before it is read, and that answer
carries the same security headers as any other page: it comes back through the same
middleware (config/security.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from api.services import issue_token
from tests.santunan.factories import draft_claim

pytestmark = pytest.mark.django_db

# Set on the way out by SecurityMiddleware, XFrameOptionsMiddleware, django-csp and
# LanguageMiddleware (Cache-Control is the view's own business for a stranger, and
# NoStoreMiddleware's for a logged-in person: checked below).
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
    "Content-Language",
)

OVER_THE_LIMIT = str(60 * 1024 * 1024)


def security_headers(response) -> dict[str, str | None]:
    return {name: response.headers.get(name) for name in SECURITY_HEADERS}


def too_large(client, url: str, **extra):
    return client.post(
        url,
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=OVER_THE_LIMIT,
        **extra,
    )


@pytest.fixture
def https_hardening(settings):
    """As in production: HSTS is sent on https answers."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = False  # the test client's "https" is secure=True


def test_the_413_to_a_stranger_has_the_headers_of_the_login_page(client, https_hardening):
    page = client.get(reverse("login"), secure=True)
    refused = too_large(client, reverse("login"), secure=True)

    # 413, not the CSRF check's 403: refused before anything read the body.
    assert page.status_code == 200 and refused.status_code == 413
    assert security_headers(refused) == security_headers(page)
    assert security_headers(page)["Content-Security-Policy"]
    assert security_headers(page)["Strict-Transport-Security"]
    assert security_headers(page)["X-Frame-Options"] == "DENY"


def test_the_413_to_an_officer_has_the_headers_of_their_claim_page(
    client_for, operator_a, https_hardening
):
    claim = draft_claim(operator_a, documents=False)
    client = client_for(operator_a)

    page = client.get(reverse("santunan:claim_documents", args=[claim.pk]), secure=True)
    refused = too_large(client, reverse("santunan:claim_documents", args=[claim.pk]), secure=True)

    assert page.status_code == 200 and refused.status_code == 413
    assert "Berkas terlalu besar" in refused.content.decode()
    assert security_headers(refused) == security_headers(page)
    assert refused["Cache-Control"] == page["Cache-Control"] == "no-store, private"
    assert refused["Connection"] == "close"  # the unread body stays on the socket


def test_the_apis_413_problem_has_the_same_headers_as_its_other_answers(
    operator_a, https_hardening
):
    claim = draft_claim(operator_a, documents=False)
    _token, key = issue_token(user=operator_a, name="uji")
    api = Client(headers={"Authorization": f"Bearer {key}"})

    answer = api.get(f"/api/v1/claims/{claim.pk}/", secure=True)
    refused = too_large(api, f"/api/v1/claims/{claim.pk}/documents/", secure=True)

    assert answer.status_code == 200 and refused.status_code == 413
    assert refused["Content-Type"] == "application/problem+json"
    assert security_headers(refused) == security_headers(answer)
