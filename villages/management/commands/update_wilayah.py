from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villages.selectors import current_regency
from villages.services import WilayahError, update_wilayah


class Command(BaseCommand):
    help = (
        "Terapkan tabel wilayah yang lebih baru (CSV atau .csv.gz, seluruh Indonesia atau "
        "kabupaten/kota ini saja) pada kabupaten/kota yang dilayani, dan laporkan setiap perubahan."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="hanya laporkan perubahan, jangan terapkan"
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc.strerror}") from None
        regency = current_regency()
        try:
            report = update_wilayah(data=data, source=path.name, dry_run=dry_run)
        except WilayahError as exc:
            raise CommandError("Berkas ditolak, tidak ada yang diubah:\n" + str(exc)) from None
        if not report.changes:
            self.stdout.write(f"Tidak ada perubahan wilayah {regency.name} dalam {path.name}.")
            return
        verb = "akan diterapkan (uji coba, belum diubah)" if dry_run else "diterapkan"
        self.stdout.write(f"Perubahan wilayah {regency.name} dari {path.name} {verb}:")
        for change in report.changes:
            names = " → ".join(n for n in (change.old_name, change.new_name) if n)
            line = f"  {change.code:<14} {change.level:<10} {change.get_kind_display()}: {names}"
            if change.detail:
                line += f" ({change.detail})"
            self.stdout.write(line)
        if report.of("successor"):
            self.stdout.write(
                "Periksa kemungkinan pengganti di atas: klaim tetap pada desa/kelurahan lamanya; "
                "operator desa yang dinonaktifkan perlu ditugaskan ke desa barunya."
            )
