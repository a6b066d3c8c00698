"""The feedback files for both registries, from the command."""

import csv

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from santunan.models import Status
from tests.dinsos_sync.conftest import DECEASED_NIK, OTHER_NIK, person
from tests.santunan.test_spreadsheets import assert_no_formula_in_csv, assert_no_formula_in_xlsx


def test_the_social_feedback_lists_every_paid_death(make_claim, tmp_path):
    paid = make_claim(status=Status.PAID)
    make_claim(status=Status.APPROVED, deceased_nik=OTHER_NIK)
    out = tmp_path / "feedback.csv"

    call_command("registry_feedback", "--report", "social", "--output", str(out))

    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == [
        "nik",
        "nama",
        "tanggal_meninggal",
        "kode_desa",
        "nomor_klaim",
        "tanggal_bayar",
    ]
    assert rows[1][:5] == [
        DECEASED_NIK,
        "Slamet",
        paid.death_date.isoformat(),
        paid.desa_id,
        paid.number,
    ]
    assert len(rows) == 2


def test_the_xlsx_keeps_niks_as_text(make_claim, tmp_path):
    make_claim(status=Status.PAID)
    out = tmp_path / "feedback.xlsx"

    call_command("registry_feedback", "--format", "xlsx", "--output", str(out))

    assert load_workbook(out).active["A2"].value == DECEASED_NIK


def test_the_dukcapil_report_lists_paid_deaths_it_has_not_recorded(
    make_claim, load_registry, tmp_path
):
    load_registry(
        "population",
        [
            person("population", status_hidup="HIDUP", tanggal_meninggal=""),
            person("population", nik=OTHER_NIK, nama="SUTRISNO"),
        ],
    )
    make_claim(status=Status.PAID)
    make_claim(status=Status.PAID, deceased_nik=OTHER_NIK, deceased_name="Sutrisno")
    make_claim(status=Status.PAID, deceased_nik="3325012909450005", deceased_name="Darmo")
    out = tmp_path / "dukcapil.csv"

    call_command("registry_feedback", "--report", "dukcapil", "--output", str(out))

    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))[1:]
    assert {(row[0], row[-1]) for row in rows} == {
        (DECEASED_NIK, "tercatat masih hidup"),
        ("3325012909450005", "tidak ditemukan di Dukcapil"),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_hostile_name_is_text_in_the_feedback_files(make_claim, tmp_path, fmt):
    make_claim(status=Status.PAID, deceased_name='=HYPERLINK("http://evil.example","klik")')
    out = tmp_path / f"feedback.{fmt}"

    call_command("registry_feedback", "--format", fmt, "--output", str(out))

    if fmt == "csv":
        assert_no_formula_in_csv(out.read_text(encoding="utf-8-sig"))
    else:
        assert_no_formula_in_xlsx(out)
