from django.core.management.base import BaseCommand, CommandError

from filestore.moving import MoveRefused, move_documents


class Command(BaseCommand):
    help = (
        "Copy every stored document between MEDIA_ROOT and the S3 bucket, verifying "
        "SHA-256 checksums; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, choices=["s3", "filesystem"])
        parser.add_argument(
            "--delete-source",
            action="store_true",
            help="Remove each source file after its copy is verified (only once the "
            "target is DOCUMENT_STORAGE).",
        )

    def handle(self, *args, to, delete_source, **options):
        def progress(done, total):
            self.stdout.write(f"  {done}/{total}")

        try:
            report = move_documents(to=to, delete_source=delete_source, progress=progress)
        except MoveRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"{report.referenced} referenced: {report.copied} copied "
            f"({report.bytes_copied} bytes), {report.already} already there, "
            f"{len(report.missing)} missing, {len(report.failed)} failed, "
            f"{report.removed} source files removed."
        )
        for name in report.missing:
            self.stderr.write(f"missing in both storages: {name}")
        for name in report.failed:
            self.stderr.write(f"copy did not verify: {name}")
        if not report.complete:
            raise CommandError("Not every document was moved; run again after fixing the above.")
