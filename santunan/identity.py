"""Indonesian identity numbers. Validation itself is python-stdnum's (`stdnum.id.nik`);
this module adds the rules of this service and messages in Bahasa Indonesia."""

import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

SIXTEEN_DIGITS = re.compile(r"^\d{16}$")


def nik_problem(value: str, *, label: str = "NIK") -> str | None:
    """Why `value` is not a valid NIK, or None. Only whitespace around it is forgiven:
    letters, inner spaces, dots or another length are refused."""
    value = (value or "").strip()
    if not SIXTEEN_DIGITS.match(value):
        return _("%(label)s harus 16 angka (tanpa huruf, spasi atau tanda baca).") % {
            "label": label
        }
    if value[12:] == "0000":
        return _("%(label)s tidak sah: nomor urut 0000.") % {"label": label}
    try:
        stdnum_nik.validate(value)
    except StdnumError:
        if nik_birth_date(value) is None:
            return _(
                "%(label)s tidak sah: bagian tanggal lahir (digit 7–12) bukan tanggal yang ada."
            ) % {"label": label}
        return _("%(label)s tidak sah: kode wilayah (digit 1–4) tidak dikenal.") % {"label": label}
    return None


def nik_birth_date(value: str, *, today: date | None = None) -> date | None:
    """Birth date encoded in a NIK (day + 40 for women). The NIK stores only two year
    digits: take the latest century that does not put the birth in the future."""
    today = today or timezone.localdate()
    day, month, year = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if day > 40:
        day -= 40
    for century in (2000, 1900):
        try:
            born = date(century + year, month, day)
        except ValueError:
            return None
        if born <= today:
            return born
    return None


def nik_sex(value: str) -> str:
    """'P' (perempuan) when 40 was added to the day, else 'L'."""
    return "P" if int(value[6:8]) > 40 else "L"


def mask_number(value: str) -> str:
    """3325••••••••0001: the region and the last four digits, for lists and public pages."""
    value = value or ""
    if len(value) <= 8:
        return "•" * len(value)
    return value[:4] + "•" * (len(value) - 8) + value[-4:]


def mask_name(value: str) -> str:
    """'Siti Aminah' → 'S*** A*****' for public pages."""
    return " ".join(part[0] + "*" * (len(part) - 1) for part in (value or "").split())
