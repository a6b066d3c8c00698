from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhook ke sistem lain")

    def ready(self) -> None:
        from santunan import hooks
        from webhooks.services import queue_for_event

        # santunan calls this inside the transaction that records a claim event, so a
        # delivery exists exactly when the status change does (see santunan/hooks.py).
        if queue_for_event not in hooks.ON_EVENT:
            hooks.ON_EVENT.append(queue_for_event)
