"""The reports as tables, and those tables written as XLSX (streaming, write-only
mode: rows go to disk as they come) or as PDF (weasyprint, the letters' letterhead and
stylesheet). A report is a title and sections; a section is a heading, the column
headers, its rows (an iterator) and an optional total row."""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook

from office.selectors import letterhead_on
from reports import recap as data
from santunan.finance.letters import render_pdf, rupiah, tanggal
from santunan.rules import promise_words

Progress = Callable[[int], None]
PROGRESS_EVERY = 1000


@dataclass
class Section:
    heading: str
    headers: list[str]
    rows: Iterable[list]
    total: list | Callable[[], list] | None = None  # a callable: known after the rows
    money: set[int] = field(default_factory=set)  # columns holding rupiah


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]
    # Rows the report will hold, for the progress bar.
    size: int = 0


def recap_report(period: data.Period) -> Report:
    result = data.recap(period)
    total = result.total()
    rows = [
        [r.kecamatan, r.desa, r.received, r.paid, r.rejected, r.returned, r.paid_amount]
        for r in result.rows
    ]
    return Report(
        title="Rekapitulasi santunan kematian",
        subtitle=f"Klaim diajukan {period.label()}, per kecamatan dan desa/kelurahan",
        sections=[
            Section(
                heading="Rekap per desa dan kelurahan",
                headers=[
                    "Kecamatan",
                    "Desa/kelurahan",
                    "Diterima",
                    "Dibayar",
                    "Ditolak",
                    "Pernah dikembalikan",
                    "Jumlah dibayar (Rp)",
                ],
                rows=rows,
                total=[
                    "JUMLAH",
                    "",
                    total.received,
                    total.paid,
                    total.rejected,
                    total.returned,
                    total.paid_amount,
                ],
                money={6},
            ),
            Section(
                heading="Alasan penolakan",
                headers=["Nomor klaim", "Desa/kelurahan", "Alasan"],
                rows=[list(r) for r in result.rejections],
            ),
        ],
        size=len(rows) + len(result.rejections),
    )


def promise_report(period: data.Period) -> Report:
    rows = data.promise(period)
    return Report(
        title="Kepatuhan janji layanan",
        subtitle=f"Klaim diajukan {period.label()}: {promise_words(*period.bounds)}",
        sections=[
            Section(
                heading="Per kecamatan",
                headers=[
                    "Kecamatan",
                    "Tepat waktu",
                    "Terlambat",
                    "Persen tepat waktu",
                    "Belum diputus, lewat batas",
                ],
                rows=[
                    [
                        r.kecamatan,
                        r.kept,
                        r.missed,
                        "" if r.share is None else r.share,
                        r.waiting_late,
                    ]
                    for r in rows
                ],
                total=[
                    "JUMLAH",
                    sum(r.kept for r in rows),
                    sum(r.missed for r in rows),
                    "",
                    sum(r.waiting_late for r in rows),
                ],
            )
        ],
        size=len(rows),
    )


def payments_report(*, batch=None, period: data.Period | None = None) -> Report:
    lines = data.payments(batch_id=batch.pk if batch else None, period=period)
    totals = {"amount": 0, "count": 0}

    def rows() -> Iterator[list]:
        for line in lines:
            if line.result == "Berhasil":
                totals["amount"] += line.amount
                totals["count"] += 1
            yield [
                line.receipt_number,
                line.claim_number,
                line.heir_name,
                line.amount,
                line.paid_on,
                line.method,
                line.result,
            ]

    section = Section(
        heading="Pembayaran",
        headers=[
            "Nomor kuitansi",
            "Nomor klaim",
            "Ahli waris",
            "Jumlah (Rp)",
            "Tanggal bayar",
            "Cara bayar",
            "Hasil",
        ],
        rows=rows(),
        money={3},
        total=lambda: [
            "JUMLAH BERHASIL",
            "",
            f"{totals['count']} pembayaran",
            totals["amount"],
            "",
            "",
            "",
        ],
    )
    subtitle = f"Batch {batch.number}" if batch else f"Dibayar {period.label()}"
    return Report(title="Pertanggungjawaban pembayaran", subtitle=subtitle, sections=[section])


def _total(section: Section) -> list | None:
    return section.total() if callable(section.total) else section.total


def write_xlsx(report: Report, progress: Progress | None = None):
    """The report as an .xlsx in a temporary file at its start."""
    workbook = Workbook(write_only=True)
    done = 0
    for section in report.sections:
        sheet = workbook.create_sheet(section.heading[:31])
        sheet.append([report.title])
        sheet.append([report.subtitle])
        sheet.append(section.headers)
        for row in section.rows:
            sheet.append(row)
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done)
        total = _total(section)
        if total:
            sheet.append(total)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    if progress:
        progress(done)
    return handle


def _cell(value, money: bool) -> str:
    if isinstance(value, date):
        return tanggal(value)
    if money and isinstance(value, int):
        return rupiah(value)
    return "" if value is None else str(value)


def write_pdf(report: Report, progress: Progress | None = None) -> bytes:
    """The report on the letterhead of today, as the letters print it."""
    office = letterhead_on(timezone.localdate())
    sections = []
    done = 0
    for section in report.sections:
        rows = []
        for row in section.rows:
            rows.append([_cell(v, i in section.money) for i, v in enumerate(row)])
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done)
        total = _total(section)
        sections.append(
            {
                "heading": section.heading,
                "headers": section.headers,
                "rows": rows,
                "total": [_cell(v, i in section.money) for i, v in enumerate(total)]
                if total
                else None,
            }
        )
    html = render_to_string(
        "reports/pdf/report.html",
        {
            "title": report.title,
            "subtitle": report.subtitle,
            "sections": sections,
            "regency": office.regency,
            "office": office.office,
            "address": " ".join(filter(None, [office.address, office.postal_code])),
            "contact": ", ".join(filter(None, [office.phone, office.email])),
            "logo": "",
            "draft": False,
            "printed": tanggal(timezone.localdate()),
        },
    )
    if progress:
        progress(done)
    return render_pdf(html)
