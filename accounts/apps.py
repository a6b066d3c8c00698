import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("accounts")


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Akun dan login")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        user_locked_out.connect(log_lockout, dispatch_uid="accounts.log_lockout")


def log_lockout(sender, request, username=None, ip_address=None, **kwargs) -> None:
    """Every lockout in the log, for whoever watches for password guessing. The
    username and address only: no password, nothing of the person's data."""
    logger.warning("login locked out: username=%r ip=%s", username, ip_address)
