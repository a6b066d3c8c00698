"""Printing a whole batch at once: every kuitansi (or transfer notice) as one PDF for
the printer, one page per letter in the batch's order, or as a ZIP of the single
letters with the daftar nominatif and the order to pay.

Both are made from the stored letters (documents.py), byte for byte the files a
single download gives: the QR code on each page is that letter's own and verifies."""

import io
import tempfile
import zipfile

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from filestore.storage import open_stream
from santunan.access import record_access, role_required
from santunan.finance import documents
from santunan.models import BatchItem, PayoutBatch, PayoutDocument, RenderState
from villages.roles import Role


def stale_letters(batch: PayoutBatch) -> int:
    """How many documents of the batch are missing or out of date."""
    items = documents._items(batch)
    head = documents._letterhead(batch)
    specs = [documents.batch_spec(batch, kind, items) for kind in documents.BATCH_KINDS]
    specs += [documents.claim_spec(batch, item, head) for item in items]
    stored = {(d.claim_id, d.kind): d for d in batch.documents.all()}
    return sum(
        1
        for spec in specs
        if (spec.claim_id, spec.kind) not in stored
        or not documents._is_current(stored[spec.claim_id, spec.kind], spec.digest)
    )


def in_preparation(batch: PayoutBatch) -> bool:
    """The worker has the batch's documents in hand (queued when the batch was signed,
    or by "Buat semua dokumen")."""
    return batch.render_state in (RenderState.QUEUED, RenderState.RUNNING)


def bring_up_to_date(batch: PayoutBatch) -> bool:
    """Render what changed when the batch is small enough for a request; a large batch
    must have been rendered by the worker ("Buat semua dokumen"), and a batch the worker
    is preparing is left to it rather than rendered twice. True when every document is
    current."""
    if in_preparation(batch):
        return stale_letters(batch) == 0
    if batch.items.count() <= settings.FINANCE_BACKGROUND_MIN_CLAIMS:
        documents.render_batch_documents(batch.pk)
        return True
    return stale_letters(batch) == 0


def claim_letters(batch: PayoutBatch) -> list[PayoutDocument]:
    """The stored letter of every claim still in the batch, in the batch's order
    (a failed transfer keeps its notice: the letter was issued)."""
    positions = dict(
        batch.items.exclude(outcome=BatchItem.Outcome.REMOVED).values_list("claim_id", "position")
    )
    letters = [
        d
        for d in batch.documents.filter(claim__isnull=False).select_related("claim")
        if d.claim_id in positions
    ]
    return sorted(letters, key=lambda d: positions[d.claim_id])


def merged_pdf(letters: list[PayoutDocument]) -> io.BytesIO:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for letter in letters:
        with open_stream(letter.file) as handle:
            writer.append(io.BytesIO(handle.read()))
    out = io.BytesIO()
    writer.write(out)
    out.seek(0)
    return out


def _file_name(document: PayoutDocument, prefix: str = "") -> str:
    return prefix + f"{document.kind}-{document.number}".replace("/", "-") + ".pdf"


def letters_zip(batch: PayoutBatch, letters: list[PayoutDocument]):
    handle = tempfile.SpooledTemporaryFile(max_size=50 * 1024 * 1024)
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
        for document in batch.documents.filter(claim__isnull=True).order_by("kind"):
            with open_stream(document.file) as source:
                archive.writestr(_file_name(document), source.read())
        for position, letter in enumerate(letters, start=1):
            with open_stream(letter.file) as source:
                archive.writestr(_file_name(letter, f"{position:04d}-"), source.read())
    handle.seek(0)
    return handle


def _prepared(request, pk: int):
    batch = get_object_or_404(PayoutBatch.objects.select_related("created_by"), pk=pk)
    if not bring_up_to_date(batch):
        if in_preparation(batch):
            messages.info(
                request,
                _("Surat batch ini sedang disiapkan; tautan cetak aktif setelah selesai."),
            )
        else:
            messages.error(
                request,
                _("Sebagian dokumen belum dibuat atau sudah berubah. Buat semua dokumen dulu."),
            )
        return batch, None
    letters = claim_letters(batch)
    for letter in letters:
        record_access(request, letter.claim, "cetak surat batch")
    return batch, letters


@role_required(Role.BENDAHARA)
def print_letters(request, pk):
    batch, letters = _prepared(request, pk)
    if letters is None:
        return redirect("finance:batch", pk=pk)
    name = f"surat-{batch.number}".replace("/", "-") + ".pdf"
    return FileResponse(merged_pdf(letters), content_type="application/pdf", filename=name)


@role_required(Role.BENDAHARA)
def download_zip(request, pk):
    batch, letters = _prepared(request, pk)
    if letters is None:
        return redirect("finance:batch", pk=pk)
    name = f"surat-{batch.number}".replace("/", "-") + ".zip"
    return FileResponse(
        letters_zip(batch, letters),
        as_attachment=True,
        filename=name,
        content_type="application/zip",
    )
