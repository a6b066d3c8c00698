"""Claims as a spreadsheet for the office: the archive search, one row per claim.

NIKs are masked as on screen: the file leaves the application (mail, USB sticks,
shared folders) and its uses (counting, reporting, follow-up by claim number) do not
need the full numbers; whoever needs one opens the claim, which is logged."""

import tempfile
from collections.abc import Iterable

from django.utils.translation import gettext as _

from santunan.identity import mask_number
from santunan.models import Claim
from santunan.spreadsheets import XLSX_CONTENT_TYPE, safe_text, xlsx_workbook

__all__ = ["XLSX_CONTENT_TYPE", "archive_columns", "archive_workbook", "safe_text"]


def archive_columns() -> list[tuple[str, object]]:
    """(header, how to read it from a claim), in the UI language."""
    return [
        (_("Nomor klaim"), lambda c: c.number),
        (_("Status"), lambda c: c.get_status_display()),
        (_("Desa/kelurahan"), lambda c: c.desa.name),
        (_("Kecamatan"), lambda c: c.desa.kecamatan.name),
        (_("Nama almarhum"), lambda c: c.deceased_name),
        (_("NIK almarhum"), lambda c: mask_number(c.deceased_nik)),
        (_("Tanggal meninggal"), lambda c: c.death_date),
        (_("Nama ahli waris"), lambda c: c.heir_name),
        (_("NIK ahli waris"), lambda c: mask_number(c.heir_nik)),
        (_("Hubungan dengan almarhum"), lambda c: c.get_heir_relation_display()),
        (_("Cara pembayaran"), lambda c: c.get_payout_method_display()),
        (_("Besaran (Rp)"), lambda c: c.amount),
        (_("Pertama diajukan"), lambda c: c.first_submitted_at),
        (_("Batas layanan"), lambda c: c.due_date),
        (_("Diverifikasi"), lambda c: c.verified_at),
        (_("Disetujui"), lambda c: c.approved_at),
        (_("Dibayar"), lambda c: c.paid_at),
        (_("Alasan terakhir"), lambda c: c.last_reason),
    ]


def archive_workbook(claims: Iterable[Claim]):
    """An .xlsx of the claims in a temporary file, positioned at its start: written row
    by row (write-only mode), so a year of claims never sits in memory as cells."""
    columns = archive_columns()
    handle = tempfile.TemporaryFile()
    xlsx_workbook(
        _("Arsip klaim"),
        [header for header, _read in columns],
        ([read(claim) for _header, read in columns] for claim in claims),
        target=handle,
    )
    handle.seek(0)
    return handle
