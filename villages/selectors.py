"""Reads of areas, limited to what a user may see."""

from django.db.models import QuerySet

from villages.models import Desa, UserPreference
from villages.roles import DINSOS_ROLES, has_role


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
    return UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
