"""Payout documents: what each PDF prints, when it must be rendered again, and the
signed token its QR code carries.

A document's inputs (every value printed on it, the letterhead settings and the
layout files) are hashed. The file is rendered again only when that hash changes, and
the token carries the hash, so a printout made before the data changed no longer
verifies as valid."""

import base64
import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36
from django.utils.safestring import mark_safe

from office.selectors import budget_account, head_on, letterhead_on, treasurer_on
from santunan.finance.letters import Job, render_many, render_pdf, rupiah, tanggal, terbilang
from santunan.finance.letters.pdf import STYLESHEET
from santunan.identity import mask_number
from santunan.models import (
    BatchItem,
    BatchStatus,
    Claim,
    DocumentType,
    Payment,
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
TITLES = {
    DocumentType.RECEIPT: "Kuitansi",
    DocumentType.TRANSFER_NOTICE: "Pemberitahuan transfer",
    DocumentType.NOMINATIVE_LIST: "Daftar nominatif",
    DocumentType.PAYMENT_ORDER: "Surat perintah membayar",
}
BATCH_KINDS = (DocumentType.PAYMENT_ORDER, DocumentType.NOMINATIVE_LIST)
# Letters per document when a batch renders (see letters.pdf.render_letters): large
# enough that weasyprint's cost per document is shared, small enough that both
# render processes stay busy and memory stays low.
LETTERS_PER_JOB = 25
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


LOGO_PIXELS = 240  # 20 mm wide at about 300 dpi


@cache
def _logo(path: str) -> str:
    """The letterhead logo as a small opaque PNG data URI, made once per process: a
    photo-sized or transparent logo would otherwise be decoded and re-encoded by
    weasyprint for every letter."""
    if not path:
        return ""
    from PIL import Image

    if path.startswith("storage:"):
        with default_storage.open(path.removeprefix("storage:"), "rb") as handle:
            source = io.BytesIO(handle.read())
    else:
        source = path
    with Image.open(source) as image:
        image.thumbnail((LOGO_PIXELS, LOGO_PIXELS * 2))
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _letterhead(batch: PayoutBatch) -> dict:
    """What every letter of the batch prints about the office: the letterhead and the
    officials in office on the letter's date (office.selectors), so a later change of
    treasurer leaves this letter's inputs, hash and stored PDF as they were."""
    day = batch.letter_date
    office = letterhead_on(day)
    head = head_on(day)
    treasurer = treasurer_on(day)
    contact = ", ".join(
        filter(
            None,
            [
                f"Telepon {office.phone}" if office.phone else "",
                f"Surel {office.email}" if office.email else "",
            ],
        )
    )
    address = " ".join(filter(None, [office.address, office.postal_code]))
    return {
        "regency": office.regency,
        "office": office.office,
        "address": address,
        "contact": contact,
        "logo_path": office.logo_path,
        "place": office.place,
        "head_title": (head and head.title) or settings.OFFICE_HEAD_TITLE,
        # The signature recorded when the batch was signed is what the paper carries.
        "head_name": batch.signer_name or (head.name if head else ""),
        "head_nip": batch.signer_nip or (head.nip if head else ""),
        "treasurer_name": treasurer.name if treasurer else batch.created_by.get_full_name(),
        "treasurer_nip": treasurer.nip if treasurer else "",
        "account_code": budget_account(batch.year),
        "draft": batch.status == BatchStatus.DRAFTED,
        "date": tanggal(batch.letter_date),
        "place_date": f"{office.place}, {tanggal(batch.letter_date)}",
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
    if kind == DocumentType.RECEIPT:
        inputs.update(_collector(item))
    return Spec(kind=kind, claim_id=item.claim_id, number=number, amount=item.amount, inputs=inputs)


def _collector(item: BatchItem) -> dict:
    """Who collected the cash for the heir, with the heir's power of attorney: the
    kuitansi names the recipient, so it names them too. Nothing when the heir came
    (no key at all, so those kuitansi keep their inputs and their QR codes)."""
    for payment in item.payments.all():
        if payment.result == Payment.Result.SUCCESS and payment.collector_nik:
            return {
                "collector_name": payment.collected_by,
                "collector_nik": mask_number(payment.collector_nik),
            }
    return {}


def batch_spec(batch: PayoutBatch, kind: str, items: list[BatchItem]) -> Spec:
    total = sum(item.amount for item in items)
    inputs = {
        **_letterhead(batch),
        "number": batch.number,
        "count": len(items),
        "total": rupiah(total),
        "total_words": terbilang(total),
    }
    if kind == DocumentType.NOMINATIVE_LIST:
        inputs["rows"] = [
            {**_claim_values(item.claim), "amount": rupiah(item.amount)} for item in items
        ]
    return Spec(kind=kind, claim_id=None, number=batch.number, amount=total, inputs=inputs)


def _items(batch: PayoutBatch, claim_id: int | None = None) -> list[BatchItem]:
    items = batch.items.exclude(outcome=BatchItem.Outcome.REMOVED)
    if claim_id is not None:
        items = items.filter(claim_id=claim_id)
    return list(
        items.select_related("claim__desa__kecamatan")
        .prefetch_related("payments")
        .order_by("position")
    )


# The token in the QR code: "<document id, base 36>.<start of the document's hash>.<MAC>".
# Short, so that the QR code stays small (version 5 instead of 8 for Django's signed
# JSON: fewer modules to draw and a URL that fits on one printed line), and still
# unforgeable: the MAC is 96 bits of an HMAC-SHA256 keyed with SECRET_KEY and a salt.
TOKEN_HASH_CHARS = 12
TOKEN_MAC_BYTES = 12
TOKEN = re.compile(r"([0-9a-z]{1,13})\.([0-9a-f]{12})\.([A-Za-z0-9_-]{16})")


def _mac(payload: str) -> str:
    mac = salted_hmac(TOKEN_SALT, payload, algorithm="sha256").digest()[:TOKEN_MAC_BYTES]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def make_token(document_id: int, digest: str) -> str:
    # Only the document id and part of its hash: no personal data in the URL.
    payload = f"{int_to_base36(document_id)}.{digest[:TOKEN_HASH_CHARS]}"
    return f"{payload}.{_mac(payload)}"


def read_token(token: str) -> dict | None:
    """`{"d": document id, "h": start of its hash}` of an unaltered token, else None.
    Tokens of letters printed before the short format (Django's signed JSON) are
    still read."""
    match = TOKEN.fullmatch(token)
    if match is None:
        return _read_signed_token(token)
    payload = f"{match[1]}.{match[2]}"
    if not constant_time_compare(match[3], _mac(payload)):
        return None
    return {"d": base36_to_int(match[1]), "h": match[2]}


def _read_signed_token(token: str) -> dict | None:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not {"d", "h"} <= payload.keys():
        return None
    return payload


def verify_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("finance_public:verify", args=[token])


def _letter(spec: Spec, document_id: int, digest: str) -> str:
    """The body of one letter. Its QR code is an `<img src="qr:URL">` that the PDF
    renderer draws (letters.pdf), so the HTML stays small."""
    context = {
        **spec.inputs,
        "logo": _logo(spec.inputs["logo_path"]),
        "verify_url": verify_url(make_token(document_id, digest)),
    }
    return mark_safe(render_to_string(TEMPLATES[spec.kind], context))  # noqa: S308


def _title(spec: Spec) -> str:
    return f"{TITLES[spec.kind]} {spec.number}"


def _html(spec: Spec, document_id: int, digest: str) -> str:
    """The HTML document of one letter."""
    return _document_html(_title(spec), [_letter(spec, document_id, digest)], spec.kind)


def _document_html(title: str, letters: list[str], kind: str) -> str:
    return render_to_string(
        "finance/letters/document.html",
        {"title": title, "letters": letters, "list": kind == DocumentType.NOMINATIVE_LIST},
    )


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
    if kind in BATCH_KINDS:
        spec = batch_spec(batch, kind, _items(batch))
    else:
        # One claim's letter needs only its own item, however large the batch.
        items = _items(batch, claim_id=claim_id)
        if not items:
            raise PayoutDocument.DoesNotExist
        spec = claim_spec(batch, items[0])
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
    with progress on the batch row for the page to poll. Returns the number of PDFs
    rendered.

    The batch documents go first (the daftar nominatif of a large batch is the longest
    single render), then the letters of the claims, `LETTERS_PER_JOB` to a document,
    in `FINANCE_RENDER_PROCESSES` processes. Each finished job is stored in one
    transaction while the others render."""
    batch = PayoutBatch.objects.select_related("created_by").get(pk=batch_id)
    items = _items(batch)
    head = _letterhead(batch)
    specs = [batch_spec(batch, kind, items) for kind in BATCH_KINDS]
    specs += [claim_spec(batch, item, head) for item in items]
    documents = _rows(batch, specs)
    todo = []
    for spec in specs:
        digest = spec.digest
        document = documents[spec.claim_id, spec.kind]
        if not _is_current(document, digest):
            todo.append((spec, digest, document))
    done = len(specs) - len(todo)
    _progress(batch_id, state=RenderState.RUNNING, total=len(specs), done=done)
    groups = _groups(todo)
    try:
        # Built lazily: the HTML of later jobs is made while earlier ones render.
        jobs = (_job(key, group) for key, group in enumerate(groups))
        for key, pdfs in render_many(jobs, processes=settings.FINANCE_RENDER_PROCESSES):
            with transaction.atomic():
                for (spec, digest, document), pdf in zip(groups[key], pdfs, strict=True):
                    _store(document, spec, digest, pdf, batch)
            done += len(pdfs)
            _progress(batch_id, done=done)
    except Exception as error:
        logger.exception("rendering the documents of batch %s failed", batch_id)
        _progress(batch_id, state=RenderState.FAILED, done=done, error=str(error)[:500])
        raise
    _progress(batch_id, state=RenderState.DONE, done=done)
    return len(todo)


def _rows(batch: PayoutBatch, specs: list[Spec]) -> dict:
    """The document row of every spec, the missing ones created in one statement."""
    existing = {(d.claim_id, d.kind): d for d in batch.documents.all()}
    missing = [spec for spec in specs if (spec.claim_id, spec.kind) not in existing]
    if missing:
        now = timezone.now()
        PayoutDocument.objects.bulk_create(
            [
                PayoutDocument(
                    batch=batch,
                    claim_id=spec.claim_id,
                    kind=spec.kind,
                    number=spec.number,
                    issued_on=batch.letter_date,
                    amount=spec.amount,
                    input_hash="",
                    generated_at=now,
                )
                for spec in missing
            ],
            ignore_conflicts=True,  # another run may have made some meanwhile
        )
        existing = {(d.claim_id, d.kind): d for d in batch.documents.all()}
    return existing


def _groups(todo: list) -> list[list]:
    """The documents to render, grouped by render job: each batch document alone, the
    claims' letters `LETTERS_PER_JOB` to a job."""
    groups = [[entry] for entry in todo if entry[0].claim_id is None]
    letters = [entry for entry in todo if entry[0].claim_id is not None]
    groups += [
        letters[start : start + LETTERS_PER_JOB]
        for start in range(0, len(letters), LETTERS_PER_JOB)
    ]
    return groups


def _job(key: int, group: list) -> Job:
    bodies = [_letter(spec, document.pk, digest) for spec, digest, document in group]
    titles = [_title(spec) for spec, _digest, _document in group]
    return Job(key=key, html=_document_html(titles[0], bodies, group[0][0].kind), titles=titles)


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
