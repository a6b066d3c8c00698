"""Indonesia's public holidays from the built-in calendar: loaded by migrate, by the
worker and by `load_national_holidays`, never over the days the office added."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from santunan.calendar import add_working_days
from santunan.holidays import load_holidays
from santunan.models import Holiday

pytestmark = pytest.mark.django_db

Source = Holiday.Source


def national(*years: str) -> str:
    out = StringIO()
    call_command("load_national_holidays", *years, stdout=out)
    return out.getvalue()


def days(year: int) -> dict[date, tuple[str, str]]:
    return {h.date: (h.name, h.source) for h in Holiday.objects.filter(date__year=year)}


@override_settings(HOLIDAYS_AUTOLOAD=True)
def test_a_fresh_installation_knows_christmas_of_this_year_and_the_next():
    assert not Holiday.objects.exists()

    call_command("migrate", verbosity=0)

    this_year = timezone.localdate().year
    for christmas in (date(this_year, 12, 25), date(this_year + 1, 12, 25)):
        holiday = Holiday.objects.get(date=christmas)
        assert (holiday.name, holiday.source) == ("Hari Raya Natal", Source.CALENDAR)
        assert add_working_days(christmas - timedelta(days=1), 1) != christmas


def test_three_working_days_do_not_count_christmas():
    national("2026")

    # Thursday 24 December 2026 + 3 working days: Monday 28, Tuesday 29, Wednesday 30;
    # Friday 25 is Christmas.
    assert add_working_days(date(2026, 12, 24), 3) == date(2026, 12, 30)


def test_the_calendar_names_its_days_in_indonesian_and_marks_estimates():
    national("2027")

    loaded = days(2027)
    assert loaded[date(2027, 8, 17)] == ("Hari Kemerdekaan Republik Indonesia", Source.CALENDAR)
    assert loaded[date(2027, 3, 10)][0] == "Hari Raya Idul Fitri (perkiraan)"


def test_without_years_the_command_loads_this_year_and_the_next():
    out = national()

    this_year = timezone.localdate().year
    assert f"Hari libur {this_year} (kalender bawaan)" in out
    assert f"Hari libur {this_year + 1} (kalender bawaan)" in out
    assert Holiday.objects.filter(date__year=this_year + 2).count() == 0


def test_the_yearly_load_is_idempotent_and_keeps_the_offices_days():
    first = national("2027")
    Holiday.objects.create(
        date=date(2027, 3, 9), name="Cuti bersama Nyepi", source=Source.COLLECTIVE_LEAVE
    )
    Holiday.objects.create(
        date=date(2027, 4, 21), name="Hari jadi Kabupaten", source=Source.REGIONAL
    )
    # The office named a calendar date its own way and made it a regional day.
    Holiday.objects.filter(date=date(2027, 6, 1)).update(
        name="Hari Lahir Pancasila dan upacara kabupaten", source=Source.REGIONAL
    )
    before = days(2027)

    again = national("2027")

    assert "ditambah" in first and first != again
    assert again.endswith("0 ditambah, 0 diubah keterangannya, 0 dihapus.\n")
    assert days(2027) == before
    assert before[date(2027, 3, 9)] == ("Cuti bersama Nyepi", Source.COLLECTIVE_LEAVE)
    assert before[date(2027, 6, 1)][1] == Source.REGIONAL


def test_a_day_the_calendar_moved_is_removed_and_the_new_one_added():
    national("2027")
    # As if an earlier calendar had estimated Idul Fitri a day later.
    Holiday.objects.filter(date=date(2027, 3, 10)).update(date=date(2027, 3, 12))
    Holiday.objects.create(
        date=date(2027, 3, 15), name="Cuti bersama", source=Source.COLLECTIVE_LEAVE
    )

    out = national("2027")

    assert "1 ditambah, 0 diubah keterangannya, 1 dihapus" in out
    assert date(2027, 3, 10) in days(2027) and date(2027, 3, 12) not in days(2027)
    assert days(2027)[date(2027, 3, 15)] == ("Cuti bersama", Source.COLLECTIVE_LEAVE)


def test_a_year_the_office_loaded_from_its_file_is_left_to_the_office():
    national("2027")
    load_holidays(
        year=2027,
        data=(
            b"tanggal,keterangan\n"
            b"2027-01-01,Tahun Baru 2027 Masehi\n"
            b"2027-03-11,Idul Fitri 1448 H\n"
            b"2027-03-12,Cuti bersama Idul Fitri\n"
        ),
    )
    office = {
        date(2027, 1, 1): ("Tahun Baru 2027 Masehi", Source.NATIONAL),
        date(2027, 3, 11): ("Idul Fitri 1448 H", Source.NATIONAL),
        date(2027, 3, 12): ("Cuti bersama Idul Fitri", Source.COLLECTIVE_LEAVE),
    }
    assert days(2027) == office

    out = national("2027")

    assert "daftar libur nasional dicatat kantor" in out
    assert days(2027) == office


def test_a_bad_year_is_refused_with_a_sentence():
    with pytest.raises(Exception, match="Tahun 1066 tidak masuk akal"):
        national("1066")
    assert not Holiday.objects.exists()


@pytest.mark.django_db(transaction=True)
@override_settings(HOLIDAYS_AUTOLOAD=True)
def test_the_worker_loads_this_year_and_the_next_when_it_starts():
    Holiday.objects.create(
        date=date(timezone.localdate().year, 12, 31),
        name="Cuti bersama",
        source=Source.COLLECTIVE_LEAVE,
    )

    call_command("run_worker", "--batch", verbosity=0, stdout=StringIO())

    this_year = timezone.localdate().year
    assert Holiday.objects.filter(date=date(this_year + 1, 12, 25), source=Source.CALENDAR).exists()
    assert Holiday.objects.get(date=date(this_year, 12, 31)).source == Source.COLLECTIVE_LEAVE


@pytest.mark.django_db(transaction=True)
def test_with_autoload_off_the_worker_leaves_the_table_alone():
    call_command("run_worker", "--batch", verbosity=0, stdout=StringIO())

    assert not Holiday.objects.exists()
