"""Form fields and widgets every form of the service shares: dates, rupiah amounts and
file choosers that speak the site's language rather than the browser's.

The browser's own controls follow the language of the browser, not of the page: an
English Chromium shows <input type=date> as mm/dd/yyyy (so 05/11 is read as 11 May)
and a file input as "Choose File / No file chosen". Django's own DateField, too,
parses with the active language's formats, so an English page would read 05/11/2026
as 11 May. These fields parse and show one format whatever either language is:
dates as dd/mm/yyyy, money as Indonesians write it (2.600.000.000)."""

import re
from datetime import date

from django import forms
from django.db import models
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

DATE_PLACEHOLDER = _("hh/bb/tttt")
# What the browser accepts before sending; the server parses the same three shapes.
DATE_PATTERN = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_SHORT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}", re.ASCII)


def format_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def parse_date(text: str) -> date:
    """05/11/2026, 5-11-2026 and 2026-11-05 are all 5 November 2026. Only these
    shapes: a month-first date would be ambiguous, and a two-digit year could be 1926
    or 2026."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    elif _SHORT_YEAR.fullmatch(text):
        raise forms.ValidationError(
            _("Tulis tahun dengan empat angka, misalnya 05/11/2026."), code="short_year"
        )
    else:
        raise forms.ValidationError(
            _("Tulis tanggal sebagai hh/bb/tttt, misalnya 05/11/2026 untuk 5 November 2026."),
            code="invalid",
        )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise forms.ValidationError(
            _("Tanggal itu tidak ada di kalender. Periksa tanggal dan bulannya."),
            code="no_such_day",
        ) from None


class DateInput(forms.TextInput):
    """A text box for dd/mm/yyyy, with the phone's number keyboard."""

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": DATE_PLACEHOLDER,
            "pattern": DATE_PATTERN,
            "maxlength": 12,
            "class": "date-input",
            # static/js/app.js shows this instead of the browser's own (English) words
            # when the pattern does not match.
            "data-invalid-message": _("Tulis tanggal sebagai hh/bb/tttt, misalnya 05/11/2026."),
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        # A date given back (a refused form, filters from a link's ISO dates) is shown
        # in the one format; a value that is no date stays as typed, to be corrected.
        if isinstance(value, str):
            try:
                value = parse_date(value)
            except forms.ValidationError:
                pass
        if isinstance(value, date):
            return format_date(value)
        return super().format_value(value)


class DateField(forms.DateField):
    widget = DateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        return parse_date(str(value))


def date_formfield(field: models.Field, **kwargs) -> forms.Field | None:
    """formfield_callback for model forms: every model DateField becomes a DateField."""
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return field.formfield(form_class=DateField, **kwargs)
    return field.formfield(**kwargs)


# A rupiah amount typed with thousands separators, dots as Indonesians write them or
# commas as a spreadsheet in English may have copied them; a trailing ",00" or ",-"
# ("Rp 2.600.000,-") is the usual way of writing "no cents".
_MONEY = re.compile(r"\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d+", re.ASCII)
_MONEY_PREFIX = re.compile(r"^rp\.?", re.IGNORECASE)
_MONEY_SUFFIX = re.compile(r"(?:,00|,-|\.-)$")
# Far above any regency's budget, far below what the database column holds.
MONEY_MAX = 10**15


def parse_money(text: str) -> int:
    cleaned = re.sub(r"\s", "", _MONEY_PREFIX.sub("", text.strip()))
    cleaned = _MONEY_SUFFIX.sub("", cleaned)
    if not _MONEY.fullmatch(cleaned):
        raise forms.ValidationError(
            _("Tulis jumlah rupiah dengan angka, misalnya 2.600.000.000 atau 2600000000."),
            code="invalid",
        )
    return int(re.sub(r"\D", "", cleaned))


def format_money(value: int) -> str:
    """2.600.000.000, as the letters write it (without the "Rp" the label carries)."""
    return f"{value:,}".replace(",", ".")


class MoneyInput(forms.TextInput):
    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": "2.600.000.000",
            "class": "money-input",
            # static/js/app.js groups the digits again when the box is left.
            "data-money": "",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return format_money(value)
        return super().format_value(value)


class MoneyField(forms.IntegerField):
    """Whole rupiah: "2.600.000.000", "2600000000" and "Rp 2.600.000.000" are the
    same amount."""

    widget = MoneyInput
    default_error_messages = {
        "min_value": _("Jumlah paling sedikit Rp%(limit_value)s."),
        "max_value": _("Jumlah itu terlalu besar; periksa banyaknya angka nol."),
    }

    def __init__(self, *, min_value=1, max_value=MONEY_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        return parse_money(str(value))


class FileChooser(forms.FileInput):
    """A file input that says "Pilih berkas" / "Belum ada berkas" in the site's
    language: the real input stays in the page (visually hidden, still focusable and
    read by screen readers) and a label styled as a button opens it. static/js/app.js
    writes the chosen file's name next to it."""

    template = "includes/_file_chooser.html"

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["class"] = " ".join(filter(None, [attrs.get("class"), "file-chooser-input"]))
        input_id = attrs.get("id") or f"id_{name}"
        attrs["id"] = input_id
        attrs["aria-describedby"] = f"{input_id}-chosen"
        # Said by the browser (static/js/app.js) when a required file is missing.
        attrs.setdefault("data-invalid-message", _("Pilih berkasnya terlebih dahulu."))
        # A file kept from a refused try (finance's held scans) is named where the
        # chooser would say "Belum ada berkas": the person need not pick it again.
        kept = attrs.pop("data-kept", "")
        empty = _("Tetap dipakai: %(name)s") % {"name": kept} if kept else _("Belum ada berkas")
        context = {"name": name, "id": input_id, "attrs": flatatt(attrs), "empty": empty}
        return render_to_string(self.template, context)
