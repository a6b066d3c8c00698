import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from operations.services import requeue_abandoned_tasks, this_worker_id

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Jalankan pekerja latar (db_worker) setelah mengantrekan lagi tugas yang "
        "ditinggalkan pekerja yang mati."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--interval", type=float, default=1)
        parser.add_argument("--batch", action="store_true", help="kerjakan yang ada lalu berhenti")

    def handle(self, *args, **options):
        requeued = requeue_abandoned_tasks()
        if requeued:
            self.stdout.write(f"{len(requeued)} tugas diantrekan lagi.")
        if settings.HOLIDAYS_AUTOLOAD:
            load_holidays(self.stdout)
        call_command(
            "db_worker",
            queue_name=options["queue_name"],
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
            worker_id=this_worker_id(),
            verbosity=options["verbosity"],
        )


def load_holidays(stdout) -> None:
    """This year's and next year's national holidays, each time a worker starts: a
    worker restarted in the new year brings the year after in. Never stops the worker."""
    from santunan.holidays import HolidayFileError, load_coming_holidays
    from santunan.management.commands.load_national_holidays import describe

    try:
        for result in load_coming_holidays():
            if result.added or result.renamed or result.removed:
                stdout.write(describe(result))
    except HolidayFileError as exc:
        logger.warning("national holidays not loaded: %s", exc.message)
