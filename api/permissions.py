"""What a token may do beyond its user's roles."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from api.models import Scope
from villages.roles import has_role


class TokenScope(permissions.BasePermission):
    """A reporting client reads only; every other token is bounded by its user's roles
    and the services' own rules."""

    message = _("Token laporan hanya boleh membaca.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None:
            return False
        if token.scope == Scope.REPORT:
            return request.method in permissions.SAFE_METHODS
        return True


def role(*roles: str):
    """A permission class for the roles a view serves, the same ones as the web page's
    role_required (403 for everyone else)."""

    class HasRole(permissions.BasePermission):
        message = _("Peran Anda tidak mencakup tindakan ini.")

        def has_permission(self, request, view) -> bool:
            return has_role(request.user, *roles)

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole
