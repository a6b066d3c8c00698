"""The "Lupa kata sandi?" page: a one-time code to the registered phone through the
outbox, the same answer for accounts that do not exist, limits per account and per
address, and the second factor untouched."""

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PasswordResetCode
from accounts.password_reset import CODE_TRIES
from notifications.models import Kind, Message
from tests.accounts.test_login import log_in
from tests.conftest import PASSWORD
from villages.models import UserPreference

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
NEW_PASSWORD = "Kopi-tubruk-Batang-77"


@pytest.fixture
def verifikator_with_phone(verifikator):
    UserPreference.objects.update_or_create(user=verifikator, defaults={"phone": PHONE})
    return verifikator


def ask(client, identifier, address="10.1.1.1"):
    return client.post(
        reverse("accounts:forgot"), {"identifier": identifier}, REMOTE_ADDR=address, follow=True
    )


def reset(client, code, username="verif", password=NEW_PASSWORD):
    return client.post(
        reverse("accounts:forgot_code"),
        {"username": username, "code": code, "password1": password, "password2": password},
        follow=True,
    )


def reset_messages():
    return Message.objects.filter(kind=Kind.PASSWORD_RESET)


def sent_code(message: Message) -> str:
    return re.search(r": (\d{6})\.", message.text).group(1)


def password_works(username: str, password: str) -> bool:
    return User.objects.get(username=username).check_password(password)


def test_the_login_page_links_to_forgot_password(client):
    page = client.get(reverse("login")).content.decode()

    assert "Lupa kata sandi?" in page
    assert reverse("accounts:forgot") in page


def test_a_code_arrives_in_the_outbox_once_for_the_accounts_phone(client, verifikator_with_phone):
    answer = ask(client, "verif")

    assert answer.redirect_chain[-1][0] == reverse("accounts:forgot_code")
    assert "kode 6 angka sudah dikirim" in answer.content.decode()
    (message,) = reset_messages()
    assert message.phone == PHONE and message.user == verifikator_with_phone
    assert message.claim is None
    assert "verif" in message.text and "Jangan berikan kode ini" in message.text
    code = sent_code(message)
    stored = PasswordResetCode.objects.get(user=verifikator_with_phone)
    assert stored.digest != code and re.fullmatch(r"[0-9a-f]{64}", stored.digest)


def test_the_answer_shows_no_phone_number(client, verifikator_with_phone):
    body = ask(client, "verif").content.decode()

    assert "7890" not in body and "0812" not in body


def test_the_registered_phone_number_finds_the_account_too(client, verifikator_with_phone):
    ask(client, "0812-3456-7890")

    (message,) = reset_messages()
    assert message.user == verifikator_with_phone


def test_the_right_code_sets_the_new_password_and_the_person_logs_in(
    client, verifikator_with_phone
):
    ask(client, "verif")
    code = sent_code(reset_messages().get())

    done = reset(client, code)

    assert done.redirect_chain[-1][0] == reverse("login")
    assert "Kata sandi baru sudah disimpan" in done.content.decode()
    assert password_works("verif", NEW_PASSWORD)
    row = PasswordResetCode.objects.get(user=verifikator_with_phone)
    assert row.used_at is not None and row.used_ip == "127.0.0.1"
    landed = log_in(client, "verif", NEW_PASSWORD)
    assert landed.redirect_chain[-1][0] == reverse("santunan:verifikator_home")


def test_a_wrong_code_is_refused(client, verifikator_with_phone):
    ask(client, "verif")
    code = sent_code(reset_messages().get())
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    answer = reset(client, wrong)

    assert "kode salah" in answer.content.decode()
    assert password_works("verif", PASSWORD)
    assert PasswordResetCode.objects.get().wrong_tries == 1


def test_after_too_many_wrong_codes_the_right_one_is_refused_too(client, verifikator_with_phone):
    ask(client, "verif")
    code = sent_code(reset_messages().get())
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _try in range(CODE_TRIES):
        reset(client, wrong)

    reset(client, code)

    assert password_works("verif", PASSWORD)
    assert PasswordResetCode.objects.get().revoked_at is not None


def test_an_expired_code_is_refused(client, verifikator_with_phone):
    ask(client, "verif")
    code = sent_code(reset_messages().get())
    PasswordResetCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    answer = reset(client, code)

    assert "kedaluwarsa" in answer.content.decode()
    assert password_works("verif", PASSWORD)


