"""How the logged-in person is read on each request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from villages.roles import remember_roles, role_flags


class OfficialBackend(ModelBackend):
    """Django's ModelBackend, except that each request's read of the person also brings
    what nearly every page asks of them next — their roles, their saved language and, for
    a village official, their desa — in the same query, instead of three more round trips
    on every page. Nothing is kept beyond the request: a role taken away or a language
    changed applies from the next page on."""

    def get_user(self, user_id):
        User = get_user_model()
        user = (
            User._default_manager.select_related("preference", "operator_assignment__desa")
            .annotate(**role_flags())
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_roles(user)
        return user
