"""Login throttling, the second factor for approvers, treasurers and administrators,
and password reset links issued by the administrator."""

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from santunan.models import Claim, Status
from santunan.services import verify_claim
from tests.conftest import PASSWORD
from tests.santunan.factories import submitted_claim


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, follow=True, **extra
    )


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=steps_ahead):06d}"


def test_after_five_wrong_passwords_the_account_is_locked_in_bahasa_indonesia(
    client, verifikator, caplog
):
    for _attempt in range(5):
        log_in(client, "verif", "salah-sekali")

    with caplog.at_level(logging.WARNING, logger="accounts"):
        response = log_in(client, "verif")  # the right password, too late

    assert response.status_code == 429
    assert "Login dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("locked out" in record.getMessage() for record in caplog.records)


def test_the_administrator_unlocks_a_locked_account(client, verifikator, administrator):
    for _attempt in range(5):
        log_in(client, "verif", "salah-sekali")
    assert AccessAttempt.objects.exists()

    from tests.conftest import pass_second_factor

    admin = client.__class__()
    admin.force_login(administrator)
    pass_second_factor(admin, administrator)
    admin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock_login", "_selected_action": [verifikator.pk]},
    )

    assert not AccessAttempt.objects.exists()
    assert log_in(client, "verif").redirect_chain[-1][0] == reverse("santunan:verifikator_home")


def test_the_admin_login_is_throttled_too(client, administrator):
    for _attempt in range(5):
        client.post(reverse("admin:login"), {"username": "adm", "password": "salah-sekali"})

    response = client.post(reverse("admin:login"), {"username": "adm", "password": PASSWORD})

    assert response.status_code == 429


def test_an_approver_enrols_an_authenticator_on_first_login_and_gets_recovery_codes(
    client, approver
):
    page = log_in(client, "kabid")
    assert page.redirect_chain[-1][0].startswith(reverse("accounts:enrol"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=approver, confirmed=False)

    response = client.post(reverse("accounts:enrol"), {"token": code(device), "next": "/"})

    assert (
        "Kode pemulihan" in response.content.decode()
        or "kode pemulihan" in response.content.decode()
    )
    assert StaticToken.objects.filter(device__user=approver).count() == 10
    assert client.get(reverse("santunan:approver_home")).status_code == 200


def test_a_wrong_code_enrols_nothing(client, approver):
    log_in(client, "kabid")

    response = client.post(reverse("accounts:enrol"), {"token": "000000"})

    assert "Kode tidak cocok" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=approver, confirmed=True).exists()
    assert client.get(reverse("santunan:approver_home")).status_code == 302


def test_an_approver_without_a_second_factor_cannot_approve(
    client, approver, operator_a, verifikator
):
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)
    log_in(client, "kabid")

    response = client.post(reverse("santunan:claim_approve", args=[claim.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:enrol"))
    assert Claim.objects.get(pk=claim.pk).status == Status.VERIFIED


def test_an_enrolled_treasurer_types_the_code_after_the_password(client, bendahara):
    device = TOTPDevice.objects.create(user=bendahara, name="ponsel", confirmed=True)

    page = log_in(client, "bendahara")
    assert page.redirect_chain[-1][0].startswith(reverse("accounts:verify"))
    assert client.get(reverse("finance:home")).status_code == 302

    response = client.post(reverse("accounts:verify"), {"token": code(device)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("finance:home")


def test_a_wrong_code_is_refused_and_the_treasurer_stays_outside(client, bendahara):
    TOTPDevice.objects.create(user=bendahara, name="ponsel", confirmed=True)
    log_in(client, "bendahara")

    response = client.post(reverse("accounts:verify"), {"token": "123456"})

    assert "Kode salah" in response.content.decode()
    assert client.get(reverse("finance:home")).status_code == 302


def test_a_recovery_code_works_once(client, bendahara):
    from accounts.services import new_recovery_codes

    TOTPDevice.objects.create(user=bendahara, name="ponsel", confirmed=True)
    codes = new_recovery_codes(bendahara)
    log_in(client, "bendahara")

    client.post(reverse("accounts:verify"), {"token": codes[0]})
    assert client.get(reverse("finance:home")).status_code == 200

    other = client.__class__()
    log_in(other, "bendahara")
    response = other.post(reverse("accounts:verify"), {"token": codes[0]})
    assert "Kode salah atau sudah dipakai" in response.content.decode()


def test_a_village_official_needs_no_second_factor(client, operator_a):
    assert log_in(client, "operator_a").redirect_chain[-1][0] == reverse("santunan:desa_home")


def test_a_reset_link_from_the_administrator_works_once(client, administrator, verifikator):
    from tests.conftest import pass_second_factor

    admin = client.__class__()
    admin.force_login(administrator)
    pass_second_factor(admin, administrator)
    page = admin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "issue_reset_links", "_selected_action": [verifikator.pk]},
    ).content.decode()
    link = page.split("/akun/atur-ulang/", 1)[1].split("<", 1)[0]
    url = "/akun/atur-ulang/" + link

    form = client.get(url, follow=True)
    new = "Kata-sandi-baru-2026"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )

    assert "Kata sandi diganti" in done.content.decode()
    assert User.objects.get(pk=verifikator.pk).check_password(new)
    again = client.__class__().get(url, follow=True)
    assert "sudah dipakai atau kedaluwarsa" in again.content.decode()


@pytest.mark.parametrize(
    "password,words",
    [("pendek", "terlalu pendek"), ("1234567890123", "seluruhnya terdiri dari angka")],
)
def test_password_rules_speak_bahasa_indonesia(client_for, verifikator, password, words):
    response = client_for(verifikator).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert words in response.content.decode()
