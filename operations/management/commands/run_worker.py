from django.core.management import call_command
from django.core.management.base import BaseCommand

from operations.services import requeue_abandoned_tasks, this_worker_id


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
        call_command(
            "db_worker",
            queue_name=options["queue_name"],
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
            worker_id=this_worker_id(),
            verbosity=options["verbosity"],
        )
