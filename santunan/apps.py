from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SantunanConfig(AppConfig):
    name = "santunan"
    verbose_name = _("Santunan kematian")

    def ready(self) -> None:
        from santunan.finance import checks  # noqa: F401  (registers the system checks)
