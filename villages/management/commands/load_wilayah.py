from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from villages.services import WilayahError, load_wilayah


class Command(BaseCommand):
    help = (
        "Muat kecamatan dan desa/kelurahan kabupaten dari berkas CSV (code,name,level,parent_code)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc.strerror}") from None
        try:
            result = load_wilayah(data=data)
        except WilayahError as exc:
            raise CommandError("Berkas ditolak, tidak ada yang diubah:\n" + str(exc)) from None
        self.stdout.write(
            f"Wilayah dimuat: {result.created} baru, {result.updated} diperbarui, "
            f"{result.unchanged} tetap."
        )
        if result.not_in_file:
            self.stdout.write(
                "Ada di basis data tetapi tidak di berkas (tidak dihapus): "
                + ", ".join(result.not_in_file)
            )
