from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into the configured database and document "
        "storage, which should be new and empty; every checksum is verified before and "
        "after."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the backup folder")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the contents of a database (and documents) that are not empty",
        )

    def handle(self, *args, source, force, **options):
        try:
            report = restore(source, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {report.tables} tables ({report.rows} rows) and {report.documents} "
            f"documents ({report.skipped} already in place); counts and checksums verified."
        )
