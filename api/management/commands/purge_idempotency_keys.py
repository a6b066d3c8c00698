"""Delete the stored answers of expired Idempotency-Keys (run daily from cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from api.models import IdempotencyRecord


class Command(BaseCommand):
    help = "Delete stored answers of Idempotency-Keys past API_IDEMPOTENCY_HOURS."

    def handle(self, *args, **options):
        deleted, _rows = IdempotencyRecord.objects.filter(expires_at__lte=timezone.now()).delete()
        self.stdout.write(f"{deleted} expired idempotency keys deleted.")
