from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from santunan.holidays import HolidayFileError, load_holidays


class Command(BaseCommand):
    help = (
        "Muat hari libur nasional dan cuti bersama satu tahun dari berkas CSV "
        "(tanggal,keterangan); berkas itu menjadi daftar lengkap tahun tersebut."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("path", type=Path)

    def handle(self, *args, year: int, path: Path, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc.strerror}") from None
        try:
            result = load_holidays(year=year, data=data)
        except HolidayFileError as exc:
            raise CommandError("\n".join([exc.message, *exc.problems])) from None
        self.stdout.write(
            f"Hari libur {result.year}: {result.total} hari; {result.added} ditambah, "
            f"{result.renamed} diubah keterangannya, {result.removed} dihapus."
        )
