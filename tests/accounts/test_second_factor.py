"""The code after the password: a right code typed just after a wrong one is accepted,
while guessing stays as slow as django-otp makes it."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import AccountError, check_second_factor, new_recovery_codes
from tests.accounts.test_login import code

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(bendahara):
    return TOTPDevice.objects.create(user=bendahara, name="ponsel", confirmed=True)


def test_the_right_code_typed_right_after_a_wrong_one_is_accepted(client, bendahara, device):
    client.force_login(bendahara)  # the password typed, the code not yet

    wrong = client.post(reverse("accounts:verify"), {"token": "000000"})
    right = client.post(reverse("accounts:verify"), {"token": code(device)}, follow=True)

    assert "Kode salah" in wrong.content.decode()
    assert right.redirect_chain[-1][0] == reverse("finance:home")


def test_guessing_still_has_to_wait_after_a_few_wrong_codes(bendahara, device):
    for _guess in range(3):  # django-otp's waits: 1 s, then 2 s, then 4 s
        with pytest.raises(AccountError, match="Kode salah"):
            check_second_factor(user=bendahara, token="000000")

    with pytest.raises(AccountError, match=r"Tunggu \d detik"):
        check_second_factor(user=bendahara, token=code(device))

    device.refresh_from_db()
    assert device.throttling_failure_count == 3


def test_a_mistyped_authenticator_code_does_not_hold_up_the_recovery_codes(bendahara, device):
    codes = new_recovery_codes(bendahara)
    for _guess in range(3):
        with pytest.raises(AccountError):
            check_second_factor(user=bendahara, token="000000")

    accepted = check_second_factor(user=bendahara, token=codes[0])

    assert accepted.__class__.__name__ == "StaticDevice"


def test_a_recovery_code_is_not_tried_as_an_authenticator_code(bendahara, device):
    new_recovery_codes(bendahara)

    with pytest.raises(AccountError):
        check_second_factor(user=bendahara, token="abcdef0123")

    device.refresh_from_db()
    assert device.throttling_failure_count == 0
