"""The regional bank's files: the bulk-transfer CSV we send and the result CSV it
returns. Column layouts come from settings because each bank has its own."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from santunan.services import ClaimError
from santunan.spreadsheets import csv_text

TRANSFER_FIELDS = {"account", "holder", "amount", "reference", "bank"}
# The date and the bank's reference are what a paid claim is recorded with: a result
# file without them cannot pay anything, so their columns are required too.
RESULT_REQUIRED = {"reference", "amount", "status", "date", "bank_reference"}
RESULT_FIELDS = RESULT_REQUIRED | {"account", "reason"}
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


def _count_column(positions: dict[str, int], width: int) -> int | None:
    """Where the control row carries the number of rows: the reference column, unless
    the reference is the first column (the label's place); then the first column that
    is neither the label's nor the total's. None when the layout leaves no room."""
    reference = positions.get("reference")
    if reference is not None and reference != 0:
        return reference
    free = [i for i in range(1, width) if i != positions.get("amount")]
    return free[0] if free else None


def control_row(positions: dict[str, int], width: int, *, count: int, total: int) -> list[str]:
    """The last row of a bank file: BANK_CONTROL_LABEL in the first column, the total
    in the amount column and the number of rows in the count column. The bank checks
    our transfer file with it, and we check its result file the same way: a file cut
    off in transfer has lost it."""
    control = [""] * width
    count_at = _count_column(positions, width)
    if count_at is not None:
        control[count_at] = str(count)
    if "amount" in positions:
        control[positions["amount"]] = str(total)
    control[0] = settings.BANK_CONTROL_LABEL
    return control


def transfer_csv(rows: list[TransferRow]) -> str:
    """Header, one row per transfer, then the control row (see control_row)."""
    layout = _layout(settings.BANK_TRANSFER_COLUMNS, TRANSFER_FIELDS)
    fields = [field for field, _header in layout]
    positions = {field: i for i, field in enumerate(fields)}
    # Through the one spreadsheet writer: the holder's name is typed by a person, and
    # the bank's staff open this file in a spreadsheet.
    return csv_text(
        [header for _field, header in layout],
        ([getattr(row, field) for field in fields] for row in rows),
        delimiter=settings.BANK_CSV_DELIMITER,
        footer=[
            control_row(
                positions, len(fields), count=len(rows), total=sum(row.amount for row in rows)
            )
        ],
    )


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


def _result_layout() -> list[tuple[str, str]]:
    layout = _layout(settings.BANK_RESULT_COLUMNS, RESULT_FIELDS)
    absent = sorted(RESULT_REQUIRED - {field for field, _header in layout})
    if absent:
        raise BankFileError(
            _("Susunan kolom berkas hasil bank di pengaturan tidak memuat: %(fields)s")
            % {"fields": ", ".join(absent)}
        )
    return layout


@dataclass(frozen=True)
class ResultFormat:
    """What the upload page tells the treasurer the result file must look like."""

    columns: list[tuple[str, str, bool]]  # header, what it holds, required
    success_words: list[str]
    failure_words: list[str]
    control_label: str
    total_header: str
    count_header: str
    example: str

    @property
    def headers(self) -> str:
        return ", ".join(header for header, _meaning, _required in self.columns)


def result_format() -> ResultFormat:
    layout = _result_layout()
    meaning = {
        "reference": _("nomor klaim, sama dengan kolom referensi di berkas transfer"),
        "account": _("nomor rekening tujuan; bila diisi, harus sama dengan klaim"),
        "amount": _("nominal yang ditransfer, tanpa sen"),
        "status": _("hasil transfer"),
        "date": _("tanggal transfer oleh bank; wajib untuk transfer yang berhasil"),
        "bank_reference": _("nomor referensi bank; wajib untuk transfer yang berhasil"),
        "reason": _("alasan dari bank bila transfer gagal"),
    }
    positions = {field: i for i, (field, _header) in enumerate(layout)}
    headers = [header for _field, header in layout]
    count_at = _count_column(positions, len(layout))
    return ResultFormat(
        columns=[(header, meaning[field], field in RESULT_REQUIRED) for field, header in layout],
        success_words=list(settings.BANK_RESULT_SUCCESS),
        failure_words=list(settings.BANK_RESULT_FAILURE),
        control_label=settings.BANK_CONTROL_LABEL,
        total_header=headers[positions["amount"]],
        count_header=headers[count_at] if count_at is not None else "",
        example=example_result_csv(),
    )


def example_result_csv() -> str:
    """A small result file in the configured layout: one transfer that went through,
    one that bounced, and the control row. It is read back by parse_result in the
    tests, so the example shown to the treasurer is always one we accept."""
    layout = _result_layout()
    today = timezone.localdate()
    reference = f"SKM-{today.year}-000001", f"SKM-{today.year}-000002"
    rows = [
        {
            "reference": reference[0],
            "account": "1234567890",
            "amount": "1000000",
            "status": settings.BANK_RESULT_SUCCESS[0],
            "date": today.isoformat(),
            "bank_reference": "TRX0001",
            "reason": "",
        },
        {
            "reference": reference[1],
            "account": "9876543210",
            "amount": "1000000",
            "status": settings.BANK_RESULT_FAILURE[0],
            "date": today.isoformat(),
            "bank_reference": "TRX0002",
            "reason": "Rekening tidak aktif",
        },
    ]
    positions = {field: i for i, (field, _header) in enumerate(layout)}
    return csv_text(
        [header for _field, header in layout],
        ([row[field] for field, _header in layout] for row in rows),
        delimiter=settings.BANK_CSV_DELIMITER,
        footer=[control_row(positions, len(layout), count=len(rows), total=2_000_000)],
    )


def parse_result(data: bytes) -> list[ResultRow]:
    """Every row of a bank result file, or BankFileError for the whole file: a missing
    column, a row cut short, an unknown status or an unreadable amount, a success
    without the bank's date or reference, or a control row that is missing or does not
    add up means the file is damaged (for example cut off in transfer), and a damaged
    file changes nothing."""
    layout = _result_layout()
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
    count_at = _count_column(columns, len(header))
    rows: list[ResultRow] = []
    control: tuple[int | None, int | None, str, str] | None = None
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue

        def cell(field: str, cells=cells) -> str:
            at = columns.get(field)
            return cells[at].strip() if at is not None and at < len(cells) else ""

        if cells[0].strip().upper() == settings.BANK_CONTROL_LABEL.upper():
            if control is not None:
                raise BankFileError(
                    _("Baris %(line)d: baris kontrol kedua. Tidak ada yang diubah.")
                    % {"line": line}
                )
            count_text = (
                cells[count_at].strip() if count_at is not None and count_at < len(cells) else ""
            )
            total_text = cell("amount")
            control = (
                parse_amount(total_text) if total_text else None,
                int(count_text) if count_text.isdigit() else None,
                total_text,
                count_text,
            )
            continue
        if len(cells) != len(header):
            raise BankFileError(
                _(
                    "Baris %(line)d tidak lengkap (%(found)d dari %(expected)d kolom): berkas "
                    "terpotong atau rusak. Tidak ada yang diubah; minta berkas yang utuh dari bank."
                )
                % {"line": line, "found": len(cells), "expected": len(header)}
            )
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
        success = status in success_words
        # A payment is recorded with the bank's own date and reference; a success row
        # without them would pay the claim on a date the bank never stated.
        if success and paid_on is None:
            raise BankFileError(
                _(
                    "Baris %(line)d: transfer berhasil tanpa tanggal bank. Tidak ada yang "
                    "diubah; minta berkas yang lengkap dari bank."
                )
                % {"line": line}
            )
        if success and not cell("bank_reference"):
            raise BankFileError(
                _(
                    "Baris %(line)d: transfer berhasil tanpa nomor referensi bank. Tidak ada "
                    "yang diubah; minta berkas yang lengkap dari bank."
                )
                % {"line": line}
            )
        rows.append(
            ResultRow(
                line=line,
                reference=cell("reference"),
                amount=amount,
                success=success,
                account=re.sub(r"[\s.-]", "", cell("account")),
                paid_on=paid_on,
                bank_reference=cell("bank_reference"),
                reason=cell("reason"),
            )
        )
    _check_control(control, rows)
    return rows


def _check_control(control, rows: list[ResultRow]) -> None:
    """The control row must be there and agree with the rows: it is what tells a whole
    file from one cut off at a line break."""
    if control is None:
        raise BankFileError(
            _(
                'Baris kontrol "%(label)s" (jumlah nominal dan jumlah baris) tidak ada: berkas '
                "mungkin terpotong. Tidak ada yang diubah; minta berkas yang utuh dari bank."
            )
            % {"label": settings.BANK_CONTROL_LABEL}
        )
    total, count, total_text, count_text = control
    if total is None:
        raise BankFileError(
            _('Baris kontrol: jumlah nominal "%(amount)s" tidak terbaca. Tidak ada yang diubah.')
            % {"amount": total_text}
        )
    if count is None:
        raise BankFileError(
            _('Baris kontrol: jumlah baris "%(count)s" tidak terbaca. Tidak ada yang diubah.')
            % {"count": count_text}
        )
    if total != sum(row.amount for row in rows):
        raise BankFileError(
            _(
                "Jumlah kontrol berkas (%(control)s) tidak sama dengan jumlah barisnya "
                "(%(rows)s): berkas tidak utuh. Tidak ada yang diubah."
            )
            % {"control": total, "rows": sum(row.amount for row in rows)}
        )
    if count != len(rows):
        raise BankFileError(
            _(
                "Baris kontrol menyebut %(control)d baris, berkas berisi %(rows)d: berkas "
                "tidak utuh. Tidak ada yang diubah."
            )
            % {"control": count, "rows": len(rows)}
        )
