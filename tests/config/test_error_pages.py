"""Error pages in Bahasa Indonesia, in the site's layout, without technical detail,
as a user sees them with DEBUG off."""

import logging

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory, override_settings
from django.urls import get_resolver

from config import error_pages

pytestmark = [pytest.mark.django_db]

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.fixture
def browser_client():
    # Like a browser: exceptions become the 500 page instead of failing the test.
    return Client(raise_request_exception=False, **ENGLISH_BROWSER)


@override_settings(DEBUG=False, ROOT_URLCONF="tests.config.error_urls")
def test_a_failing_page_answers_an_indonesian_500_page_without_detail(browser_client):
    response = browser_client.get("/rusak/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "Maaf, terjadi gangguan pada layanan" in body
    assert 'class="topbar"' in body
    assert "Traceback" not in body and "RuntimeError" not in body
    assert "3325011203509820" not in body and "Server Error" not in body


@override_settings(DEBUG=False)
def test_an_unknown_address_answers_the_indonesian_404_page(browser_client, verifikator):
    browser_client.force_login(verifikator)

    response = browser_client.get("/klaim/999999/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan" in body
    assert "Antrean verifikasi" in body  # the site's navigation, as on every page
    assert "Not Found" not in body


@override_settings(DEBUG=False)
def test_a_page_of_another_role_answers_the_indonesian_403_page(browser_client, operator_a):
    browser_client.force_login(operator_a)

    response = browser_client.get("/verifikasi/")

    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_form_with_an_expired_token_answers_the_indonesian_403_page(verifikator):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False, **ENGLISH_BROWSER)
    client.force_login(verifikator)

    response = client.post("/verifikasi/", {"q": "x"})

    assert response.status_code == 403
    body = response.content.decode()
    assert "Formulir sudah kedaluwarsa" in body
    assert "CSRF" not in body


# A request can stop before the middleware chain gave it a user, a session, a form token
# or a language: a host name the installation does not serve is refused that early.

FOREIGN_HOST = {"HTTP_HOST": "evil.example"}


@override_settings(DEBUG=False, ALLOWED_HOSTS=["santunan.batangkab.go.id"])
@pytest.mark.parametrize("path", ["/akun/masuk/", "/verifikasi/", "/tidak-ada/", "/api/v1/"])
def test_a_foreign_host_answers_400_in_the_sites_layout(browser_client, path):
    response = browser_client.get(path, **FOREIGN_HOST)

    assert response.status_code == 400
    body = response.content.decode()
    assert "Permintaan tidak dapat diproses" in body
    assert 'class="topbar"' in body and "/static/css/app.css" in body
    assert '<html lang="id">' in body
    assert "evil.example" not in body and "ALLOWED_HOSTS" not in body


@override_settings(DEBUG=False, ALLOWED_HOSTS=["santunan.batangkab.go.id"])
def test_a_foreign_host_is_logged_once_as_a_warning_without_a_traceback(browser_client, caplog):
    with caplog.at_level(logging.INFO):
        browser_client.get("/akun/masuk/", **FOREIGN_HOST)

    serious = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(serious) == 1
    (record,) = serious
    assert record.name == "django.security.DisallowedHost"
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and not record.exc_text
    assert "evil.example" in record.getMessage()


@override_settings(DEBUG=False, ALLOWED_HOSTS=["santunan.batangkab.go.id"])
def test_a_foreign_host_answers_in_the_language_of_the_cookie(browser_client):
    browser_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = browser_client.get("/akun/masuk/", **FOREIGN_HOST)

    assert response.status_code == 400
    assert '<html lang="en">' in response.content.decode()


def bare_request():
    """A request no middleware has seen: no user, no session, no form token, no language."""
    request = RequestFactory().get("/klaim/1/")
    for attribute in ("user", "session", "LANGUAGE_CODE", "_messages"):
        assert not hasattr(request, attribute)
    return request


ERROR_PAGES = {
    400: (lambda r: error_pages.bad_request(r, ValueError()), "Permintaan tidak dapat diproses"),
    403: (lambda r: error_pages.permission_denied(r, PermissionDenied()), "Akses ditolak"),
    404: (lambda r: error_pages.page_not_found(r, Http404()), "Halaman tidak ditemukan"),
    500: (error_pages.server_error, "Maaf, terjadi gangguan pada layanan"),
    "csrf": (error_pages.csrf_failure, "Formulir sudah kedaluwarsa"),
}


@override_settings(DEBUG=False)
@pytest.mark.parametrize("page", ERROR_PAGES)
def test_every_error_page_renders_for_a_request_the_middleware_never_saw(page):
    handler, heading = ERROR_PAGES[page]

    response = handler(bare_request())

    assert response.status_code == (403 if page == "csrf" else page)
    body = response.content.decode()
    assert heading in body
    assert 'class="topbar"' in body and '<html lang="id">' in body


def test_the_site_uses_these_error_handlers():
    resolver = get_resolver("config.urls")

    assert resolver.resolve_error_handler(400) is error_pages.bad_request
    assert resolver.resolve_error_handler(403) is error_pages.permission_denied
    assert resolver.resolve_error_handler(404) is error_pages.page_not_found
    assert resolver.resolve_error_handler(500) is error_pages.server_error


# The demo (`make run`) runs with DEBUG on: a newcomer sees the site's pages there too.


@override_settings(DEBUG=True)
def test_with_debug_an_unknown_address_answers_the_indonesian_404_page(browser_client):
    response = browser_client.get("/tidak-ada-di-sini/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan" in body
    assert "URLconf" not in body and "Page not found" not in body


@override_settings(DEBUG=True)
def test_with_debug_a_missing_claim_answers_the_indonesian_404_page(browser_client, verifikator):
    browser_client.force_login(verifikator)

    response = browser_client.get("/klaim/999999/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan" in body
    assert "Antrean verifikasi" in body
    assert "Raised by" not in body


@override_settings(DEBUG=True)
def test_with_debug_a_missing_slash_is_still_redirected(browser_client, verifikator):
    browser_client.force_login(verifikator)

    response = browser_client.get("/verifikasi")

    assert response.status_code == 301
    assert response["Location"] == "/verifikasi/"


@override_settings(DEBUG=True, DEBUG_TECHNICAL_404=True)
def test_a_developer_can_ask_for_djangos_technical_404_page(browser_client):
    response = browser_client.get("/tidak-ada-di-sini/")

    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_the_site_has_a_favicon(debug):
    with override_settings(DEBUG=debug):  # WhiteNoise looks for files anew with DEBUG on
        response = Client().get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
