"""Writes of the API's own records: tokens and clients."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiClient, ApiToken, Scope
from villages.models import Desa
from villages.roles import Role
from villages.services import assign_operator

KEY_PREFIX = "esk"


class TokenError(Exception):
    """A token request that is not allowed; the message is shown to the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(key: str) -> tuple[str, str] | None:
    """'esk_<prefix>_<secret>' → (prefix, secret), or None for anything else."""
    parts = (key or "").split("_")
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def issue_token(
    *, user, name: str, days: int | None = None, scope: str = Scope.PERSONAL
) -> tuple[ApiToken, str]:
    """A new token and its key. The key is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenError(_("Beri token nama 1–100 huruf, misalnya nama aplikasi atau ponsel."))
    longest = settings.API_TOKEN_MAX_DAYS
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= longest:
        raise TokenError(_("Masa berlaku token 1–%(max)d hari.") % {"max": longest})
    if not user.is_active:
        raise TokenError(_("Pengguna ini tidak aktif."))
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32).replace("_", "-")
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=prefix,
        key_hash=hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, f"{KEY_PREFIX}_{prefix}_{secret}"


def revoke_token(*, token_id: int, by=None) -> ApiToken:
    """Revoke a token; a user may revoke only their own (the administrator passes by=None
    through the administration, which has its own permission check)."""
    with transaction.atomic():
        tokens = ApiToken.objects.select_for_update()
        if by is not None:
            tokens = tokens.filter(user=by)
        try:
            token = tokens.get(pk=token_id)
        except ApiToken.DoesNotExist:
            raise TokenError(_("Token tidak ditemukan.")) from None
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def create_client(*, name: str, scope: str, desa: Desa | None = None) -> ApiClient:
    """A client and its dedicated user: a submitting client is the operator of its one
    desa (so every village rule applies to it as to a person), a reporting client has
    no role at all (it reads only what the API offers without one)."""
    if scope == Scope.SUBMIT and desa is None:
        raise TokenError(_("Klien pengajuan harus terikat pada satu desa."))
    if scope not in (Scope.SUBMIT, Scope.REPORT):
        raise TokenError(_("Cakupan klien tidak dikenal."))
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=f"klien-api-{secrets.token_hex(4)}", first_name=name[:150]
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        if scope == Scope.SUBMIT:
            user.groups.add(Group.objects.get(name=Role.OPERATOR_DESA))
            assign_operator(user=user, desa=desa)
        client = ApiClient.objects.create(
            name=name, scope=scope, desa=desa if scope == Scope.SUBMIT else None, user=user
        )
    return client


def issue_client_token(*, client: ApiClient, name: str, days: int | None = None):
    return issue_token(user=client.user, name=name, days=days, scope=client.scope)


def touch_token(token: ApiToken, now: datetime) -> None:
    """Record the use, at most once a minute: a busy client must not write a row on
    every request (the conditional update also keeps two requests from racing)."""
    if token.last_used_at and now - token.last_used_at < timedelta(minutes=1):
        return
    ApiToken.objects.filter(pk=token.pk).exclude(
        last_used_at__gte=now - timedelta(minutes=1)
    ).update(last_used_at=now)
