from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SantunanConfig(AppConfig):
    name = "santunan"
    verbose_name = _("Santunan kematian")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save
        from PIL import Image

        from santunan.finance import checks  # noqa: F401  (registers the system checks)
        from santunan.models import BenefitPolicy
        from santunan.rules import forget_policies

        # A request that changes a policy (the administration) reads it afresh after.
        post_save.connect(forget_policies, sender=BenefitPolicy, dispatch_uid="forget_policies")
        post_delete.connect(forget_policies, sender=BenefitPolicy, dispatch_uid="forget_policies")

        # Everywhere an image is opened (uploads, letters): Pillow refuses an image of
        # more than twice this many pixels instead of decoding it into gigabytes.
        Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
