from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Dasbor dan laporan")

    def ready(self) -> None:
        from reports.counts import count_event, rebuild
        from santunan import hooks

        # Called inside the transaction that records a claim event, so the dashboard's
        # counts change exactly when the claim does (see santunan/hooks.py).
        if count_event not in hooks.ON_EVENT:
            hooks.ON_EVENT.append(count_event)
        if rebuild not in hooks.AFTER_BULK_WRITE:
            hooks.AFTER_BULK_WRITE.append(rebuild)
