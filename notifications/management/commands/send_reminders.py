"""Daily (cron): reminders for drafts nearing the submission deadline, to the village,
and the digest of claims past the service promise, to verifiers. Running it twice a
day queues nothing new: each reminder has its own unique key."""

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Mengantrekan pengingat batas pengajuan dan ringkasan harian."

    def handle(self, *args, **options):
        drafts = services.queue_deadline_reminders()
        digest = services.queue_overdue_digest()
        self.stdout.write(f"{drafts} deadline reminder(s), {digest} digest message(s) queued.")
