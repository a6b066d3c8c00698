from datetime import date

import pytest

from santunan.identity import (
    mask_name,
    mask_number,
    nik_birth_date,
    nik_problem,
    nik_sex,
    normalise_number,
)


def test_a_valid_nik_has_no_problem():
    assert nik_problem("3325011203500001") is None


@pytest.mark.parametrize(
    "value,words",
    [
        ("332501120350001", "16 angka"),
        ("33250112035000011", "16 angka"),
        ("3325O11203500001", "16 angka"),
        ("3325011203500001٣", "16 angka"),
        ("".join(chr(0x0660 + int(d)) for d in "3325011203500001"), "angka 0–9"),
        ("3325011203500000", "0000"),
        ("3325013202500001", "tanggal lahir"),
        ("3325017203500001", "tanggal lahir"),
        ("9925011203500001", "kode wilayah"),
    ],
)
def test_an_invalid_nik_is_explained(value, words):
    assert words in nik_problem(value)


def test_women_have_40_added_to_the_birth_day():
    assert nik_birth_date("3325014507800002", today=date(2026, 1, 1)) == date(1980, 7, 5)
    assert nik_sex("3325014507800002") == "P"
    assert nik_sex("3325011203500001") == "L"


def test_two_year_digits_take_the_latest_century_not_in_the_future():
    assert nik_birth_date("3325011203200001", today=date(2026, 1, 1)) == date(2020, 3, 12)
    assert nik_birth_date("3325011203300001", today=date(2026, 1, 1)) == date(1930, 3, 12)


def test_numbers_and_names_are_masked_for_lists():
    assert mask_number("3325011203500001") == "3325••••••••0001"
    assert mask_name("Siti Aminah") == "S*** A*****"


@pytest.mark.parametrize(
    "typed",
    [
        "".join(chr(0xFF10 + int(d)) for d in "3325011203500001"),  # full-width digits
        "3325 0112 0350 0001",
        "3325-0112-0350-0001",
        "3325.0112.0350.0001",
        "3325\u00a00112\u20130350 0001",  # no-break space and an en dash
        " 3325011203500001\n",
    ],
)
def test_every_way_of_typing_a_nik_takes_one_ascii_form(typed):
    assert normalise_number(typed) == "3325011203500001"
    assert nik_problem(typed) is None


def test_a_nik_of_seventeen_digits_says_how_many_were_typed():
    assert nik_problem("33250112035000011", label="NIK almarhum") == (
        "NIK almarhum harus 16 angka; yang diisi 17 angka."
    )


def test_digits_of_another_script_are_not_a_nik():
    # NFKC leaves Arabic-Indic digits alone, and only 0-9 are accepted.
    assert "0–9" in nik_problem("".join(chr(0x0660 + int(d)) for d in "3325011203500001"))
