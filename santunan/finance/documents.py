"""Payout documents: what each PDF prints, when it must be rendered again, and the
signed token its QR code carries.

A document's inputs (every value printed on it, the letterhead settings and the
layout files) are hashed. The file is rendered again only when that hash changes, and
the token carries the hash, so a printout made before the data changed no longer
verifies as valid."""

import base64
import hashlib
import json
import logging
import mimetypes
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from santunan.finance.letters import render_many, render_pdf, rupiah, tanggal, terbilang
from santunan.finance.letters.pdf import STYLESHEET
from santunan.identity import mask_number
from santunan.models import (
    BatchItem,
    BatchStatus,
    Claim,
    DocumentType,
    PayoutBatch,
    PayoutDocument,
    RenderState,
)

logger = logging.getLogger(__name__)

TOKEN_SALT = "santunan.finance.document"
TEMPLATES = {
    DocumentType.RECEIPT: "finance/letters/kuitansi.html",
    DocumentType.TRANSFER_NOTICE: "finance/letters/pemberitahuan_transfer.html",
    DocumentType.NOMINATIVE_LIST: "finance/letters/daftar_nominatif.html",
    DocumentType.PAYMENT_ORDER: "finance/letters/perintah_bayar.html",
}
BATCH_KINDS = (DocumentType.PAYMENT_ORDER, DocumentType.NOMINATIVE_LIST)
BATCH_TITLE = "Surat Perintah Membayar"
METHOD_LABELS = {
    Claim.PayoutMethod.CASH: "tunai di kantor",
    Claim.PayoutMethod.TRANSFER: "transfer bank",
}


