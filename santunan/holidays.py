"""Public holidays and collective leave, loaded one year at a time.

The government publishes each year's list (SKB 3 Menteri) and sometimes revises it, so
a year's file is that year's whole list: loading it again adds, renames and removes
days until the table matches the file. Working days (santunan.calendar) skip these
days for every deadline and service promise counted afterwards; what was already
counted and stored on a claim (its due date, its step days) stays as it was.

Before the office loads anything, the built-in calendar (the `holidays` package) gives
Indonesia's public holidays: `load_national_holidays` puts them in for a year, after
every migrate and when the worker starts, for this year and the next. It owns only the
days it wrote (Holiday.Source.CALENDAR); the office's days are never changed by it, and
a year for which the office recorded its own national list is left to the office."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

import holidays as holiday_calendar
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from santunan.models import Holiday

# Dates as offices type them: ISO, and day-month-year with - or / (Excel's Indonesian
# locale writes 17/08/2026).
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
DATE_COLUMNS = ("tanggal", "date")
NAME_COLUMNS = ("keterangan", "nama", "name")
NAME_MAX = Holiday._meta.get_field("name").max_length


class HolidayFileError(Exception):
    """A holiday file refused as a whole; `problems` name each bad line."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.message = message
        self.problems = problems or []
        super().__init__(message)


def parse_day(value) -> date | None:
    """A date from a cell, or None when it is not one of DATE_FORMATS."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def day_problem(value) -> str | None:
    if parse_day(value) is None:
        return _(
            'Tanggal "%(value)s" tidak dikenali; tulis seperti 2026-08-17 atau 17-08-2026.'
        ) % {"value": str(value or "").strip()[:40]}
    return None


@dataclass
class HolidayLoad:
    year: int
    added: int
    renamed: int
    removed: int
    total: int
    # The calendar stayed out: the office recorded this year's national days itself.
    left_to_office: bool = False


def _rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HolidayFileError(
            _("Berkas bukan teks UTF-8. Simpan dari spreadsheet sebagai CSV UTF-8.")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise HolidayFileError(_("Berkas kosong."))
    return [cell.strip().lower() for cell in rows[0]], rows[1:]


def read_holidays(*, year: int, data: bytes) -> dict[date, str]:
    """The days of a CSV with the columns `tanggal,keterangan`, all of them in `year`.
    Refused whole, with every bad line named, when any line is wrong."""
    header, rows = _rows(data)
    date_col = next((header.index(c) for c in DATE_COLUMNS if c in header), None)
    name_col = next((header.index(c) for c in NAME_COLUMNS if c in header), None)
    if date_col is None or name_col is None:
        raise HolidayFileError(
            _('Baris pertama harus berisi judul kolom "tanggal" dan "keterangan".')
        )
    days: dict[date, str] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (max(date_col, name_col) + 1 - len(row))
        raw, name = cells[date_col].strip(), cells[name_col].strip()
        day = parse_day(raw)
        if day is None:
            problems.append(
                _("Baris %(line)d: %(problem)s") % {"line": line, "problem": day_problem(raw)}
            )
            continue
        if day.year != year:
            problems.append(
                _("Baris %(line)d: tanggal %(day)s bukan tahun %(year)d.")
                % {"line": line, "day": day.strftime("%d-%m-%Y"), "year": year}
            )
        if not name:
            problems.append(_("Baris %(line)d: keterangan kosong.") % {"line": line})
        elif len(name) > NAME_MAX:
            problems.append(
                _("Baris %(line)d: keterangan lebih dari %(max)d huruf.")
                % {"line": line, "max": NAME_MAX}
            )
        if day in days:
            problems.append(
                _("Baris %(line)d: tanggal %(day)s sudah ada di baris sebelumnya.")
                % {"line": line, "day": day.strftime("%d-%m-%Y")}
            )
        days[day] = name
    if problems:
        raise HolidayFileError(
            _("Berkas hari libur ditolak; tidak ada yang diubah."), problems=problems
        )
    if not days:
        raise HolidayFileError(_("Berkas tidak berisi satu tanggal pun."))
    return days


def load_holidays(*, year: int, data: bytes) -> HolidayLoad:
    """Make the holidays of `year` exactly those of the file, in one transaction."""
    if not 1900 <= year <= 2100:
        raise HolidayFileError(_("Tahun %(year)s tidak masuk akal.") % {"year": year})
    days = read_holidays(year=year, data=data)
    try:
        return _store(year, days)
    except IntegrityError:
        # Another load of the same year added a day first; nothing of this one stays.
        raise HolidayFileError(
            _("Hari libur tahun ini sedang dimuat oleh proses lain; coba lagi.")
        ) from None


def source_from_name(name: str) -> str:
    """The office's kind of a day it lists in a file (SKB 3 Menteri lists both kinds):
    collective leave says so in its description."""
    if name.strip().lower().startswith("cuti bersama"):
        return Holiday.Source.COLLECTIVE_LEAVE
    return Holiday.Source.NATIONAL


def _store(year: int, days: dict[date, str]) -> HolidayLoad:
    with transaction.atomic():
        current = {
            h.date: h
            for h in Holiday.objects.select_for_update().filter(date__year=year).order_by("date")
        }
        gone = [day for day in current if day not in days]
        Holiday.objects.filter(date__in=gone).delete()
        added = renamed = 0
        for day, name in sorted(days.items()):
            holiday = current.get(day)
            source = source_from_name(name)
            if holiday is None:
                Holiday.objects.create(date=day, name=name, source=source)
                added += 1
            elif holiday.name != name or holiday.source != source:
                # The file is the office's list now: the calendar no longer owns the day.
                renamed += holiday.name != name
                holiday.name, holiday.source = name, source
                holiday.save(update_fields=["name", "source"])
    return HolidayLoad(year=year, added=added, renamed=renamed, removed=len(gone), total=len(days))


# --- the built-in national calendar ------------------------------------------------------

# Days the office keeps as its own national list; the calendar then stays out of the year.
OFFICE_NATIONAL = Holiday.Source.NATIONAL


def calendar_days(year: int) -> dict[date, str]:
    """Indonesia's public holidays of `year` by the `holidays` package, named in
    Indonesian. Islamic holidays of years the government has not yet fixed are the
    package's estimate ("perkiraan"); the office corrects them with its own list."""
    days = holiday_calendar.country_holidays("ID", years=year, language="id")
    return {day: name[:NAME_MAX] for day, name in sorted(days.items())}


