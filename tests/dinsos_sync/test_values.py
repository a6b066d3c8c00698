"""One reading of registry values for the file import and the HTTP API."""

from collections import Counter
from datetime import date

import pytest

from dinsos_sync.files import RowChecker
from dinsos_sync.records import MalformedPerson, person_from_json
from dinsos_sync.values import BadValue, Vocabulary, parse_date, parse_decile
from tests.conftest import DESA_A
from tests.dinsos_sync.conftest import DECEASED_NIK, person


@pytest.mark.parametrize("text", ["31-12-1950", "31/12/1950", "31.12.1950", "1950-12-31"])
def test_it_reads_day_first_and_iso_dates(text):
    assert parse_date(text) == date(1950, 12, 31)


@pytest.mark.parametrize("text", ["12/31/1950", "31-12-50", "kemarin", "1850-01-01"])
def test_it_refuses_what_is_not_a_date(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("value", "decile"), [("", None), (None, None), ("3", 3), (3, 3), ("3,0", 3), (10.0, 10)]
)
def test_it_reads_empty_numeric_and_textual_deciles(value, decile):
    assert parse_decile(value) == decile


@pytest.mark.parametrize("value", ["0", "11", "tiga", 2.5, True])
def test_it_refuses_a_decile_outside_one_to_ten(value):
    with pytest.raises(BadValue):
        parse_decile(value)


def test_the_api_accepts_what_the_file_import_accepts():
    data = {
        **person("social", tanggal_lahir="12/03/1950", desil="3", status_dtks="non-dtks"),
        "tanggal_update": "31-12-2024",
    }

    slamet = person_from_json(data)

    assert (slamet.birth_date, slamet.decile, slamet.dtks) == (date(1950, 3, 12), 3, False)
    assert slamet.updated_on == date(2024, 12, 31)


def test_the_api_accepts_an_empty_decile():
    assert person_from_json(person("social", desil="")).decile is None


def test_the_api_reads_a_mapped_status_word_and_keeps_the_person_of_an_unknown_one():
    data = person("social", status_dtks="NON_DTKS", desil="0")
    mapped = Vocabulary.builtin("social", {("status_dtks", "non_dtks"): "TIDAK"})
    unknown = Counter()

    assert person_from_json(data, mapped).dtks is False
    kept = person_from_json(data, unknown=unknown)
    assert (kept.nik, kept.dtks, kept.decile) == (DECEASED_NIK, None, None)
    assert unknown == {("status_dtks", "NON_DTKS"): 1, ("desil", "0"): 1}


def test_the_api_still_refuses_a_person_without_a_readable_nik():
    with pytest.raises(MalformedPerson):
        person_from_json(person("social", nik="3,32501E+15"))


def test_the_file_import_reads_the_same_mapped_word(wilayah):
    mapped = Vocabulary.builtin("social", {("status_dtks", "NON_DTKS"): "TIDAK"})
    checker = RowChecker("social", known_desa={DESA_A}, regency_code="33.25", vocabulary=mapped)
    row = person("social", status_dtks="NON_DTKS", desil="")

    result = checker.check(2, list(row.values()))

    assert result[0] == DECEASED_NIK and result[7] is False and result[8] is None
