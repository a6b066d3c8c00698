from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Registers the bearer token's OpenAPI description with drf-spectacular.
        import api.schema  # noqa: F401
