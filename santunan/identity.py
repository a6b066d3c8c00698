"""Indonesian identity numbers. Validation itself is python-stdnum's (`stdnum.id.nik`);
this module adds the rules of this service and messages in Bahasa Indonesia."""

import re
import unicodedata
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

# ASCII only: `\d` and python-stdnum both accept any script's digits, which let
# "３３２５…" (full-width) stand beside "3325…" as a second person.
SIXTEEN_DIGITS = re.compile(r"^[0-9]{16}$", re.ASCII)
ASCII_DIGITS = re.compile(r"^[0-9]*$", re.ASCII)
# Separators people type inside numbers: spaces of every width, hyphens and dashes, dots.
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.\u00b7]")


# Practice claims (mode latihan) carry NIKs and KK numbers under region code 00.00.00,
# which no province uses (province codes start at 11): nik_problem refuses them, so no
# real claim can hold one, and they can never be a real person's number.
PRACTICE_PREFIX = "000000"


def is_practice_number(value: str) -> bool:
    return bool(value) and value.startswith(PRACTICE_PREFIX)


def normalise_number(value) -> str:
    """The one normal form of a typed identity number (NIK, KK, phone, account number),
    applied at every entry: Unicode NFKC (full-width digits become ASCII), then spaces,
    dashes and dots removed. The result may still hold letters or other scripts' digits;
    `is_ascii_digits` (or the *_problem helpers) decide whether it is acceptable."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return SEPARATORS.sub("", text)


def is_ascii_digits(value: str) -> bool:
    return bool(value) and ASCII_DIGITS.match(value) is not None


def digits_problem(value: str, *, label: str, length: int) -> str | None:
    """Why an already normalised number is not exactly `length` ASCII digits, or None."""
    if not ASCII_DIGITS.match(value):
        return _("%(label)s harus %(length)d angka 0–9, tanpa huruf atau simbol.") % {
            "label": label,
            "length": length,
        }
    if len(value) != length:
        return _("%(label)s harus %(length)d angka; yang diisi %(count)d angka.") % {
            "label": label,
            "length": length,
            "count": len(value),
        }
    return None


def nik_problem(value: str, *, label: str = "NIK") -> str | None:
    """Why `value` is not a valid NIK, or None. The value is normalised first (spaces,
    dashes, dots and full-width digits forgiven); letters, other scripts' digits or
    another length are refused with the count the person typed."""
    value = normalise_number(value)
    if problem := digits_problem(value, label=label, length=16):
        return problem
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
