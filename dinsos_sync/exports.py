"""The two files the regency sends back: paid deaths for the social registry (so the
person leaves other programmes) and paid deaths Dukcapil has not recorded."""

from datetime import date

from django.utils import timezone

from dinsos_sync.selectors import paid_claims, paid_deaths_not_recorded
from santunan.spreadsheets import csv_text, xlsx_workbook

SOCIAL_HEADER = ["nik", "nama", "tanggal_meninggal", "kode_desa", "nomor_klaim", "tanggal_bayar"]
DUKCAPIL_HEADER = [
    "nik",
    "nama",
    "tanggal_meninggal",
    "kode_desa",
    "nomor_klaim",
    "tanggal_bayar",
    "status_dukcapil",
]


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return value.isoformat()


def social_feedback_rows(*, since: date | None = None) -> list[list[str]]:
    return [
        [
            c.deceased_nik,
            c.deceased_name,
            _day(c.death_date),
            c.desa_id,
            c.number or "",
            _day(c.paid_at),
        ]
        for c in paid_claims(since=since)
    ]


def dukcapil_followup_rows(*, since: date | None = None) -> list[list[str]]:
    return [
        [
            r.claim.deceased_nik,
            r.claim.deceased_name,
            _day(r.claim.death_date),
            r.claim.desa_id,
            r.claim.number or "",
            _day(r.claim.paid_at),
            str(r.registry_status),
        ]
        for r in paid_deaths_not_recorded(since=since)
    ]


def to_csv(header: list[str], rows) -> bytes:
    # With a BOM Excel opens UTF-8 correctly.
    return ("\ufeff" + csv_text(header, rows)).encode("utf-8")


def to_xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    # Every value as text: a NIK stored as a number would lose its 16th digit.
    return xlsx_workbook("data", header, ([str(value) for value in row] for row in rows))


REPORTS = {
    "social": (SOCIAL_HEADER, social_feedback_rows),
    "dukcapil": (DUKCAPIL_HEADER, dukcapil_followup_rows),
}


def render_report(report: str, fmt: str, *, since: date | None = None) -> bytes:
    header, rows = REPORTS[report]
    data = rows(since=since)
    return to_xlsx(header, data) if fmt == "xlsx" else to_csv(header, data)
