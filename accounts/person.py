"""What every authenticated request needs to know of the person, read in one query.

Each page asks whether the person holds a role (navigation, permission checks, the
second-factor rule), which language they chose, and whether the second factor their
session passed still holds. Asked one by one that was three more round trips on every
page, after the session and the person themselves. Here one query reads them together,
on every request, so nothing is kept between requests: a role taken away, a language
chosen elsewhere or an authenticator deleted or unconfirmed by the administrator
applies from the very next page (tests/accounts/test_each_request.py)."""

import functools

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.db import connection
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from villages.models import UserPreference
from villages.roles import Role


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    through = User.groups.through._meta
    return {
        "groups": quote(Group._meta.db_table),
        "membership": quote(through.db_table),
        "membership_user": quote(through.get_field("user").column),
        "membership_group": quote(through.get_field("group").column),
        "preferences": quote(UserPreference._meta.db_table),
    }


def _device_table(persistent_id: str) -> tuple[str, int] | None:
    """The table and primary key of the device a session's persistent id names
    ("otp_totp.totpdevice/12"), or None for an id that names no device."""
    try:
        model_label, pk = persistent_id.rsplit("/", 1)
        model = apps.get_model(model_label)
        pk = int(pk)
    except (ValueError, LookupError):
        return None
    if not issubclass(model, Device):
        return None
    return connection.ops.quote_name(model._meta.db_table), pk


def read_person(user, device_id: str | None = None) -> bool:
    """Read `user`'s roles and language onto the object (for villages.roles.roles_of and
    villages.selectors.language_of) and, given the session's device id, whether that
    device is theirs and confirmed; returns that answer (False without a device id).

    Plain SQL, one statement of three indexed lookups: this runs on every page, and
    building the same question through the ORM (a subquery per fact) cost several times
    the round trip it saves, measured in benchmarks/bench_pages.py."""
    sql = (
        "SELECT 'role', g.name FROM {membership} m JOIN {groups} g ON g.id = m.{membership_group}"
        " WHERE m.{membership_user} = %s"
        " UNION ALL SELECT 'language', p.language FROM {preferences} p WHERE p.user_id = %s"
    ).format(**_tables())
    params = [user.pk, user.pk]
    device = _device_table(device_id) if device_id else None
    if device is not None:
        table, pk = device
        sql += f" UNION ALL SELECT 'device', '' FROM {table} d"
        sql += " WHERE d.id = %s AND d.user_id = %s AND d.confirmed"
        params += [pk, user.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    roles = {value for kind, value in rows if kind == "role"}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    user._esantunan_roles = roles
    user._esantunan_language = next((v for kind, v in rows if kind == "language"), None)
    return any(kind == "device" for kind, _value in rows)


class PersonMiddleware(OTPMiddleware):
    """django_otp's middleware (request.user.otp_device and is_verified()), with the
    device checked in the same query that reads the person's roles and language
    instead of a query of its own. The device object itself is loaded only if a page
    asks for it; is_verified() needs only to know it still holds."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            device_id = request.session.get(DEVICE_ID_SESSION_KEY)
            if device_id:
                device_id = self._normalize_persistent_id(device_id)
            if read_person(user, device_id):
                user.otp_device = SimpleLazyObject(
                    functools.partial(Device.from_persistent_id, device_id)
                )
            elif device_id:
                # As django_otp does: a device that no longer holds is forgotten.
                del request.session[DEVICE_ID_SESSION_KEY]
        return user
