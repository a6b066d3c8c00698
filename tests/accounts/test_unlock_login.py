"""`manage.py unlock_login`: the administrator's way back in without an open session."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.throttle import address_throttle
from tests.accounts.test_throttle import (
    OFFICE,
    five_wrong_passwords,
    landed,
    log_in,
    spray,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_password_checks(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_unlocks_a_locked_account(client, administrator, capsys):
    five_wrong_passwords(client, "adm")
    assert log_in(client, "adm").status_code == 429

    call_command("unlock_login", "adm")

    assert "Akun adm: kunci dibuka" in capsys.readouterr().out
    assert not AccessAttempt.objects.filter(username="adm").exists()
    assert landed(log_in(client, "adm")) == reverse("accounts:enrol")


def test_it_lifts_the_throttle_on_a_sprayed_address(client, settings, administrator, capsys):
    settings.LOGIN_SPRAY_FAILURES, settings.LOGIN_SPRAY_ACCOUNTS = 6, 3
    spray(client)
    assert address_throttle(OFFICE) is not None

    call_command("unlock_login", "--address", OFFICE)

    assert f"Alamat {OFFICE}: kunci dibuka" in capsys.readouterr().out
    assert address_throttle(OFFICE) is None
    assert not AccessFailureLog.objects.filter(ip_address=OFFICE).exists()
    assert log_in(client, "adm").status_code == 200


def test_it_refuses_a_malformed_address(client):
    with pytest.raises(CommandError, match="Bukan alamat IP"):
        call_command("unlock_login", "--address", "10.0.0.999")


def test_it_asks_what_to_unlock():
    with pytest.raises(CommandError, match="Sebutkan USERNAME"):
        call_command("unlock_login")
