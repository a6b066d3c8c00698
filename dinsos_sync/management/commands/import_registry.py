from datetime import date

from django.core.management.base import BaseCommand, CommandError

from dinsos_sync.errors import SyncError
from dinsos_sync.models import Snapshot
from dinsos_sync.services import import_snapshot


class Command(BaseCommand):
    help = "Load a registry extract (CSV or XLSX) as the new active snapshot of a source."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--source", choices=["social", "population"], required=True)
        parser.add_argument(
            "--received",
            type=date.fromisoformat,
            default=None,
            help="date the extract was received (YYYY-MM-DD); default today",
        )

    def handle(self, *args, **options):
        def progress(snapshot: Snapshot) -> None:
            self.stdout.write(
                f"  {snapshot.rows_read:,} baris dibaca ({snapshot.percent_done}%), "
                f"{snapshot.rows_refused:,} ditolak"
            )

        try:
            snapshot = import_snapshot(
                source=options["source"],
                path=options["path"],
                received_on=options["received"],
                on_progress=progress,
            )
        except (SyncError, OSError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from None
        for problem in snapshot.problems.all()[:20]:
            self.stdout.write(f"  baris {problem.line}: {problem.message}")
        if snapshot.rows_refused > 20:
            self.stdout.write(
                f"  … dan {snapshot.rows_refused - 20:,} baris lain (laporan lengkap di halaman "
                "Data registri)."
            )
        if snapshot.status != Snapshot.Status.ACTIVE:
            raise CommandError(snapshot.message)
        self.stdout.write(self.style.SUCCESS(f"Snapshot #{snapshot.pk} aktif: {snapshot.message}"))
