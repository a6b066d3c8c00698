from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SantunanConfig(AppConfig):
    name = "santunan"
    verbose_name = _("Santunan kematian")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_migrate, post_save
        from PIL import Image

        from santunan.finance import checks  # noqa: F401  (registers the system checks)
        from santunan.models import BenefitPolicy
        from santunan.rules import forget_policies

        # A request that changes a policy (the administration) reads it afresh after.
        post_save.connect(forget_policies, sender=BenefitPolicy, dispatch_uid="forget_policies")
        post_delete.connect(forget_policies, sender=BenefitPolicy, dispatch_uid="forget_policies")

        # A fresh installation knows this year's and next year's public holidays.
        post_migrate.connect(
            load_holidays_after_migrate, sender=self, dispatch_uid="santunan.holidays"
        )

        # Everywhere an image is opened (uploads, letters): Pillow refuses an image of
        # more than twice this many pixels instead of decoding it into gigabytes.
        Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS


def load_holidays_after_migrate(*, using: str, apps=None, **_kwargs) -> None:
    """post_migrate: the calendar's holidays of this year and the next (idempotent), once
    the Holiday table has the columns the service writes (not after migrating back).
    `flush` sends the signal too, without the migration state."""
    from django.apps import apps as installed
    from django.conf import settings
    from django.core.exceptions import FieldDoesNotExist
    from django.db import DEFAULT_DB_ALIAS

    from santunan.holidays import load_coming_holidays

    if not settings.HOLIDAYS_AUTOLOAD or using != DEFAULT_DB_ALIAS:
        return
    try:
        (apps or installed).get_model("santunan", "Holiday")._meta.get_field("source")
    except (LookupError, FieldDoesNotExist):
        return
    load_coming_holidays()
