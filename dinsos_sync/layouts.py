"""What the upload page tells about each registry's columns, and the template files it
offers. The column names, their order and which are required come from the importer
itself (`files.LAYOUTS`, `files.REQUIRED`, `files.column_mapping` with the regency's
own names): only the words for people and an example value are kept here, so a column
the importer gains or renames shows up on the page and in the templates at once."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy

from dinsos_sync.exports import to_csv, to_xlsx
from dinsos_sync.files import LAYOUTS, REQUIRED, column_mapping
from villages.models import Desa
from villages.selectors import current_regency

# Per column of the layouts: what to write in it, for the person filling the file.
DESCRIPTIONS = {
    "nik": gettext_lazy("NIK 16 angka. Format kolom sebagai teks agar Excel tidak memotongnya."),
    "nama": gettext_lazy("Nama lengkap seperti di KTP."),
    "tanggal_lahir": gettext_lazy("Tanggal: 31-12-1950, 31/12/1950 atau 1950-12-31."),
    "jenis_kelamin": gettext_lazy("L atau P."),
    "no_kk": gettext_lazy("Nomor KK 16 angka, sebagai teks."),
    "kode_desa": gettext_lazy("Kode desa Kemendagri, misalnya 33.25.01.2001."),
    "alamat": gettext_lazy("Dukuh, RT/RW."),
    "status_dtks": gettext_lazy("YA atau TIDAK; kosong bila tidak diketahui."),
    "desil": gettext_lazy("Desil DTSEN 1 (termiskin) sampai 10; kosong bila tidak ada."),
    "tanggal_update": gettext_lazy("Tanggal data orang ini terakhir diperbarui."),
    "status_hidup": gettext_lazy("HIDUP atau MENINGGAL."),
    "tanggal_meninggal": gettext_lazy("Diisi bila MENINGGAL."),
}
SOURCE_FILE_NAMES = {"social": "templat-registri-sosial", "population": "templat-dukcapil"}


@dataclass(frozen=True)
class TemplateColumn:
    key: str  # the importer's name of the column
    header: str  # what this regency's files call it
    required: bool
    description: str
    example: str


def example_person(source: str, today: date | None = None) -> dict[str, str]:
    """One made-up person the importer accepts: a NIK and desa of the regency served
    (its first village), born 12 March 1956, a woman."""
    desa = (
        Desa.objects.filter(code__startswith=current_regency().code + ".", is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    ) or f"{current_regency().code}.01.2001"
    region = desa.replace(".", "")
    values = {
        # Kecamatan digits, then 52 03 56: day 12 + 40 (a woman), March 1956.
        "nik": f"{region[:6]}5203560001",
        "nama": "Siti Contoh",
        "tanggal_lahir": "12-03-1956",
        "jenis_kelamin": "P",
        "no_kk": f"{region[:6]}0101100002",
        "kode_desa": desa,
        "alamat": "Dukuh Krajan RT 01/RW 02",
        "status_dtks": "YA",
        "desil": "2",
        "tanggal_update": f"01-07-{(today or timezone.localdate()).year - 1}",
        "status_hidup": "HIDUP",
        "tanggal_meninggal": "",
    }
    return {key: values[key] for key in LAYOUTS[source]}


def template_columns(source: str) -> list[TemplateColumn]:
    """The columns of `source` in the importer's order, named as this regency's files
    name them."""
    mapping, required = column_mapping(source), set(REQUIRED[source])
    example = example_person(source)
    return [
        TemplateColumn(
            key=key,
            header=mapping[key],
            required=key in required,
            description=str(DESCRIPTIONS.get(key, "")),
            example=example[key],
        )
        for key in LAYOUTS[source]
    ]


def template_header(source: str) -> list[str]:
    return [column.header for column in template_columns(source)]


def template_file(source: str, fmt: str) -> bytes:
    """The header and the example row, as CSV (UTF-8 with BOM, for Excel) or XLSX
    (every cell text, so a NIK keeps its 16 digits)."""
    columns = template_columns(source)
    header, example = [c.header for c in columns], [[c.example for c in columns]]
    return to_xlsx(header, example) if fmt == "xlsx" else to_csv(header, example)


def template_file_name(source: str, fmt: str) -> str:
    return f"{SOURCE_FILE_NAMES[source]}.{fmt}"

