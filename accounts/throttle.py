"""Login throttling, in two layers, so that one person's typos never lock anyone else out.

A village office or the whole Dinas Sosial reaches us through one NAT address, so an
address is many people. django-axes therefore locks the *pair* (account, address) after
LOGIN_FAILURE_LIMIT wrong passwords for LOGIN_LOCKOUT_MINUTES
(`AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]`): the colleague at the next desk,
and the administrator, still log in from the same address, and the same account still
logs in from home.

Guessing one password for many accounts (password spraying) passes under that limit, so
an address is slowed as a whole once it has LOGIN_SPRAY_FAILURES failed logins across at
least LOGIN_SPRAY_ACCOUNTS accounts in LOGIN_SPRAY_HOURS that were not followed by the same
account logging in from there. Typos end with the right password and drop out of the
count; a sprayer's guesses stay in it. Every further failure doubles the wait (one minute,
two, four … at most LOGIN_SPRAY_MAX_MINUTES). Attempts refused during a lock are not
recorded (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False`), so people behind the
address who keep trying do not lengthen it.

The failures come from django-axes' own failure log (`AccessFailureLog`) and the logins
from its access log (`AccessLog`); the throttle only reads them. The way back without a
session is `manage.py unlock_login` (accounts/management/commands/unlock_login.py)."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.shortcuts import render
from django.utils import timezone


@dataclass(frozen=True)
class AddressThrottle:
    failures: int
    accounts: int
    until: datetime

    @property
    def wait(self) -> timedelta:
        return max(self.until - timezone.now(), timedelta(0))


def spray_cool_off(failures: int) -> timedelta:
    """The wait after `failures` unanswered failures from one address: one minute at the
    threshold, doubled for each failure past it, up to LOGIN_SPRAY_MAX_MINUTES."""
    past = max(failures - settings.LOGIN_SPRAY_FAILURES, 0)
    # The exponent is bounded first: after a long attack `past` can be in the thousands.
    return timedelta(minutes=min(2 ** min(past, 32), settings.LOGIN_SPRAY_MAX_MINUTES))


def address_throttle(ip_address: str | None) -> AddressThrottle | None:
    """The throttle on `ip_address` while it lasts, or None. One aggregate query."""
    if not ip_address:
        return None
    since = timezone.now() - timedelta(hours=settings.LOGIN_SPRAY_HOURS)
    answered = AccessLog.objects.filter(
        ip_address=ip_address,
        username=OuterRef("username"),
        attempt_time__gt=OuterRef("attempt_time"),
    )
    figures = (
        AccessFailureLog.objects.filter(ip_address=ip_address, attempt_time__gte=since)
        .exclude(Exists(answered))
        .aggregate(
            failures=Count("id"),
            accounts=Count("username", distinct=True),
            last=Max("attempt_time"),
        )
    )
    failures, accounts = figures["failures"], figures["accounts"]
    if failures < settings.LOGIN_SPRAY_FAILURES or accounts < settings.LOGIN_SPRAY_ACCOUNTS:
        return None
    until = figures["last"] + spray_cool_off(failures)
    if until <= timezone.now():
        return None
    return AddressThrottle(failures=failures, accounts=accounts, until=until)


class LoginHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER) that also refuses every login from an
    address throttled for spraying, before any password is checked."""

    def is_allowed(self, request, credentials: dict | None = None) -> bool:
        if address_throttle(getattr(request, "axes_ip_address", None)) is not None:
            return False
        return super().is_allowed(request, credentials)


def lockout_response(request, original_response=None, credentials=None):
    """The page for a refused login (AXES_LOCKOUT_CALLABLE): whether the account is locked
    at this address or the address is slowed, and for how long."""
    ip_address = getattr(request, "axes_ip_address", None)
    throttle = address_throttle(ip_address)
    if throttle is not None:
        wait = throttle.wait
    else:
        username = get_client_username(request, credentials)
        last = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
            at=Max("attempt_time")
        )["at"]
        cool_off = get_cool_off(request)
        wait = (last + cool_off - timezone.now()) if last else cool_off
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {
            "address_wide": throttle is not None,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": max(math.ceil(wait.total_seconds() / 60), 1),
        },
        status=429,
    )


def unlock_account(*, username: str) -> int:
    """Lift the lock on an account at every address; the number of records removed."""
    return axes_reset(username=username)


def unlock_address(*, ip_address: str) -> int:
    """Lift the throttle on an address and the locks of every account there: its failed
    logins are forgotten (the log keeps that they were unlocked, by whom)."""
    with transaction.atomic():
        failures, _by_model = AccessFailureLog.objects.filter(ip_address=ip_address).delete()
        return failures + axes_reset(ip=ip_address)
