"""Second factor (TOTP with recovery codes) and administrator-issued password resets.
Every write in a transaction; messages for the person in Bahasa Indonesia."""

import secrets

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
ENROLMENT = "enrolment"


class AccountError(Exception):
    """An account action that failed; the message is shown to the person."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


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


def check_second_factor(*, user, token: str):
    """The device that accepts `token` (authenticator code or an unused recovery code,
    which is then spent), or AccountError. django-otp throttles repeated failures."""
    token = "".join((token or "").split()).lower()
    device = match_token(user, token) if token else None
    if device is None:
        raise AccountError(
            _("Kode salah atau sudah dipakai. Ketik kode 6 angka dari aplikasi autentikator.")
        )
    return device


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
