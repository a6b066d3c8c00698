from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dinsos_sync.errors import SyncError
from dinsos_sync.exports import render_report


class Command(BaseCommand):
    help = (
        "Write the feedback file of paid deaths for the social registry (--report social) "
        "or the paid deaths Dukcapil has not recorded (--report dukcapil)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--report", choices=["social", "dukcapil"], default="social")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            default=None,
            help="only payouts from this date (YYYY-MM-DD)",
        )
        parser.add_argument("--output", "-o", required=True, help="file to write")

    def handle(self, *args, **options):
        try:
            data = render_report(options["report"], options["format"], since=options["since"])
        except SyncError as exc:
            raise CommandError(exc.message) from None
        Path(options["output"]).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Ditulis: {options['output']}"))
