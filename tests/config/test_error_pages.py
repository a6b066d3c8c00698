"""Error pages in Bahasa Indonesia, in the site's layout, without technical detail,
as a user sees them with DEBUG off."""

import pytest
from django.test import Client, override_settings

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
