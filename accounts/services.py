"""Second factor (TOTP with recovery codes) and administrator-issued password resets.
Every write in a transaction; messages for the person in Bahasa Indonesia."""

import math
import secrets
import time

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
ENROLMENT = "enrolment"


class AccountError(Exception):
    """An account action that failed; the message is shown to the person."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def check_new_password(*, user, password1: str, password2: str) -> None:
    """A password the person chose (activation, reset by code): typed twice alike and
    passing the installation's validators, or an AccountError saying why not."""
    if password1 != password2:
        raise AccountError(_("Kedua kata sandi tidak sama. Ketik ulang."))
    try:
        validate_password(password1, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on the first visit: the same
    secret is shown until it is confirmed, so reloading the page does not change it."""
    with transaction.atomic():
        device, _created = TOTPDevice.objects.select_for_update().get_or_create(
            user=user, name=ENROLMENT, confirmed=False
        )
    return device


def confirm_authenticator(*, user, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows, and issue new recovery
    codes (shown once; stored hashed by nothing but usable once each)."""
    token = "".join((token or "").split())
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, name=ENROLMENT, confirmed=False)
            .first()
        )
        if device is None:
            raise AccountError(_("Muat ulang halaman ini untuk memulai pendaftaran lagi."))
        if not token.isdigit() or not device.verify_token(token):
            raise AccountError(
                _("Kode tidak cocok. Periksa jam ponsel Anda, lalu ketik kode yang sedang tampil.")
            )
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.name, device.confirmed = _("Aplikasi autentikator"), True
        device.save(update_fields=["name", "confirmed"])
        codes = new_recovery_codes(user)
    return device, codes


def new_recovery_codes(user) -> list[str]:
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=_("Kode pemulihan"))
        codes = [secrets.token_hex(5) for _i in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


# django-otp makes a device wait 1, 2, 4, 8 … seconds after successive wrong codes. A
# person who mistypes and at once types the right code would be refused inside that wait;
# a wait this short is sat out by the request instead, so the right code is accepted and
# guesses are still never checked faster than django-otp allows.
SECOND_FACTOR_WAIT_SECONDS = 2


def check_second_factor(*, user, token: str):
    """The device that accepts `token` (a 6-digit authenticator code, or an unused
    recovery code, which is then spent), or AccountError.

    Each kind of code is checked against its own device only (not django-otp's
    match_token, which tries every device): a mistyped authenticator code would otherwise
    also count as a failure of the recovery codes, and make both wait."""
    token = "".join((token or "").split()).lower()
    kind = TOTPDevice if len(token) == 6 and token.isdigit() else StaticDevice
    wait, accepted = 0.0, False
    with transaction.atomic():
        # The row lock queues a person's concurrent attempts behind each other, so that
        # parallel requests cannot all pass through one throttle window together.
        device = kind.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and token:
            wait = _throttle_wait(device)
            if wait <= SECOND_FACTOR_WAIT_SECONDS:
                time.sleep(wait)
                accepted = device.verify_token(token)
    # Raised after the transaction: the failure django-otp counted must stay counted.
    if wait > SECOND_FACTOR_WAIT_SECONDS:
        raise AccountError(
            _("Terlalu banyak kode salah. Tunggu %(seconds)d detik, lalu coba lagi.")
            % {"seconds": math.ceil(wait)}
        )
    if not accepted:
        raise AccountError(
            _("Kode salah atau sudah dipakai. Ketik kode 6 angka dari aplikasi autentikator.")
        )
    return device


def _throttle_wait(device) -> float:
    """Seconds until django-otp lets `device` check a code: 0 when it may now."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0.0
    until = (details or {}).get("locked_until", timezone.now())
    return max((until - timezone.now()).total_seconds(), 0.0)


def forget_second_factor(*, user) -> None:
    """The administrator's way back for a lost phone: the person enrols again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def reset_link(*, user, request) -> str:
    """A password reset link for the administrator to hand over. It works once: the
    token is tied to the current password (and last login), so setting a password or
    logging in kills it; it also expires after PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "accounts:reset",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)
