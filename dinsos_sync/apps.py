from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DinsosSyncConfig(AppConfig):
    name = "dinsos_sync"
    verbose_name = _("Sinkronisasi registri")

    def ready(self) -> None:
        from dinsos_sync.selectors import document_reasons
        from dinsos_sync.services import override_blockers, request_check
        from santunan import hooks

        # santunan calls these without importing us (see santunan/hooks.py).
        if request_check not in hooks.AFTER_SUBMIT:
            hooks.AFTER_SUBMIT.append(request_check)
        if override_blockers not in hooks.BEFORE_VERIFY:
            hooks.BEFORE_VERIFY.append(override_blockers)
        if document_reasons not in hooks.DOCUMENT_REASONS:
            hooks.DOCUMENT_REASONS.append(document_reasons)
