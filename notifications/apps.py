from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Pesan SMS/WhatsApp")

    def ready(self) -> None:
        from notifications.services import queue_for_event
        from santunan import hooks

        # santunan calls this inside the transaction that records a claim event, so a
        # message exists exactly when the event does (see santunan/hooks.py).
        if queue_for_event not in hooks.ON_EVENT:
            hooks.ON_EVENT.append(queue_for_event)