@cache
def _layout_digest() -> str:
    """Digest of the letter templates and stylesheet: a changed layout is changed data."""
    digest = hashlib.sha256()
    for path in sorted(STYLESHEET.parent.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@cache
def _logo(path: str) -> str:
    if not path:
        return ""
    content_type = mimetypes.guess_type(path)[0] or "image/png"
    return f"data:{content_type};base64," + base64.b64encode(Path(path).read_bytes()).decode()


def _letterhead(batch: PayoutBatch) -> dict:
    return {
        "regency": settings.REGENCY_NAME,
        "office": settings.OFFICE_NAME,
        "address": settings.OFFICE_ADDRESS,
        "logo_path": settings.LETTERHEAD_LOGO,
        "place": settings.LETTER_PLACE,
        "head_title": settings.OFFICE_HEAD_TITLE,
        "head_name": batch.signer_name,
        "head_nip": batch.signer_nip,
        "treasurer_name": settings.TREASURER_NAME or batch.created_by.get_full_name(),
        "treasurer_nip": settings.TREASURER_NIP,
        "draft": batch.status == BatchStatus.DRAFTED,
        "date": tanggal(batch.letter_date),
        "batch_number": batch.number,
        "batch_title": BATCH_TITLE,
        "year": batch.year,
        "method": METHOD_LABELS[batch.payout_method],
        "transfer": batch.payout_method == Claim.PayoutMethod.TRANSFER,
    }


@dataclass
class Spec:
    """Everything needed to render one document and to know whether it changed."""

    kind: str
    claim_id: int | None
    number: str
    amount: int
    inputs: dict = field(repr=False)

    @property
    def digest(self) -> str:
        payload = json.dumps(
            {"layout": _layout_digest(), "kind": self.kind, "inputs": self.inputs},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def _claim_values(claim: Claim) -> dict:
    return {
        "claim_number": claim.number,
        "deceased_name": claim.deceased_name,
        "heir_name": claim.heir_name,
        "heir_nik": mask_number(claim.heir_nik),
        "heir_relation": claim.get_heir_relation_display(),
        "desa": claim.desa.name,
        "kecamatan": claim.desa.kecamatan.name,
        "bank_name": claim.bank_name,
        "account": mask_number(claim.bank_account),
        "account_holder": claim.bank_account_holder,
    }


def claim_spec(batch: PayoutBatch, item: BatchItem, head: dict | None = None) -> Spec:
    kind = (
        DocumentType.RECEIPT
        if batch.payout_method == Claim.PayoutMethod.CASH
        else DocumentType.TRANSFER_NOTICE
    )
    number = f"{batch.number}/{item.position:04d}"
    inputs = {
        **(head or _letterhead(batch)),
        **_claim_values(item.claim),
        "number": number,
        "amount": rupiah(item.amount),
        "amount_words": terbilang(item.amount),
    }
    return Spec(kind=kind, claim_id=item.claim_id, number=number, amount=item.amount, inputs=inputs)


def batch_spec(batch: PayoutBatch, kind: str, items: list[BatchItem]) -> Spec:
    total = sum(item.amount for item in items)
    inputs = {
        **_letterhead(batch),
        "number": batch.number,
        "count": len(items),
        "total": rupiah(total),
        "total_words": terbilang(total),
        "place_date": f"{settings.LETTER_PLACE}, {tanggal(batch.letter_date)}",
    }
    if kind == DocumentType.NOMINATIVE_LIST:
        inputs["rows"] = [
            {**_claim_values(item.claim), "amount": rupiah(item.amount)} for item in items
        ]
    return Spec(kind=kind, claim_id=None, number=batch.number, amount=total, inputs=inputs)


def _items(batch: PayoutBatch) -> list[BatchItem]:
    return list(
        batch.items.exclude(outcome=BatchItem.Outcome.REMOVED)
        .select_related("claim__desa__kecamatan")
        .order_by("position")
    )


def make_token(document_id: int, digest: str) -> str:
    # Only the document id and part of its hash: no personal data in the URL.
    return signing.dumps({"d": document_id, "h": digest[:20]}, salt=TOKEN_SALT)


def read_token(token: str) -> dict | None:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not {"d", "h"} <= payload.keys():
        return None
    return payload


def verify_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("finance_public:verify", args=[token])


def _html(spec: Spec, document_id: int, digest: str) -> str:
    url = verify_url(make_token(document_id, digest))
    # PNG rather than SVG: weasyprint draws a raster QR in a fraction of the time. A
    # fixed mask skips segno's search for the best of eight (most of its time); any
    # mask gives a valid, scannable code.
    qr = segno.make(url, error="m", mask=0, boost_error=False).png_data_uri(scale=4, border=2)
    context = {
        **spec.inputs,
        "logo": _logo(spec.inputs["logo_path"]),
        "qr": qr,
        "verify_url": url,
    }
    return render_to_string(TEMPLATES[spec.kind], context)


def _row(batch: PayoutBatch, spec: Spec) -> PayoutDocument:
    document, _created = PayoutDocument.objects.get_or_create(
        batch=batch,
        claim_id=spec.claim_id,
        kind=spec.kind,
        defaults={
            "number": spec.number,
            "issued_on": batch.letter_date,
            "amount": spec.amount,
            "generated_at": timezone.now(),
        },
    )
    return document


def _store(document: PayoutDocument, spec: Spec, digest: str, pdf: bytes, batch) -> None:
    old = document.file.name
    document.file.save("letter.pdf", ContentFile(pdf), save=False)
    document.number, document.amount, document.issued_on = (
        spec.number,
        spec.amount,
        batch.letter_date,
    )
    document.input_hash, document.generated_at = digest, timezone.now()
    document.save()
    if old:
        transaction.on_commit(lambda: document.file.storage.delete(old))


def _is_current(document: PayoutDocument, digest: str) -> bool:
    return (
        document.input_hash == digest
        and bool(document.file)
        and document.file.storage.exists(document.file.name)
    )


def ensure_document(
    *, batch: PayoutBatch, kind: str, claim_id: int | None = None
) -> PayoutDocument:
    """The up-to-date PDF of one document, rendered now only if its data changed."""
    items = _items(batch)
    if kind in BATCH_KINDS:
        spec = batch_spec(batch, kind, items)
    else:
        item = next((i for i in items if i.claim_id == claim_id), None)
        if item is None:
            raise PayoutDocument.DoesNotExist
        spec = claim_spec(batch, item)
        if spec.kind != kind:
            raise PayoutDocument.DoesNotExist
    digest = spec.digest
    with transaction.atomic():
        document = _row(batch, spec)
        document = PayoutDocument.objects.select_for_update().get(pk=document.pk)
        if not _is_current(document, digest):
            _store(document, spec, digest, render_pdf(_html(spec, document.pk, digest)), batch)
    return document


def render_batch_documents(batch_id: int) -> int:
    """Bring every document of a batch up to date, rendering only the changed ones,
    several at a time, with progress on the batch row for the page to poll. Returns
    the number of PDFs rendered."""
    batch = PayoutBatch.objects.select_related("created_by").get(pk=batch_id)
    items = _items(batch)
    head = _letterhead(batch)
    specs = [batch_spec(batch, kind, items) for kind in BATCH_KINDS]
    specs += [claim_spec(batch, item, head) for item in items]
    existing = {(d.claim_id, d.kind): d for d in batch.documents.all()}
    todo = []
    for spec in specs:
        digest = spec.digest
        document = existing.get((spec.claim_id, spec.kind)) or _row(batch, spec)
        if not _is_current(document, digest):
            todo.append((spec, digest, document))
    _progress(batch_id, state=RenderState.RUNNING, total=len(specs), done=len(specs) - len(todo))
    done = len(specs) - len(todo)
    try:
        htmls = (_html(spec, document.pk, digest) for spec, digest, document in todo)
        pdfs = render_many(list(htmls), processes=settings.FINANCE_RENDER_PROCESSES)
        for (spec, digest, document), pdf in zip(todo, pdfs, strict=True):
            with transaction.atomic():
                _store(document, spec, digest, pdf, batch)
            done += 1
            if done % 25 == 0:
                _progress(batch_id, done=done)
    except Exception as error:
        logger.exception("rendering the documents of batch %s failed", batch_id)
        _progress(batch_id, state=RenderState.FAILED, done=done, error=str(error)[:500])
        raise
    _progress(batch_id, state=RenderState.DONE, done=done)
    return len(todo)


def _progress(batch_id: int, *, state=None, total=None, done=None, error="") -> None:
    # A plain UPDATE in its own autocommit: the page polling it sees each step.
    values = {"render_error": error}
    if state is not None:
        values["render_state"] = state
    if total is not None:
        values["render_total"] = total
    if done is not None:
        values["render_done"] = done
    PayoutBatch.objects.filter(pk=batch_id).update(**values)
