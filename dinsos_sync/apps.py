from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DinsosSyncConfig(AppConfig):
    name = "dinsos_sync"
    verbose_name = _("Sinkronisasi registri")
