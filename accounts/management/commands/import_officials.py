from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.activation import render_slips
from accounts.officials import OfficialsError, import_officials


class Command(BaseCommand):
    help = (
        "Buat atau perbarui akun petugas dari satu berkas CSV/XLSX "
        "(username,nama,peran,desa,no_hp), semua atau tidak sama sekali. Akun baru "
        "mendapat kode aktivasi: slip PDF per kecamatan dan/atau tautan lewat SMS/WhatsApp."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--slips",
            type=Path,
            help="Folder untuk slip aktivasi PDF (bawaan: slip-aktivasi-<tanggal-jam>).",
        )
        parser.add_argument("--no-slips", action="store_true", help="Tanpa slip cetak.")
        parser.add_argument(
            "--sms",
            action="store_true",
            help="Kirim tautan aktivasi ke no_hp lewat kotak keluar pesan (sekali per akun).",
        )
        parser.add_argument("--base-url", default="", help="Alamat situs untuk tautan dan QR.")

    def handle(self, *args, path: Path, slips, no_slips, sms, base_url, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc.strerror}") from None
        try:
            result = import_officials(data=data, send_messages=sms, base_url=base_url)
        except OfficialsError as exc:
            raise CommandError("Berkas ditolak, tidak ada yang diubah:\n" + str(exc)) from None
        self.stdout.write(f"Petugas: {result.summary()}")
        if sms:
            self.stdout.write(f"Tautan aktivasi diantrekan: {result.messages_queued} pesan.")
        if result.codes and not no_slips:
            folder = slips or Path(f"slip-aktivasi-{timezone.localtime():%Y%m%d-%H%M%S}")
            folder.mkdir(parents=True, exist_ok=True)
            for key, (_heading, pdf) in render_slips(result.codes, base_url=base_url).items():
                target = folder / f"slip-{key}.pdf"
                target.write_bytes(pdf)
                self.stdout.write(f"Slip: {target}")
