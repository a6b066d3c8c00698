from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Wilayah dan petugas")

    def ready(self) -> None:
        from villages.roles import ensure_roles

        # Runs after every migrate, once permissions of all apps exist.
        post_migrate.connect(ensure_roles, dispatch_uid="villages.ensure_roles")
