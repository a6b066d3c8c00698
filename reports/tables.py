"""The reports as tables, and those tables written as XLSX (streaming, write-only
mode: rows go to disk as they come) or as PDF (weasyprint, the letters' letterhead and
stylesheet). A report is a title, the period basis it counts by, and sections; a
section is a heading, the column headers, its rows (an iterator) and an optional total
row. The PDF closes with the signatures of the officials in office on its date."""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook

from office.selectors import head_on, letterhead_on, treasurer_on
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
    # Which date puts a claim or a payment in the period: a reader comparing two
    # reports (or a report and the dashboard) must know whether they count alike.
    basis: str = ""
    # The payments' accountability is the treasurer's; the other reports are signed by
    # whoever prepared them.
    treasurer_signs: bool = False


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
        basis=(
            "Dasar periode: tanggal klaim pertama diajukan. Dibayar dan jumlah dibayar: "
            "klaim itu yang sudah dibayar, kapan pun dibayarnya."
        ),
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
    # The total's share is of all decided claims, not the mean of the kecamatan's shares.
    total = data.PromiseRow(
        "JUMLAH",
        kept=sum(r.kept for r in rows),
        missed=sum(r.missed for r in rows),
        waiting_late=sum(r.waiting_late for r in rows),
    )
    return Report(
        title="Kepatuhan janji layanan",
        subtitle=f"Klaim diajukan {period.label()}: {promise_words(*period.bounds)}",
        basis=("Dasar periode: tanggal klaim pertama diajukan, kapan pun klaim itu diputus."),
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
                    total.kept,
                    total.missed,
                    "" if total.share is None else total.share,
                    total.waiting_late,
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
    basis = (
        f"Semua pembayaran yang dicatat pada batch {batch.number}, kapan pun dibayarnya."
        if batch
        else "Dasar periode: tanggal bayar, kapan pun klaimnya diajukan."
    )
    return Report(
        title="Pertanggungjawaban pembayaran",
        subtitle=subtitle,
        sections=[section],
        basis=basis,
        treasurer_signs=True,
    )


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
        sheet.append([report.basis])
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


def signatures(report: Report, day: date, prepared_by: str) -> dict:
    """The "Mengetahui" block: the head of office on the report's date at the left; at
    the right the treasurer on that date (payments) or whoever prepared the report.
    A position nobody held that day prints dotted lines to sign on, as the letters do."""
    head = head_on(day)
    context = {
        "head_title": (head and head.title) or settings.OFFICE_HEAD_TITLE,
        "head_name": head.name if head else "",
        "head_nip": head.nip if head else "",
        "treasurer_signs": report.treasurer_signs,
        "prepared_by": prepared_by,
    }
    if report.treasurer_signs:
        treasurer = treasurer_on(day)
        context["treasurer_name"] = treasurer.name if treasurer else ""
        context["treasurer_nip"] = treasurer.nip if treasurer else ""
    return context


def write_pdf(
    report: Report,
    progress: Progress | None = None,
    *,
    day: date | None = None,
    prepared_by: str = "",
) -> bytes:
    """The report on the letterhead of its date (the day it was asked for), as the
    letters print it, signed by the officials in office that day."""
    day = day or timezone.localdate()
    office = letterhead_on(day)
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
            "basis": report.basis,
            "sections": sections,
            "regency": office.regency,
            "office": office.office,
            "address": " ".join(filter(None, [office.address, office.postal_code])),
            "contact": ", ".join(filter(None, [office.phone, office.email])),
            "logo": "",
            "draft": False,
            "printed": tanggal(day),
            "place_date": f"{office.place}, {tanggal(day)}",
            **signatures(report, day, prepared_by),
        },
    )
    if progress:
        progress(done)
    return render_pdf(html)
