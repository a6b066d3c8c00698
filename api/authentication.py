"""Bearer tokens for the API (Authorization: Bearer esk_<prefix>_<secret>)."""

import hmac

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.services import hash_secret, split_key, touch_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _sep, key = header.partition(" ")
        if keyword.lower() != self.keyword.lower() or not key.strip():
            raise exceptions.AuthenticationFailed(
                _("Kirim token sebagai: Authorization: Bearer <token>.")
            )
        parts = split_key(key.strip())
        # The operator's desa comes along: every village request checks it.
        token = (
            ApiToken.objects.select_related("user__operator_assignment")
            .filter(prefix=parts[0])
            .first()
            if parts
            else None
        )
        # Compared in constant time; an unknown prefix costs the same comparison.
        expected = token.key_hash if token else "0" * 64
        matches = hmac.compare_digest(expected, hash_secret(parts[1] if parts else ""))
        if token is None or not matches:
            raise exceptions.AuthenticationFailed(_("Token tidak dikenal."))
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Token ini sudah dicabut."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("Masa berlaku token ini sudah habis."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Pengguna token ini tidak aktif."))
        touch_token(token, now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a missing or refused token.
        return 'Bearer realm="api"'
