"""Reads of areas, limited to what a user may see, and of the regency served."""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from villages import wilayah
from villages.models import Desa, Kecamatan, Regency, UserPreference
from villages.roles import DINSOS_ROLES, has_role


@dataclass(frozen=True)
class ConfiguredRegency:
    code: str
    name: str
    kind: str
    set_up: bool  # False: nothing recorded yet, the settings' defaults are in use

    @property
    def short_name(self) -> str:
        return wilayah.short_name(self.name)


# One read per request: the middleware opens a dict here for the request's length.
# Outside a request (commands, the worker) every call reads the row, so a process
# never keeps a regency that another process set up, nor one a rolled-back test made.
_request_cache: ContextVar[dict | None] = ContextVar("regency_request_cache", default=None)


_table_seen = False


def _regency_table_ready() -> bool:
    """Whether migrate has made the table: until then the footer of a page that needs
    no database (the login form) shows the default instead of failing. Once seen, a
    table does not go away, so the check stops."""
    global _table_seen
    if not _table_seen:
        _table_seen = Regency._meta.db_table in connection.introspection.table_names()
    return _table_seen


# A recorded regency never changes (setup_regency refuses another one on a database in
# use, the administration shows it read-only), so a server process keeps it once read
# during a request, instead of reading it again on every page. Not the settings'
# default: another process may record the regency at any moment, and every process
# must see it from its next request. Nor what a request read inside a transaction, which
# may still roll back. Dropped when the row is saved or deleted, the database flushed
# (tests) or the settings changed (tests).
_recorded: ConfiguredRegency | None = None


def current_regency() -> ConfiguredRegency:
    """The regency this installation serves: the one setup_regency recorded, else the
    REGENCY_CODE/REGENCY_NAME settings. Every reader of "which regency" comes here."""
    global _recorded
    cache = _request_cache.get()
    if cache is not None and "regency" in cache:
        return cache["regency"]
    if cache is not None and _recorded is not None:
        cache["regency"] = _recorded
        return _recorded
    row = Regency.objects.first() if _regency_table_ready() else None
    if row is not None:
        regency = ConfiguredRegency(row.code, row.name, row.kind, set_up=True)
        if cache is not None and not connection.in_atomic_block:
            _recorded = regency
    else:
        name = settings.REGENCY_NAME
        kind = Regency.Kind.KOTA if name.startswith("Kota ") else Regency.Kind.KABUPATEN
        regency = ConfiguredRegency(settings.REGENCY_CODE, name, kind, set_up=False)
    if cache is not None:
        cache["regency"] = regency
    return regency


@receiver(post_save, sender=Regency)
@receiver(post_delete, sender=Regency)
@receiver(post_migrate)
@receiver(setting_changed)
def _drop_recorded_regency(**_kwargs) -> None:
    global _recorded
    _recorded = None


def request_cache() -> dict | None:
    """The current request's memo (RegencyCacheMiddleware), or None outside a request.
    For reads that cannot change within one request's few milliseconds, yet are asked
    for by every check: the regency, the policy in force."""
    return _request_cache.get()


def regency_cache():
    """Open a per-request cache (RegencyCacheMiddleware); returns the token to reset."""
    return _request_cache.set({})


def close_regency_cache(token) -> None:
    _request_cache.reset(token)


def areas_of(code: str) -> tuple[int, int]:
    """(kecamatan, desa + kelurahan) of a regency in the database, active or not."""
    return (
        Kecamatan.objects.filter(code__startswith=code + ".").count(),
        Desa.objects.filter(code__startswith=code + ".").count(),
    )


def forget_regency() -> None:
    """Drop this request's and this process's cached answer (after the regency was just
    set up)."""
    _drop_recorded_regency()
    cache = _request_cache.get()
    if cache is not None:
        cache.pop("regency", None)


def desa_visible_to(user) -> QuerySet[Desa]:
    """Dinas Sosial staff see every desa; a village official only their own."""
    qs = Desa.objects.select_related("kecamatan")
    if has_role(user, *DINSOS_ROLES):
        return qs
    assignment = getattr(user, "operator_assignment", None)
    if assignment is None:
        return qs.none()
    return qs.filter(pk=assignment.desa_id)


def desa_of_operator(user) -> Desa | None:
    try:
        return user.operator_assignment.desa
    except Exception:  # RelatedObjectDoesNotExist: not an operator
        return None


def language_of(user) -> str | None:
    """The language this person chose, or None if they never chose one."""
    if not user.is_authenticated:
        return None
    # Read with the person's roles by accounts.person on every page.
    if hasattr(user, "_esantunan_language"):
        return user._esantunan_language
    return UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
