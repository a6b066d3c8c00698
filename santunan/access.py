"""Role checks for views: one decorator, so each view states who may use it."""

from functools import wraps

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
