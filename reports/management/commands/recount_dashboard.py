"""Rebuild the dashboard's counts from the claims, or check that they agree.

The counts are kept by every claim event (reports/counts.py); a rebuild is for repair
and after claims were written in bulk without events."""

from django.core.management.base import BaseCommand, CommandError

from reports.counts import differences, rebuild


class Command(BaseCommand):
    help = "Hitung ulang angka dasbor dari klaim, atau periksa kesesuaiannya (--check)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="hanya periksa; gagal bila ada selisih"
        )

    def handle(self, *args, check, **options):
        if not check:
            rebuild()
            self.stdout.write(self.style.SUCCESS("Angka dasbor dihitung ulang dari klaim."))
            return
        found = differences()
        for table, key, kept, counted in found[:50]:
            self.stdout.write(f"{table} {key}: {kept} != {counted}")
        if found:
            raise CommandError(f"{len(found)} angka dasbor tidak sesuai dengan klaim.")
        self.stdout.write(self.style.SUCCESS("Angka dasbor sesuai dengan klaim."))
