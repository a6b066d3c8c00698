"""The regional bank's files: the bulk-transfer CSV we send and the result CSV it
returns. Column layouts come from settings because each bank has its own."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _

from santunan.services import ClaimError

TRANSFER_FIELDS = {"account", "holder", "amount", "reference", "bank"}
RESULT_REQUIRED = {"reference", "amount", "status"}
RESULT_FIELDS = RESULT_REQUIRED | {"account", "date", "bank_reference", "reason"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d")


class BankFileError(ClaimError):
    """The bank file cannot be read as a whole; nothing was changed."""


def _layout(pairs: list[str], allowed: set[str]) -> list[tuple[str, str]]:
    layout = []
    for pair in pairs:
        field, _sep, header = pair.partition("=")
        if field.strip() not in allowed or not header.strip():
            raise BankFileError(
                _("Susunan kolom berkas bank di pengaturan tidak dikenal: %(pair)s")
                % {"pair": pair}
            )
        layout.append((field.strip(), header.strip()))
    return layout


@dataclass(frozen=True)
class TransferRow:
    account: str
    holder: str
    amount: int
    reference: str
    bank: str


def transfer_csv(rows: list[TransferRow]) -> str:
    """Header, one row per transfer, then the control row: BANK_CONTROL_LABEL in the
    first column, the total in the amount column and the number of transfers in the
    reference column, which is how the bank checks the file arrived whole."""
    layout = _layout(settings.BANK_TRANSFER_COLUMNS, TRANSFER_FIELDS)
    fields = [field for field, _header in layout]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=settings.BANK_CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([header for _field, header in layout])
    for row in rows:
        writer.writerow([getattr(row, field) for field in fields])
    control = [""] * len(fields)
    if "reference" in fields:
        control[fields.index("reference")] = str(len(rows))
    if "amount" in fields:
        control[fields.index("amount")] = str(sum(row.amount for row in rows))
    control[0] = settings.BANK_CONTROL_LABEL
    writer.writerow(control)
    return out.getvalue()


@dataclass(frozen=True)
class ResultRow:
    line: int
    reference: str
    amount: int
    success: bool
    account: str = ""
    paid_on: date | None = None
    bank_reference: str = ""
    reason: str = ""


def parse_amount(value: str) -> int | None:
    text = value.strip().replace("Rp", "").replace(" ", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+[.,]\d{2}", text):  # 1000000.00: cents are always zero here
        return int(text[:-3]) if text.endswith("00") else None
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+([.,]00)?", text):
        digits = re.sub(r"[.,]00$", "", text) if re.search(r"[.,]\d{3}[.,]00$", text) else text
        return int(re.sub(r"[.,]", "", digits))
    return None


def _parse_date(value: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_result(data: bytes) -> list[ResultRow]:
    """Every row of a bank result file, or BankFileError for the whole file: a missing
    column, a row cut short, an unknown status or an unreadable amount means the file
    is damaged (for example cut off in transfer), and a damaged file changes nothing."""
    layout = _layout(settings.BANK_RESULT_COLUMNS, RESULT_FIELDS)
    text = _decode(data)
    lines = text.splitlines()
    if not lines:
        raise BankFileError(_("Berkas hasil bank kosong."))
    delimiter = next(
        (d for d in (settings.BANK_CSV_DELIMITER, ";", "\t", ",") if d in lines[0]),
        settings.BANK_CSV_DELIMITER,
    )
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    columns = {}
    for field, name in layout:
        if name.lower() in header:
            columns[field] = header.index(name.lower())
    missing = [name for field, name in layout if field in RESULT_REQUIRED and field not in columns]
    if missing:
        raise BankFileError(
            _("Kolom %(columns)s tidak ada di berkas hasil bank.") % {"columns": ", ".join(missing)}
        )
    success_words = {word.upper() for word in settings.BANK_RESULT_SUCCESS}
    failure_words = {word.upper() for word in settings.BANK_RESULT_FAILURE}
    rows: list[ResultRow] = []
    control_total = None
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if cells[0].strip().upper() == settings.BANK_CONTROL_LABEL.upper():
            if "amount" in columns and columns["amount"] < len(cells):
                control_total = parse_amount(cells[columns["amount"]])
            continue
        if len(cells) != len(header):
            raise BankFileError(
                _(
                    "Baris %(line)d tidak lengkap (%(found)d dari %(expected)d kolom): berkas "
                    "terpotong atau rusak. Tidak ada yang diubah; minta berkas yang utuh dari bank."
                )
                % {"line": line, "found": len(cells), "expected": len(header)}
            )

        def cell(field: str, cells=cells) -> str:
            return cells[columns[field]].strip() if field in columns else ""

        status = cell("status").upper()
        if status not in success_words | failure_words:
            raise BankFileError(
                _('Baris %(line)d: status "%(status)s" tidak dikenal. Tidak ada yang diubah.')
                % {"line": line, "status": cell("status")}
            )
        amount = parse_amount(cell("amount"))
        if amount is None:
            raise BankFileError(
                _('Baris %(line)d: nominal "%(amount)s" tidak terbaca. Tidak ada yang diubah.')
                % {"line": line, "amount": cell("amount")}
            )
        paid_on = _parse_date(cell("date")) if cell("date") else None
        if cell("date") and paid_on is None:
            raise BankFileError(
                _('Baris %(line)d: tanggal "%(date)s" tidak terbaca. Tidak ada yang diubah.')
                % {"line": line, "date": cell("date")}
            )
        rows.append(
            ResultRow(
                line=line,
                reference=cell("reference"),
                amount=amount,
                success=status in success_words,
                account=re.sub(r"[\s.-]", "", cell("account")),
                paid_on=paid_on,
                bank_reference=cell("bank_reference"),
                reason=cell("reason"),
            )
        )
    if control_total is not None and control_total != sum(row.amount for row in rows):
        raise BankFileError(
            _(
                "Jumlah kontrol berkas (%(control)s) tidak sama dengan jumlah barisnya "
                "(%(rows)s): berkas tidak utuh. Tidak ada yang diubah."
            )
            % {"control": control_total, "rows": sum(row.amount for row in rows)}
        )
    return rows
