"""Login throttling behind a shared address: one person's wrong passwords lock only that
person's account at that address; only a spray of failures across many accounts slows the
address, with a wait that grows."""

from datetime import timedelta

import pytest
from axes.models import AccessFailureLog
from django.db.models import F
from django.urls import reverse

from accounts.throttle import address_throttle, spray_cool_off
from tests.conftest import PASSWORD

OFFICE = "10.20.0.7"  # a whole office behind one NAT address
HOME = "10.99.0.3"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_password_checks(settings):
    """These tests count wrong passwords by the dozen; how costly each check is does not
    matter to them (autouse: set before the users' passwords are hashed)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username, password=PASSWORD, address=OFFICE):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        follow=True,
        REMOTE_ADDR=address,
    )


def landed(response) -> str:
    return response.redirect_chain[-1][0].split("?")[0] if response.redirect_chain else ""


def five_wrong_passwords(client, username, address=OFFICE):
    for _attempt in range(5):
        log_in(client, username, "salah-sekali", address)


@pytest.fixture
def spray_limits(settings):
    """A small spray threshold, so that a test needs few slow password checks."""
    settings.LOGIN_SPRAY_FAILURES = 6
    settings.LOGIN_SPRAY_ACCOUNTS = 3
    return settings


def spray(client, accounts=6, address=OFFICE):
    for number in range(accounts):
        log_in(client.__class__(), f"tebakan{number}", "Rahasia2026!", address)


def move_failures_back(minutes: int) -> None:
    """What waiting does to the failure log: every failure is `minutes` older."""
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_five_wrong_passwords_lock_that_account_at_that_address(client, verifikator):
    five_wrong_passwords(client, "verif")

    response = log_in(client, "verif")

    assert response.status_code == 429
    body = response.content.decode()
    assert "Login dikunci sementara" in body
    assert "selama 15 menit" in body
    assert "Rekan kerja Anda tetap dapat masuk" in body
    assert "_auth_user_id" not in client.session


def test_a_colleague_behind_the_same_address_still_logs_in(client, verifikator, operator_a):
    five_wrong_passwords(client, "verif")

    response = log_in(client.__class__(), "operator_a")

    assert response.status_code == 200
    assert landed(response) == reverse("santunan:desa_home")


def test_the_administrator_behind_the_same_address_still_logs_in(
    client, verifikator, administrator
):
    five_wrong_passwords(client, "verif")

    response = log_in(client.__class__(), "adm")

    assert response.status_code == 200
    assert landed(response) == reverse("accounts:enrol")


def test_the_locked_account_still_logs_in_from_another_address(client, verifikator):
    five_wrong_passwords(client, "verif")

    response = log_in(client.__class__(), "verif", address=HOME)

    assert landed(response) == reverse("santunan:verifikator_home")


def test_a_spray_across_many_accounts_slows_the_whole_address(client, spray_limits, verifikator):
    spray(client)

    response = log_in(client, "verif")  # the right password, from the sprayed address

    assert response.status_code == 429
    body = response.content.decode()
    assert "untuk banyak akun dari alamat jaringan ini" in body
    assert "selama 1 menit" in body
    assert "_auth_user_id" not in client.session


def test_a_spray_does_not_slow_another_address(client, spray_limits, verifikator):
    spray(client)

    response = log_in(client, "verif", address=HOME)

    assert landed(response) == reverse("santunan:verifikator_home")


def test_failures_below_the_spray_threshold_slow_nobody(client, spray_limits, verifikator):
    spray(client, accounts=5)

    assert address_throttle(OFFICE) is None
    assert landed(log_in(client, "verif")) == reverse("santunan:verifikator_home")


def test_each_further_failure_doubles_the_wait(client, spray_limits):
    spray(client)
    assert address_throttle(OFFICE).until - latest_failure() == timedelta(minutes=1)

    move_failures_back(minutes=2)
    assert address_throttle(OFFICE) is None  # the minute is over
    log_in(client, "tebakan9", "Rahasia2026!")
    assert address_throttle(OFFICE).until - latest_failure() == timedelta(minutes=2)

    move_failures_back(minutes=3)
    log_in(client, "tebakan10", "Rahasia2026!")
    assert address_throttle(OFFICE).until - latest_failure() == timedelta(minutes=4)


def latest_failure():
    return AccessFailureLog.objects.latest("attempt_time").attempt_time


def test_attempts_refused_while_slowed_do_not_lengthen_the_wait(client, spray_limits):
    spray(client)
    recorded = AccessFailureLog.objects.count()

    for number in range(3):
        assert log_in(client, f"lain{number}", "Rahasia2026!").status_code == 429

    assert AccessFailureLog.objects.count() == recorded
    assert address_throttle(OFFICE).until - latest_failure() == timedelta(minutes=1)


def test_typos_followed_by_the_right_password_are_not_a_spray(
    client, spray_limits, verifikator, operator_a, operator_b
):
    for username in ("verif", "operator_a", "operator_b") * 2:
        log_in(client.__class__(), username, "salah-ketik")
        log_in(client.__class__(), username)

    assert AccessFailureLog.objects.filter(ip_address=OFFICE).count() == 6
    assert address_throttle(OFFICE) is None


def test_the_wait_stops_growing_at_its_maximum(settings):
    settings.LOGIN_SPRAY_MAX_MINUTES = 1440

    assert spray_cool_off(settings.LOGIN_SPRAY_FAILURES) == timedelta(minutes=1)
    assert spray_cool_off(settings.LOGIN_SPRAY_FAILURES + 3) == timedelta(minutes=8)
    assert spray_cool_off(settings.LOGIN_SPRAY_FAILURES + 10_000) == timedelta(days=1)