def test_a_used_code_does_not_work_a_second_time(client, verifikator_with_phone):
    ask(client, "verif")
    code = sent_code(reset_messages().get())
    reset(client, code)

    again = reset(client, code, password="Teh-poci-Tegal-2026x")

    assert "sudah dipakai" in again.content.decode()
    assert password_works("verif", NEW_PASSWORD)


def test_only_the_newest_code_works(client, verifikator_with_phone):
    ask(client, "verif")
    ask(client, "verif")
    first, newest = (sent_code(m) for m in reset_messages().order_by("pk"))

    if first != newest:
        reset(client, first)
        assert password_works("verif", PASSWORD)
    reset(client, newest)
    assert password_works("verif", NEW_PASSWORD)


def test_a_password_the_validators_refuse_keeps_the_code(client, verifikator_with_phone):
    ask(client, "verif")
    code = sent_code(reset_messages().get())

    weak = reset(client, code, password="12345678")

    assert "terlalu pendek" in weak.content.decode() or "terlalu umum" in weak.content.decode()
    assert password_works("verif", PASSWORD)
    reset(client, code)
    assert password_works("verif", NEW_PASSWORD)


def test_an_unknown_username_gets_the_same_answer_and_no_message(client, verifikator_with_phone):
    known = ask(client, "verif")
    unknown = ask(client, "tidak-ada-orangnya")

    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    assert _without_token(unknown) == _without_token(known)
    assert reset_messages().count() == 1
    assert PasswordResetCode.objects.filter(user=None, digest="").count() == 1


def test_an_account_without_a_phone_gets_the_same_answer_and_no_message(client, verifikator):
    answer = ask(client, "verif")

    assert "kode 6 angka sudah dikirim" in answer.content.decode()
    assert not reset_messages().exists()


def test_an_unknown_username_cannot_reset_anything(client, verifikator_with_phone):
    answer = reset(client, "123456", username="tidak-ada-orangnya")

    assert "kode salah" in answer.content.decode()


def _without_token(response) -> str:
    return re.sub(r'value="[^"]{40,}"|"X-CSRFToken": "[^"]+"', "", response.content.decode())


def test_an_account_gets_a_limited_number_of_codes_an_hour(
    client, verifikator_with_phone, settings
):
    settings.PASSWORD_RESET_PER_ACCOUNT = 3
    answers = [ask(client, "verif", address=f"10.1.1.{n}") for n in range(1, 6)]

    assert reset_messages().count() == 3
    assert {a.redirect_chain[-1][0] for a in answers} == {reverse("accounts:forgot_code")}
    PasswordResetCode.objects.update(requested_at=timezone.now() - timedelta(hours=1, minutes=1))
    ask(client, "verif")
    assert reset_messages().count() == 4


def test_an_address_gets_a_limited_number_of_requests_an_hour(client, settings, db):
    settings.PASSWORD_RESET_PER_ADDRESS = 4
    for n in range(4):
        assert ask(client, f"orang-{n}").redirect_chain

    refused = ask(client, "orang-5")
    elsewhere = ask(client, "orang-6", address="10.9.9.9")

    assert refused.status_code == 429
    assert "Terlalu banyak permintaan dari alamat ini" in refused.content.decode()
    assert elsewhere.redirect_chain[-1][0] == reverse("accounts:forgot_code")


def test_the_second_factor_is_still_required_after_a_reset(client, bendahara):
    UserPreference.objects.update_or_create(user=bendahara, defaults={"phone": PHONE})
    device = TOTPDevice.objects.create(user=bendahara, name="ponsel", confirmed=True)
    ask(client, "bendahara")
    reset(client, sent_code(reset_messages().get()), username="bendahara")

    landed = log_in(client, "bendahara", NEW_PASSWORD)

    assert landed.redirect_chain[-1][0].startswith(reverse("accounts:verify"))
    assert client.get(reverse("finance:home")).status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_the_log_names_the_account_but_never_the_phone_or_the_code(
    client, verifikator_with_phone, caplog
):
    with caplog.at_level(logging.INFO, logger="accounts"):
        ask(client, "verif")
        code = sent_code(reset_messages().get())
        reset(client, code)

    lines = [record.getMessage() for record in caplog.records if record.name == "accounts"]
    assert any("password reset requested" in line and "verif" in line for line in lines)
    assert any("password reset by code" in line for line in lines)
    assert not any(code in line or "7890" in line for line in lines)
