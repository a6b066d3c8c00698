"""The "Lupa kata sandi?" page: a person sets a new password with a one-time code sent
to the phone registered on their account, through the outbox (SMS/WhatsApp). Offices rarely
have working e-mail; the administrator's reset link (services.reset_link) stays.

- The answer is the same whether the account exists, has a phone, or is over its
  limit, and takes at least ANSWER_SECONDS either way, so the page tells nobody which
  usernames or numbers exist.
- A code is 6 digits, works once, for PASSWORD_RESET_CODE_MINUTES, and only its keyed
  digest is stored. Only the newest code of an account works; CODE_TRIES wrong codes
  close it. Codes per account and requests per address are limited per hour.
- The second factor is neither reset nor skipped: after the new password the person
  logs in as always, code from the authenticator included.
- The code's row records the request and its use (time and address); the `accounts`
  log says who, never the phone number."""

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.models import PasswordResetCode
from accounts.services import AccountError, check_new_password
from accounts.throttle import unlock_account
from santunan.phones import to_e164

logger = logging.getLogger("accounts")

CODE_TRIES = 5
LIMIT_WINDOW = timedelta(hours=1)
# The least time a request takes, whatever it found: sending a code writes more rows
# than finding nothing, and the difference must not tell who has an account.
ANSWER_SECONDS = 0.3


@dataclass(frozen=True)
class AddressLimit:
    minutes: int  # until the address may ask again


