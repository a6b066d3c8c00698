"""Bahasa Indonesia for everyone unless the person chooses English in the footer;
the choice sticks in the browser and, once logged in, follows the person."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from villages.models import UserPreference

pytestmark = [pytest.mark.django_db]

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_an_english_browser_gets_indonesian_pages_when_nothing_was_chosen(verifikator):
    client = Client(**ENGLISH_BROWSER)

    login = client.get("/akun/masuk/")
    client.force_login(verifikator)
    queue = client.get("/verifikasi/")

    assert "Masuk ke e-Santunan" in login.content.decode()
    assert "Antrean verifikasi" in queue.content.decode()
    assert queue["Content-Language"] == "id"


def test_choosing_english_before_login_sticks_in_the_browser():
    client = Client()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    login = client.get("/akun/masuk/")

    assert response.status_code == 302
    assert "Sign in to e-Santunan" in login.content.decode()


def test_a_logged_in_choice_follows_the_person_to_another_device(verifikator):
    phone = Client()
    phone.force_login(verifikator)
    phone.post("/i18n/setlang/", {"language": "en", "next": "/verifikasi/"})

    office_pc = Client(HTTP_ACCEPT_LANGUAGE="id")
    office_pc.post("/akun/masuk/", {"username": verifikator.username, "password": PASSWORD})
    queue = office_pc.get("/verifikasi/")

    assert UserPreference.objects.get(user=verifikator).language == "en"
    assert "Verification queue" in queue.content.decode()


def test_choosing_indonesian_again_brings_indonesian_back(verifikator):
    client = Client(**ENGLISH_BROWSER)
    client.force_login(verifikator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/verifikasi/"})

    client.post("/i18n/setlang/", {"language": "id", "next": "/verifikasi/"})

    assert "Antrean verifikasi" in client.get("/verifikasi/").content.decode()
    assert UserPreference.objects.get(user=verifikator).language == "id"


def test_an_unknown_language_changes_nothing(verifikator):
    client = Client()
    client.force_login(verifikator)

    client.post("/i18n/setlang/", {"language": "xx", "next": "/verifikasi/"})

    assert not UserPreference.objects.filter(user=verifikator).exists()
    assert "Antrean verifikasi" in client.get("/verifikasi/").content.decode()
