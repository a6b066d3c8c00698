"""How an Indonesian government letter writes dates and money. Letters are always in
Bahasa Indonesia, whatever language the user's screen is in, so nothing here goes
through the active locale."""

from datetime import date

from num2words import num2words

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def tanggal(value: date | None) -> str:
    """27 November 2026."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def rupiah(amount: int) -> str:
    """Rp1.000.000: the dot groups thousands, no space after Rp (PUEBI). A negative
    amount (a budget overspent) takes the minus sign before Rp, −Rp500.000, never
    Rp-500.000, with the typographic minus (U+2212) rather than a hyphen."""
    sign = "\u2212" if int(amount) < 0 else ""
    return sign + "Rp" + f"{abs(int(amount)):,}".replace(",", ".")


def terbilang(amount: int) -> str:
    """satu juta rupiah."""
    return f"{num2words(int(amount), lang='id')} rupiah"
