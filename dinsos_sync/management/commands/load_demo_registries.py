"""`make run`: small Dukcapil and DTKS/DTSEN extracts for the demo villages, made from
the demo claims (dinsos_sync.demo_extracts), written in the upload template's layout and
loaded through the importer; then the worker cross-checks every open claim."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dinsos_sync.demo_extracts import acceptable, build_extracts
from dinsos_sync.errors import SyncError
from dinsos_sync.exports import to_csv
from dinsos_sync.layouts import template_header
from dinsos_sync.models import Snapshot, Source
from dinsos_sync.selectors import active_snapshot
from dinsos_sync.services import import_snapshot

FILE_NAMES = {"population": "contoh-dukcapil.csv", "social": "contoh-dtks.csv"}


class Command(BaseCommand):
    help = (
        "Muat data registri contoh (Dukcapil dan DTKS/DTSEN) untuk desa-desa demo, dibuat "
        "dari klaim contoh, lalu antrekan pemeriksaan ulang semua klaim terbuka."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="lewati sumber yang sudah punya data aktif",
        )

    def handle(self, *args, if_empty: bool, **options):
        from dinsos_sync.tasks import check_open_claims

        sources = [s for s in Source.values if not (if_empty and active_snapshot(s))]
        if not sources:
            self.stdout.write("Data registri sudah ada; tidak ada yang dimuat.")
            return
        extracts = acceptable(build_extracts())
        with tempfile.TemporaryDirectory() as folder:
            for source in sources:
                rows = extracts.rows(source)
                if not rows:
                    raise CommandError(
                        "Belum ada klaim atau desa demo; jalankan generate_claims dulu."
                    )
                path = Path(folder) / FILE_NAMES[source]
                path.write_bytes(to_csv(template_header(source), rows))
                try:
                    snapshot = import_snapshot(
                        source=source, path=path, file_name=FILE_NAMES[source]
                    )
                except SyncError as exc:
                    raise CommandError(exc.message) from None
                if snapshot.status != Snapshot.Status.ACTIVE:
                    raise CommandError(f"{FILE_NAMES[source]}: {snapshot.message}")
                self.stdout.write(f"{Source(source).label}: {snapshot.rows_loaded} orang dimuat.")
        # The demo's claims were written in bulk, without the check a submission queues.
        transaction.on_commit(check_open_claims.enqueue)
        self.stdout.write("Pemeriksaan ulang semua klaim terbuka diantrekan untuk pekerja latar.")
