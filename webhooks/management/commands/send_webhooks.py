"""Post every webhook delivery that is due now, and any left taken by a worker that
died. Run it from cron every few minutes beside `db_worker`: the worker posts new
deliveries at once and retries on schedule; this picks up what a dead worker or a lost
task left behind. Deliveries go in each claim's order."""

from django.core.management.base import BaseCommand

from webhooks import services


class Command(BaseCommand):
    help = "Mengirim webhook yang tertunda."

    def handle(self, *args, **options):
        ids = services.due_delivery_ids()
        retry = sum(services.deliver_webhook(pk) is not None for pk in ids)
        self.stdout.write(f"{len(ids)} webhook delivery(ies) tried, {retry} to retry later.")