def load_national_holidays(*, year: int) -> HolidayLoad:
    """Bring the calendar's days of `year` in: added where the date is free, renamed
    where the calendar renamed its own day, removed where the calendar moved its own day
    (an estimated date made firm). Idempotent. Days the office added are never touched,
    and a year for which the office recorded national days (`load_holidays`, or by hand)
    is the office's: nothing changes in it."""
    if not 1900 <= year <= 2100:
        raise HolidayFileError(_("Tahun %(year)s tidak masuk akal.") % {"year": year})
    days = calendar_days(year)
    try:
        with transaction.atomic():
            rows = {
                h.date: h
                for h in Holiday.objects.select_for_update()
                .filter(date__year=year)
                .order_by("date")
            }
            if any(h.source == OFFICE_NATIONAL for h in rows.values()):
                return HolidayLoad(
                    year=year, added=0, renamed=0, removed=0, total=0, left_to_office=True
                )
            ours = {day: h for day, h in rows.items() if h.source == Holiday.Source.CALENDAR}
            gone = [day for day in ours if day not in days]
            Holiday.objects.filter(date__in=gone, source=Holiday.Source.CALENDAR).delete()
            added = renamed = 0
            for day, name in days.items():
                holiday = rows.get(day)
                if holiday is None:
                    Holiday.objects.create(date=day, name=name, source=Holiday.Source.CALENDAR)
                    added += 1
                elif day in ours and holiday.name != name:
                    holiday.name = name
                    holiday.save(update_fields=["name"])
                    renamed += 1
    except IntegrityError:
        # Another process (a second worker starting) added the same day first.
        raise HolidayFileError(
            _("Hari libur tahun ini sedang dimuat oleh proses lain; coba lagi.")
        ) from None
    return HolidayLoad(year=year, added=added, renamed=renamed, removed=len(gone), total=len(days))


def load_coming_holidays(today: date | None = None) -> list[HolidayLoad]:
    """This year's and next year's calendar days: what a deadline counted today can
    reach (a 60-day deadline in November ends in the next year)."""
    year = (today or timezone.localdate()).year
    return [load_national_holidays(year=y) for y in (year, year + 1)]
