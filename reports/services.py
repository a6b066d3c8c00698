"""Asking for a report and building it (in the worker)."""

import logging

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import tables
from reports.models import ReportRun
from reports.recap import Period
from santunan.models import PayoutBatch
from villages.roles import DINSOS_ROLES, has_role

logger = logging.getLogger(__name__)


class ReportError(Exception):
    """A report request that cannot be made; the message is shown to the user."""


def request_report(
    *,
    user,
    kind: str,
    file_format: str,
    year: int | None = None,
    month: int | None = None,
    batch_id: int | None = None,
) -> ReportRun:
    """Record the request and queue it for the worker once it is committed."""
    if not has_role(user, *DINSOS_ROLES):
        raise ReportError(_("Anda tidak berhak membuat laporan."))
    if kind not in ReportRun.Kind.values or file_format not in ReportRun.Format.values:
        raise ReportError(_("Jenis laporan tidak dikenal."))
    batch = None
    if kind == ReportRun.Kind.PAYMENTS and batch_id:
        batch = PayoutBatch.objects.filter(pk=batch_id).first()
        if batch is None:
            raise ReportError(_("Batch pembayaran tidak ditemukan."))
    elif not year:
        raise ReportError(_("Pilih tahunnya."))
    if month and not 1 <= month <= 12:
        raise ReportError(_("Bulan tidak dikenal."))
    with transaction.atomic():
        run = ReportRun.objects.create(
            kind=kind,
            file_format=file_format,
            year=None if batch else year,
            month=None if batch else (month or None),
            batch=batch,
            requested_by=user,
        )
        from reports.tasks import build_report_task

        transaction.on_commit(lambda: build_report_task.enqueue(run.pk))
    return run


def _report(run: ReportRun) -> tables.Report:
    period = Period(run.year, run.month) if run.year else None
    if run.kind == ReportRun.Kind.RECAP:
        return tables.recap_report(period)
    if run.kind == ReportRun.Kind.PROMISE:
        return tables.promise_report(period)
    return tables.payments_report(batch=run.batch, period=period)


# The file a person downloads is named in the office's language, with what it holds.
FILE_NAMES = {
    ReportRun.Kind.RECAP: "rekap-santunan-kematian",
    ReportRun.Kind.PROMISE: "kepatuhan-janji-layanan",
    ReportRun.Kind.PAYMENTS: "pertanggungjawaban-pembayaran",
}


def file_name(run: ReportRun) -> str:
    """rekap-santunan-kematian-2026-03.xlsx, pertanggungjawaban-pembayaran-batch-….pdf"""
    if run.batch_id:
        period = "batch-" + run.batch.number.replace("/", "-")
    else:
        period = str(run.year) + (f"-{run.month:02d}" if run.month else "")
    return f"{FILE_NAMES[run.kind]}-{period}.{run.file_format}"


def build_report(run_id: int) -> None:
    """Build the file, saving progress on the run row for the page that polls it."""
    run = ReportRun.objects.select_related("batch", "requested_by").get(pk=run_id)
    ReportRun.objects.filter(pk=run_id).update(state=ReportRun.State.RUNNING)
    try:
        report = _report(run)
        ReportRun.objects.filter(pk=run_id).update(rows_total=report.size)

        def progress(done: int) -> None:
            ReportRun.objects.filter(pk=run_id).update(rows_done=done)

        name = file_name(run)
        if run.file_format == ReportRun.Format.XLSX:
            with tables.write_xlsx(report, progress) as handle:
                run.file.save(name, File(handle), save=False)
        else:
            # Dated the day it was asked for: the officials of that day sign it.
            day = timezone.localtime(run.requested_at).date()
            pdf = tables.write_pdf(
                report,
                progress,
                day=day,
                prepared_by=run.requested_by.get_full_name() or run.requested_by.username,
            )
            run.file.save(name, ContentFile(pdf), save=False)
    except Exception as error:
        logger.exception("building report %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(
            state=ReportRun.State.FAILED, error=str(error)[:500]
        )
        raise
    run.refresh_from_db(fields=["rows_done", "rows_total"])
    run.state, run.finished_at = ReportRun.State.DONE, timezone.now()
    run.rows_total = max(run.rows_total, run.rows_done)
    run.save(update_fields=["file", "state", "finished_at", "rows_total"])
