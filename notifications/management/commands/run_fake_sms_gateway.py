"""Serve the fake SMS/WhatsApp gateway for development and tests (see
notifications/fake_gateway.py for what it does and its switches)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from notifications.fake_gateway import FakeGateway


class Command(BaseCommand):
    help = "Menjalankan gateway SMS tiruan untuk pengembangan dan pengujian."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--token", default=None, help="expected Bearer token")
        parser.add_argument("--secret", default=None, help="HMAC secret for delivery reports")
        parser.add_argument("--log", default="", help="append what it receives to this file")
        parser.add_argument("--slow", type=float, default=0, help="seconds before answering")
        parser.add_argument("--fail-500", type=int, default=0, help="answer N requests with 500")
        parser.add_argument("--fail-429", type=int, default=0, help="answer N requests with 429")
        parser.add_argument("--duplicate-callbacks", action="store_true")
        parser.add_argument("--no-callbacks", action="store_true")

    def handle(self, *args, **options):
        gateway = FakeGateway(
            host=options["host"],
            port=options["port"],
            token=settings.NOTIFY_GATEWAY_TOKEN if options["token"] is None else options["token"],
            secret=settings.NOTIFY_CALLBACK_SECRET
            if options["secret"] is None
            else options["secret"],
            log_path=options["log"],
            slow=options["slow"],
            fail_500=options["fail_500"],
            fail_429=options["fail_429"],
            duplicate_callbacks=options["duplicate_callbacks"],
            callbacks=not options["no_callbacks"],
        )
        self.stdout.write(f"fake SMS gateway on {gateway.url}", ending="\n")
        self.stdout.flush()
        try:
            gateway.serve_forever()
        except KeyboardInterrupt:
            pass
