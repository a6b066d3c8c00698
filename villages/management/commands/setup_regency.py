from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from office.services import OfficeError, set_office_identity
from villages.services import RegencyError, WilayahError, setup_regency
from villages.wilayah import short_name


class Command(BaseCommand):
    help = (
        "Pasang kabupaten/kota yang dilayani (kode Kemendagri, mis. 33.74): muat kecamatan dan "
        "desa/kelurahannya dari tabel wilayah bawaan, catat kabupaten/kota, buat kebijakan awal. "
        "Identitas kantor (kop surat, pejabat) dapat diberikan dengan opsi di bawah."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="kode Kemendagri kabupaten/kota, mis. 33.74")
        office = parser.add_argument_group("identitas kantor (kop surat dan pejabat)")
        office.add_argument("--office", help="nama kantor, mis. 'Dinas Sosial'")
        office.add_argument("--address", help="alamat kantor")
        office.add_argument("--place", help="kota tempat surat ditandatangani")
        office.add_argument("--phone", default="")
        office.add_argument("--email", default="")
        office.add_argument("--postal-code", default="")
        office.add_argument("--head-name", default="", help="nama kepala kantor")
        office.add_argument("--head-nip", default="", help="NIP kepala kantor (18 angka)")
        office.add_argument("--treasurer-name", default="", help="nama bendahara pengeluaran")
        office.add_argument("--treasurer-nip", default="", help="NIP bendahara (18 angka)")

    def handle(self, *args, code: str, **options):
        if bool(options["office"]) != bool(options["address"]):
            raise CommandError("Identitas kantor perlu --office dan --address sekaligus.")
        try:
            # One transaction: an office identity that is refused leaves nothing set up.
            with transaction.atomic():
                result = setup_regency(code=code)
                regency, areas = result.regency, result.areas
                identity = []
                if options["office"]:
                    identity = set_office_identity(
                        regency=regency.name,
                        office=options["office"],
                        address=options["address"],
                        place=options["place"] or short_name(regency.name),
                        phone=options["phone"],
                        email=options["email"],
                        postal_code=options["postal_code"],
                        head=(options["head_name"], options["head_nip"]),
                        treasurer=(options["treasurer_name"], options["treasurer_nip"]),
                    ).changed
        except RegencyError as exc:
            raise CommandError(exc.message) from None
        except WilayahError as exc:
            raise CommandError(
                "Tabel wilayah ditolak, tidak ada yang diubah:\n" + str(exc)
            ) from None
        except OfficeError as exc:
            raise CommandError(
                "Identitas kantor ditolak, tidak ada yang diubah:\n" + str(exc)
            ) from None
        if not result.changed and not identity:
            self.stdout.write(
                f"Tidak ada yang berubah: {regency.name} ({regency.code}) sudah terpasang, "
                f"{areas.unchanged} wilayah tetap."
            )
            return
        self.stdout.write(
            f"{regency.name} ({regency.code}, {regency.province_name}) terpasang. Wilayah: "
            f"{areas.created} baru, {areas.updated} diperbarui, {areas.unchanged} tetap."
        )
        if result.policy is not None:
            self.stdout.write(
                f"Kebijakan awal: “{result.policy.name}” (ubah besaran dan batas waktunya di "
                f"{reverse('admin:santunan_benefitpolicy_changelist')})."
            )
        if identity:
            self.stdout.write("Identitas kantor dicatat: " + ", ".join(identity) + ".")
        else:
            self.stdout.write(
                "Berikutnya: isi identitas kantor (kop surat dan pejabat) di "
                f"{reverse('admin:office_letterhead_add')} dan {reverse('admin:office_official_add')}, "
                "atau jalankan lagi dengan --office dan --address."
            )
