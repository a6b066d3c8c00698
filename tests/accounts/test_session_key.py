"""The session id changes at each step of logging in, so an id learnt before a step
(a shared PC, a proxy log, a fixed cookie) never gains what the step grants."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import new_recovery_codes
from tests.accounts.test_login import code, log_in

pytestmark = pytest.mark.django_db


def session_id(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def client_with_session(key: str) -> Client:
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    return other


@pytest.fixture
def device(bendahara):
    return TOTPDevice.objects.create(user=bendahara, name="ponsel", confirmed=True)


def test_the_session_id_changes_at_the_password(client, bendahara, device):
    client.post(reverse("set_language"), {"language": "id"})
    session = client.session
    session["sebelum"] = True  # an anonymous session that exists before the password
    session.save()
    before = session_id(client)

    log_in(client, "bendahara")

    assert session_id(client) != before
    assert client_with_session(before).get(reverse("finance:home")).status_code == 302


def test_the_session_id_changes_at_the_second_factor(client, bendahara, device):
    log_in(client, "bendahara")
    after_password = session_id(client)

    response = client.post(reverse("accounts:verify"), {"token": code(device)})

    assert response.status_code == 302
    assert session_id(client) != after_password
    assert client.get(reverse("finance:home")).status_code == 200


def test_the_id_from_before_the_second_factor_does_not_open_a_verified_page(
    client, bendahara, device
):
    log_in(client, "bendahara")
    learnt = session_id(client)
    client.post(reverse("accounts:verify"), {"token": code(device)})

    response = client_with_session(learnt).get(reverse("finance:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_recovery_code_also_changes_the_session_id(client, bendahara, device):
    codes = new_recovery_codes(bendahara)
    log_in(client, "bendahara")
    learnt = session_id(client)

    client.post(reverse("accounts:verify"), {"token": codes[0]})

    assert session_id(client) != learnt
    assert not StaticDevice.objects.get(user=bendahara).token_set.filter(token=codes[0]).exists()
    assert client_with_session(learnt).get(reverse("finance:home")).status_code == 302


def test_enrolling_the_authenticator_changes_the_session_id(client, approver):
    log_in(client, "kabid")
    learnt = session_id(client)
    pending = TOTPDevice.objects.get(user=approver, confirmed=False)

    response = client.post(reverse("accounts:enrol"), {"token": code(pending)})

    assert response.status_code == 200  # the recovery codes, shown once
    assert session_id(client) != learnt
    assert client.get(reverse("santunan:approver_home")).status_code == 200
    assert client_with_session(learnt).get(reverse("santunan:approver_home")).status_code == 302
