"""Role checks and request facts for views: one decorator, so each view states who may
use it, and the client address every service records in its audit event."""

import ipaddress
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied

from villages.roles import has_role


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def client_ip(request) -> str | None:
    """The address of the person acting, for the audit trail.

    X-Forwarded-For is anyone's to write, so it counts only when we run behind our own
    reverse proxy (BEHIND_PROXY sets SECURE_PROXY_SSL_HEADER). Even then only its last
    entry is trusted: that is the one our proxy appended; earlier ones came from the
    client."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidate = forwarded.split(",")[-1].strip()
            if _is_ip(candidate):
                return candidate
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_ip(remote) else None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def record_access(request, claim, what: str) -> None:
    """Who opened a claim's personal data or a document (UU 27/2022 accountability)."""
    from santunan.models import AccessLog

    AccessLog.objects.create(
        claim=claim, user=request.user, what=what, client_ip=client_ip(request)
    )