def code_digest(user_id: int, code: str) -> str:
    return salted_hmac(
        "accounts.password_reset", f"{user_id}:{code}", algorithm="sha256"
    ).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def address_limit(ip: str | None, now=None) -> AddressLimit | None:
    """The wait when `ip` asked PASSWORD_RESET_PER_ADDRESS times within the hour."""
    if not ip:
        return None
    now = now or timezone.now()
    recent = PasswordResetCode.objects.filter(
        requested_ip=ip, requested_at__gt=now - LIMIT_WINDOW
    ).order_by("-requested_at")
    times = list(
        recent.values_list("requested_at", flat=True)[: settings.PASSWORD_RESET_PER_ADDRESS]
    )
    if len(times) < settings.PASSWORD_RESET_PER_ADDRESS:
        return None
    free_at = times[-1] + LIMIT_WINDOW
    return AddressLimit(minutes=max(int((free_at - now).total_seconds() // 60) + 1, 1))


def _account_for(identifier: str):
    """The active account named by a username or by its registered phone; None when
    there is none, or when the phone is registered on more than one account (the code
    could not say which)."""
    identifier = (identifier or "").strip()[:150]
    users = get_user_model().objects.filter(is_active=True)
    found = users.filter(username__iexact=identifier).select_related("preference").first()
    if found is not None:
        return found
    phone = to_e164(identifier)
    if phone is None:
        return None
    matches = list(users.filter(preference__phone=phone).select_related("preference")[:2])
    return matches[0] if len(matches) == 1 else None


def request_code(*, identifier: str, ip: str | None) -> None:
    """Queue a code to the account's phone if there is such an account with a phone,
    under its limit; otherwise nothing is sent. Raises AccountError only for an
    address over its limit, which says nothing about any account."""
    started = time.monotonic()
    try:
        limited = address_limit(ip)
        if limited is not None:
            logger.info("password reset refused: address over limit ip=%s", ip)
            raise AccountError(
                _("Terlalu banyak permintaan dari alamat ini. Coba lagi dalam %(minutes)d menit.")
                % {"minutes": limited.minutes}
            )
        _request_code(identifier=identifier, ip=ip)
    finally:
        time.sleep(max(ANSWER_SECONDS - (time.monotonic() - started), 0))


def _request_code(*, identifier: str, ip: str | None) -> None:
    now = timezone.now()
    with transaction.atomic():
        user = _account_for(identifier)
        if user is not None:
            # The account's row is the lock: two requests at once count one after the other.
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        phone = to_e164(getattr(getattr(user, "preference", None), "phone", ""))
        sent_lately = (
            PasswordResetCode.objects.filter(user=user, requested_at__gt=now - LIMIT_WINDOW)
            .exclude(digest="")
            .count()
            if user is not None
            else 0
        )
        if user is None or not phone or sent_lately >= settings.PASSWORD_RESET_PER_ACCOUNT:
            PasswordResetCode.objects.create(user=user, requested_ip=ip)
            if user is None:
                logger.info("password reset requested: no such account ip=%s", ip)
            else:
                why = "no phone" if not phone else "account over limit"
                logger.info(
                    "password reset requested: username=%r, no code sent (%s)", user.username, why
                )
            return
        code = _new_code()
        PasswordResetCode.objects.filter(user=user, used_at=None, revoked_at=None).update(
            revoked_at=now
        )
        row = PasswordResetCode.objects.create(
            user=user,
            digest=code_digest(user.pk, code),
            requested_ip=ip,
            expires_at=now + timedelta(minutes=settings.PASSWORD_RESET_CODE_MINUTES),
        )
        queued = _queue_message(row=row, user=user, phone=phone, code=code)
    logger.info(
        "password reset requested: username=%r, code %s",
        user.username,
        "queued" if queued else "not queued (messages of this kind are off)",
    )


def _queue_message(*, row: PasswordResetCode, user, phone: str, code: str) -> bool:
    """One message per request: its key names the request's row."""
    from notifications.models import Audience, Kind
    from notifications.services import Recipient, kind_setting, queue_message
    from notifications.texts import default_text, render

    if not kind_setting(Kind.PASSWORD_RESET).enabled:
        return False
    text = render(
        default_text(Kind.PASSWORD_RESET, Audience.ACCOUNT),
        {
            "nama_pengguna": user.username,
            "kode": code,
            "menit": str(settings.PASSWORD_RESET_CODE_MINUTES),
        },
    )
    message = queue_message(
        key=f"password_reset:{row.pk}|{Kind.PASSWORD_RESET}|user:{user.pk}",
        kind=Kind.PASSWORD_RESET,
        audience=Audience.ACCOUNT,
        claim=None,
        recipient=Recipient(key=f"user:{user.pk}", phone=phone, user=user),
        text=text,
    )
    return message is not None


def reset_password(*, username: str, code: str, password1: str, password2: str, ip: str | None):
    """Set a new password with the account's newest open code; the user. The code is
    spent by a conditional update, so one code sets one password; a wrong code counts
    towards CODE_TRIES. The same refusal for an unknown account, a wrong, expired or
    spent code."""
    wrong = AccountError(
        _(
            "Nama pengguna atau kode salah, sudah dipakai, atau kedaluwarsa. Minta kode "
            "baru bila perlu."
        )
    )
    code = "".join((code or "").split())
    now = timezone.now()
    with transaction.atomic():
        user = (
            get_user_model()
            .objects.filter(is_active=True, username__iexact=(username or "").strip()[:150])
            .first()
        )
        row = None
        if user is not None:
            row = (
                PasswordResetCode.objects.select_for_update()
                .filter(user=user, used_at=None, revoked_at=None, expires_at__gt=now)
                .exclude(digest="")
                .order_by("-requested_at", "-pk")
                .first()
            )
        if row is None or not (
            code.isdigit() and constant_time_compare(row.digest, code_digest(user.pk, code))
        ):
            if row is not None:
                row.wrong_tries += 1
                if row.wrong_tries >= CODE_TRIES:
                    row.revoked_at = now
                row.save(update_fields=["wrong_tries", "revoked_at"])
            failed = True
        else:
            failed = False
    # Raised after the transaction: the wrong try stays counted.
    if failed:
        logger.info("password reset by code refused ip=%s", ip)
        raise wrong
    check_new_password(user=user, password1=password1, password2=password2)
    with transaction.atomic():
        spent = PasswordResetCode.objects.filter(
            Q(pk=row.pk), used_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).update(used_at=timezone.now(), used_ip=ip)
        if spent != 1:
            raise wrong
        PasswordResetCode.objects.filter(user=user, used_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        user.set_password(password1)
        user.save(update_fields=["password"])
    # Whoever has the code holds the phone: a lockout from the forgotten password ends.
    unlock_account(username=user.username)
    logger.info("password reset by code: username=%r", user.username)
    return user
