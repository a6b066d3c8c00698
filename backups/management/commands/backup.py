from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc, or SQLite's online backup) and every stored "
        "document into a new folder, with a manifest of SHA-256 checksums and row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a folder that does not exist yet")

    def handle(self, *args, destination, **options):
        try:
            report = backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backup written to {report.path}: {report.tables} tables, {report.rows} rows, "
            f"{report.documents} documents ({report.bytes} bytes)."
        )
        if report.missing:
            for name in report.missing:
                self.stderr.write(f"missing from the document storage: {name}")
            raise CommandError(
                f"{len(report.missing)} document(s) the database refers to were not found; "
                "the backup holds everything else."
            )
