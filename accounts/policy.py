"""Who needs a second factor: the roles that move money or manage users. A stolen
password of an approver, a treasurer or an administrator must not be enough."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from villages.roles import Role, has_role

SECOND_FACTOR_ROLES = (Role.APPROVER, Role.BENDAHARA, Role.ADMINISTRATOR)


def needs_second_factor(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.is_staff or has_role(user, *SECOND_FACTOR_ROLES))
    )


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
