"""The public status page: claim number + last four digits of the heir's phone give the
step and what comes next, with no personal data; a wrong digit and an unknown claim get
the same answer; the 21st wrong try in a minute is throttled."""

import re

import pytest
from django.test import Client

from notifications.models import StatusAttempt
from santunan.services import return_claim
from tests.santunan.factories import submitted_claim

pytestmark = pytest.mark.django_db


def ask(client, number, digits, ip="10.0.0.1"):
    return client.post("/cek-klaim/", {"nomor": number, "empat": digits}, REMOTE_ADDR=ip)


def same_page(page, number: str) -> str:
    """The page without what differs between any two requests (the CSRF token) and
    the number the person typed, which the form shows back."""
    html = page.content.decode().replace(number, "N")
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


def test_the_page_opens_without_login_and_without_javascript():
    page = Client().get("/cek-klaim/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<form method="post"' in html and 'name="empat"' in html


def test_the_right_pair_shows_the_step_and_what_comes_next_without_personal_data(operator_a):
    claim = submitted_claim(operator_a)

    page = ask(Client(), claim.number, "7890")

    html = page.content.decode()
    assert 'id="status-answer"' in html and claim.number in html
    assert "sedang diperiksa" in html and "Keputusan paling lambat" in html
    for private in ("Slamet", "Siti", claim.deceased_nik, claim.heir_nik, "+6281234567890"):
        assert private not in html


def test_a_returned_claim_tells_the_heir_the_village_fixes_it(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram")

    html = ask(Client(), claim.number.lower(), "7890").content.decode()
    assert "dikembalikan ke kantor desa" in html and "Foto KK" not in html


def test_a_wrong_digit_and_a_claim_that_does_not_exist_get_the_same_answer(operator_a):
    claim = submitted_claim(operator_a)

    wrong_digit = ask(Client(), claim.number, "7891")
    no_claim = ask(Client(), "SKM-2020-999999", "7891")

    assert wrong_digit.status_code == no_claim.status_code == 200
    assert same_page(wrong_digit, claim.number) == same_page(no_claim, "SKM-2020-999999")
    assert 'id="status-not-found"' in wrong_digit.content.decode()


def test_the_21st_wrong_try_in_a_minute_from_one_address_is_throttled(operator_a):
    claim = submitted_claim(operator_a)
    client = Client()
    for n in range(20):
        assert ask(client, f"SKM-2020-{n:06d}", "1234").status_code == 200

    page = ask(client, claim.number, "7890")  # even the right pair, once throttled

    assert page.status_code == 429 and 'id="status-throttled"' in page.content.decode()
    assert ask(client, claim.number, "7890", ip="10.0.0.2").status_code == 200


def test_the_21st_wrong_try_on_one_claim_number_is_throttled_whatever_the_address(operator_a):
    claim = submitted_claim(operator_a)
    for n in range(20):
        ask(Client(), claim.number, f"{n:04d}", ip=f"10.0.1.{n}")

    assert ask(Client(), claim.number, "7890", ip="10.0.2.1").status_code == 429
    # The number is kept only as a digest.
    assert not StatusAttempt.objects.filter(number_digest__contains="SKM").exists()


def test_four_digits_are_asked_for_plainly(operator_a):
    page = ask(Client(), "SKM-2026-000001", "78a")
    assert "Tuliskan 4 angka terakhir" in page.content.decode()
    assert not StatusAttempt.objects.exists()


def test_the_messages_link_to_the_status_page(operator_a):
    from notifications.models import Message

    claim = submitted_claim(operator_a)
    assert "/cek-klaim/" in Message.objects.get(claim=claim).text
