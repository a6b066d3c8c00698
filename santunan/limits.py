"""How long a text and how old a date the service accepts. Without limits a 1 MB note
was stored and a birth year 0001 accepted; each limit is generous for real input."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

ADDRESS_MAX = 500
NOTE_MAX = 1000
REASON_MAX = 1000
# No claim concerns anyone born, deceased or paid before this day.
EARLIEST_DATE = date(1900, 1, 1)


def date_problem(value: date | None) -> str | None:
    if value is not None and value < EARLIEST_DATE:
        return _("Tanggal %(day)s terlalu lampau; tanggal sebelum tahun 1900 tidak diterima.") % {
            "day": formats.date_format(value, "j F Y")
        }
    return None


def validate_recent_date(value: date | None) -> None:
    if problem := date_problem(value):
        raise ValidationError(problem)


def length_problem(value: str, *, label: str, limit: int) -> str | None:
    if value and len(value) > limit:
        return _("%(label)s terlalu panjang (%(count)d huruf); paling banyak %(max)d huruf.") % {
            "label": label,
            "count": len(value),
            "max": limit,
        }
    return None
