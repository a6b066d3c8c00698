"""Send every message that is due now, and any left `sending` by a worker that died.
Run it from cron every few minutes beside `db_worker`: the worker sends new messages
at once; this picks up what a dead worker or a lost task left behind."""

from django.core.management.base import BaseCommand

from notifications import gateway, services


class Command(BaseCommand):
    help = "Mengirim pesan yang tertunda di kotak keluar."

    def handle(self, *args, **options):
        if not gateway.configured():
            self.stdout.write("NOTIFY_GATEWAY_URL is not set; nothing sent.")
            return
        ids = services.pending_message_ids()
        retry = sum(services.deliver_message(pk) is not None for pk in ids)
        self.stdout.write(f"{len(ids)} message(s) tried, {retry} to retry later.")
