"""The people who use e-Santunan and what each of them may do.

A role is a Django group; its permissions are declared here, in one place, and
applied after every migration so a fresh database and an old one agree."""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR_DESA = "operator_desa", _("Operator desa")
    VERIFIKATOR = "verifikator", _("Verifikator Dinas Sosial")
    APPROVER = "approver", _("Pejabat penyetuju")
    BENDAHARA = "bendahara", _("Bendahara")
    ADMINISTRATOR = "administrator", _("Administrator")


# Each role's landing page (a URL name) after login.
ROLE_HOME = {
    Role.OPERATOR_DESA: "santunan:desa_home",
    Role.VERIFIKATOR: "santunan:verifikator_home",
    Role.APPROVER: "santunan:approver_home",
    Role.BENDAHARA: "finance:home",
    Role.ADMINISTRATOR: "admin:index",
}

# Permissions per role as "app_label.codename". Codenames that do not exist yet
# (an app not migrated) are skipped and picked up on the next migrate.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OPERATOR_DESA: [
        "santunan.submit_claim",
    ],
    Role.VERIFIKATOR: [
        "villages.view_kecamatan",
        "villages.view_desa",
        "santunan.verify_claim",
        "dinsos_sync.view_finding",
        "dinsos_sync.import_registry",
    ],
    Role.APPROVER: [
        "villages.view_kecamatan",
        "villages.view_desa",
        "santunan.approve_claim",
    ],
    Role.BENDAHARA: [
        "villages.view_kecamatan",
        "villages.view_desa",
        "santunan.manage_payout",
    ],
    Role.ADMINISTRATOR: [
        "villages.view_kecamatan",
        "villages.view_desa",
        "villages.add_kecamatan",
        "villages.change_kecamatan",
        "villages.add_desa",
        "villages.change_desa",
        "villages.view_operatorassignment",
        "villages.add_operatorassignment",
        "villages.change_operatorassignment",
        "villages.delete_operatorassignment",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "accounts.view_activationcode",
        "office.view_letterhead",
        "office.add_letterhead",
        "office.change_letterhead",
        "office.view_official",
        "office.add_official",
        "office.change_official",
        "office.view_budgetaccount",
        "office.add_budgetaccount",
        "office.change_budgetaccount",
    ],
}


def ensure_roles(**_kwargs) -> None:
    """Create the role groups and give them exactly their declared permissions."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found:
                wanted.append(found)
        group.permissions.set(wanted)


def roles_of(user) -> set[str]:
    """The role names of a user, cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_esantunan_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(Role.ADMINISTRATOR)
        user._esantunan_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def primary_role(user) -> str | None:
    """The role whose home page a user lands on; work roles before administration."""
    mine = roles_of(user)
    for role in Role:
        if role in mine:
            return role
    return None


DINSOS_ROLES = (Role.VERIFIKATOR, Role.APPROVER, Role.BENDAHARA, Role.ADMINISTRATOR)
