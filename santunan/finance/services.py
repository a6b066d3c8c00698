"""Every write of the treasurer: batches, payments, reconciliation, budget.

Each service checks the state, changes it inside one transaction with the rows
locked, and writes the claim's audit events through santunan.services, so a payout is
readable in the same timeline as the rest of the claim."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from santunan.finance import bankfile, selectors
from santunan.finance.letters import rupiah
from santunan.identity import nik_problem, normalise_number
from santunan.limits import NOTE_MAX, length_problem
from santunan.models import (
    BankResultUpload,
    BatchItem,
    BatchStatus,
    Budget,
    BudgetChange,
    Claim,
    Payment,
    PayoutBatch,
    RenderState,
    Status,
)
from santunan.services import (
    ClaimError,
    apply_transition,
    lock_claim,
    next_in_sequence,
    record_event,
    sniff_document,
)
from villages.roles import Role, has_role

LETTER_SEQUENCE = "payout_letter"


class FinanceError(ClaimError):
    """A payout action that is not allowed; the message is shown to the treasurer."""


def _require_finance(user) -> None:
    if not has_role(user, Role.BENDAHARA):
        raise FinanceError(_("Hanya bendahara yang dapat mengelola pembayaran."))


def letter_number(*, sequence: int, year: int) -> str:
    from django.conf import settings

    return settings.FINANCE_LETTER_PATTERN.format(seq=sequence, year=year)


def lock_batch(batch_id: int) -> PayoutBatch:
    try:
        return PayoutBatch.objects.select_for_update().get(pk=batch_id)
    except PayoutBatch.DoesNotExist:
        raise FinanceError(_("Batch pembayaran tidak ditemukan.")) from None


def _batch_event(batch: PayoutBatch, *, user, action: str, ip: str | None, **data) -> None:
    """A batch-wide step appears in the timeline of every claim the batch pays."""
    items = batch.items.exclude(outcome=BatchItem.Outcome.REMOVED).select_related("claim")
    for item in items:
        record_event(
            claim=item.claim, actor=user, action=action, ip=ip, data={"batch": batch.number, **data}
        )


# --- batches -----------------------------------------------------------------------------


def _lock_claims(claim_ids) -> list[Claim]:
    ids = sorted(set(int(pk) for pk in claim_ids))
    if not ids:
        raise FinanceError(_("Pilih paling sedikit satu klaim."))
    # Locked in primary-key order so two batches built at once cannot deadlock.
    claims = list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(claims) != len(ids):
        raise FinanceError(_("Sebagian klaim yang dipilih tidak ditemukan."))
    return claims


def _check_budget(*, batch: PayoutBatch, user, adding: int, confirm: bool, note: str) -> bool:
    """True when this addition passes the remaining allocation and was confirmed.
    The budget row is locked so two batches cannot both use the same remainder."""
    Budget.objects.select_for_update().filter(year=batch.year).first()
    summary = selectors.budget_summary(batch.year)
    if adding <= summary.remaining:
        return False
    note = (note or "").strip()
    if problem := length_problem(note, label=_("Alasan"), limit=NOTE_MAX):
        raise FinanceError(problem)
    if not confirm or len(note) < 5:
        if summary.allocation is None:
            message = _(
                "Pagu anggaran tahun %(year)s belum diisi. Isi pagunya dulu, atau centang "
                "konfirmasi dan tuliskan alasannya untuk tetap menjadwalkan %(amount)s."
            ) % {"year": batch.year, "amount": rupiah(adding)}
        else:
            message = _(
                "Batch ini (%(amount)s) melampaui sisa pagu tahun %(year)s (%(remaining)s). "
                "Centang konfirmasi dan tuliskan alasannya untuk tetap melanjutkan."
            ) % {
                "amount": rupiah(adding),
                "year": batch.year,
                "remaining": rupiah(summary.remaining),
            }
        raise FinanceError(message)
    batch.over_budget_confirmed_by = user
    batch.over_budget_confirmed_at = timezone.now()
    batch.over_budget_note = "\n".join(filter(None, [batch.over_budget_note, note]))
    batch.save(
        update_fields=["over_budget_confirmed_by", "over_budget_confirmed_at", "over_budget_note"]
    )
    return True


def _schedule(
    *, batch: PayoutBatch, claims: list[Claim], user, ip: str | None, over_budget: bool
) -> None:
    for claim in claims:
        if claim.status != Status.APPROVED:
            raise FinanceError(
                _('Klaim %(number)s berstatus "%(status)s", bukan "Disetujui".')
                % {"number": claim, "status": claim.get_status_display()}
            )
        if claim.approved_by_id == user.pk:
            raise FinanceError(
                _(
                    "Klaim %(number)s Anda setujui sendiri: penjadwalan dan pembayarannya "
                    "dilakukan bendahara lain (pemisahan tugas)."
                )
                % {"number": claim}
            )
        if claim.payout_method != batch.payout_method:
            raise FinanceError(
                _(
                    "Klaim %(number)s dibayar secara %(method)s; satu batch hanya berisi satu "
                    "cara pembayaran."
                )
                % {"number": claim, "method": claim.get_payout_method_display()}
            )
    position = batch.items.aggregate(last=Max("position"))["last"] or 0
    for claim in claims:
        position += 1
        try:
            # The partial unique index holds a claim in one open batch, whatever path.
            with transaction.atomic():
                BatchItem.objects.create(
                    batch=batch, claim=claim, position=position, amount=claim.amount, added_by=user
                )
        except IntegrityError:
            raise FinanceError(
                _("Klaim %(number)s sudah ada dalam batch lain yang masih terbuka.")
                % {"number": claim}
            ) from None
        apply_transition(
            claim=claim,
            user=user,
            action="schedule",
            ip=ip,
            data={"batch": batch.number, "over_budget_confirmed": over_budget},
        )


def create_batch(
    *,
    user,
    claim_ids,
    confirm_over_budget: bool = False,
    over_budget_note: str = "",
    ip: str | None = None,
) -> PayoutBatch:
    """A new draft batch with the next letter number of the year; its claims move
    from approved to scheduled."""
    _require_finance(user)
    today = timezone.localdate()
    with transaction.atomic():
        claims = _lock_claims(claim_ids)
        sequence = next_in_sequence(key=LETTER_SEQUENCE, year=today.year)
        batch = PayoutBatch.objects.create(
            number=letter_number(sequence=sequence, year=today.year),
            year=today.year,
            sequence=sequence,
            letter_date=today,
            payout_method=claims[0].payout_method,
            created_by=user,
        )
        over = _check_budget(
            batch=batch,
            user=user,
            adding=sum(claim.amount for claim in claims),
            confirm=confirm_over_budget,
            note=over_budget_note,
        )
        _schedule(batch=batch, claims=claims, user=user, ip=ip, over_budget=over)
    return batch


def add_to_batch(
    *,
    user,
    batch_id: int,
    claim_ids,
    confirm_over_budget: bool = False,
    over_budget_note: str = "",
    ip: str | None = None,
) -> PayoutBatch:
    _require_finance(user)
    with transaction.atomic():
        batch = lock_batch(batch_id)
        _require_draft(batch)
        claims = _lock_claims(claim_ids)
        over = _check_budget(
            batch=batch,
            user=user,
            adding=sum(claim.amount for claim in claims),
            confirm=confirm_over_budget,
            note=over_budget_note,
        )
        _schedule(batch=batch, claims=claims, user=user, ip=ip, over_budget=over)
    return batch


def _require_draft(batch: PayoutBatch) -> None:
    if batch.status != BatchStatus.DRAFTED:
        raise FinanceError(
            _("Batch %(number)s sudah %(status)s; isinya tidak dapat diubah lagi.")
            % {"number": batch, "status": batch.get_status_display().lower()}
        )


def remove_from_batch(*, user, batch_id: int, claim_id: int, ip: str | None = None) -> Claim:
    """Take a claim out of a draft batch; it is approved again and can be rescheduled."""
    _require_finance(user)
    with transaction.atomic():
        batch = lock_batch(batch_id)
        _require_draft(batch)
        claim = lock_claim(claim_id)
        item = batch.items.select_for_update().filter(claim=claim, active=True).first()
        if item is None:
            raise FinanceError(_("Klaim %(number)s tidak ada dalam batch ini.") % {"number": claim})
        item.active, item.outcome = False, BatchItem.Outcome.REMOVED
        item.save(update_fields=["active", "outcome"])
        apply_transition(
            claim=claim, user=user, action="unschedule", ip=ip, data={"batch": batch.number}
        )
    return claim


NIP = re.compile(r"^\d{18}$")


def sign_batch(
    *, user, batch_id: int, signer_name: str, signer_nip: str, ip: str | None = None
) -> PayoutBatch:
    """Record that the head of office signed the order to pay (name and NIP)."""
    _require_finance(user)
    signer_name, signer_nip = (signer_name or "").strip(), re.sub(r"\s", "", signer_nip or "")
    if len(signer_name) < 3:
        raise FinanceError(_("Tuliskan nama lengkap pejabat yang menandatangani."))
    if not NIP.match(signer_nip):
        raise FinanceError(_("NIP harus 18 angka."))
    with transaction.atomic():
        batch = lock_batch(batch_id)
        _require_transition(batch, batch.sign)
        if not batch.items.filter(active=True).exists():
            raise FinanceError(_("Batch kosong tidak dapat ditandatangani."))
        batch.signer_name, batch.signer_nip, batch.signed_at = (
            signer_name,
            signer_nip,
            timezone.now(),
        )
        batch.sign()
        batch.save()
        _batch_event(batch, user=user, action="batch_signed", ip=ip, signer=signer_name)
        # Signing changes every letter (the signer's name, no more "draft" mark): the
        # worker renders them now, so the first print of the batch does not wait for it.
        _queue_rendering(batch)
    return batch


def disburse_batch(*, user, batch_id: int, ip: str | None = None) -> PayoutBatch:
    """The money left the treasury (cash drawn, or the transfer file sent to the bank)."""
    _require_finance(user)
    with transaction.atomic():
        batch = lock_batch(batch_id)
        _require_transition(batch, batch.disburse)
        batch.disbursed_at = timezone.now()
        batch.disburse()
        batch.save()
        _batch_event(batch, user=user, action="batch_disbursed", ip=ip)
    return batch


def close_batch(*, user, batch_id: int, ip: str | None = None) -> PayoutBatch:
    """Close a batch whose every claim is settled; its claims leave the open batch."""
    _require_finance(user)
    with transaction.atomic():
        batch = lock_batch(batch_id)
        _require_transition(batch, batch.close)
        pending = batch.items.filter(active=True, outcome=BatchItem.Outcome.PENDING).count()
        if pending:
            raise FinanceError(
                _("Masih ada %(count)d klaim yang belum dibayar atau dicatat gagal.")
                % {"count": pending}
            )
        batch.closed_at = timezone.now()
        batch.close()
        batch.save()
        batch.items.filter(active=True).update(active=False)
        _batch_event(batch, user=user, action="batch_closed", ip=ip)
    return batch


def _require_transition(batch: PayoutBatch, method) -> None:
    if not can_proceed(method):
        raise FinanceError(
            _('Tindakan ini tidak dapat dilakukan pada batch berstatus "%(status)s".')
            % {"status": batch.get_status_display()}
        )


# --- payments ----------------------------------------------------------------------------


def _pending_item(claim: Claim) -> BatchItem:
    item = (
        BatchItem.objects.select_for_update()
        .select_related("batch")
        .filter(claim=claim, active=True, outcome=BatchItem.Outcome.PENDING)
        .first()
    )
    if item is None:
        raise FinanceError(
            _("Klaim %(number)s tidak menunggu pembayaran dalam batch mana pun.")
            % {"number": claim}
        )
    if item.batch.status != BatchStatus.DISBURSED:
        raise FinanceError(
            _("Batch %(number)s belum dicairkan; pembayaran belum dapat dicatat.")
            % {"number": item.batch}
        )
    return item


def _pay(*, claim: Claim, item: BatchItem, payment: Payment, user, ip: str | None, data) -> None:
    """Mark a locked, scheduled claim paid. The transition checks the role and the
    separation of duties; the unique constraint on successful payments is the last
    word if anything else ever tried to pay the claim a second time."""
    claim.paid_at = timezone.now()
    apply_transition(claim=claim, user=user, action="mark_paid", ip=ip, data=data)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        raise FinanceError(
            _("Klaim %(number)s sudah pernah dibayar.") % {"number": claim}
        ) from None
    item.outcome = BatchItem.Outcome.PAID
    item.save(update_fields=["outcome"])


def _same_person(one: str, other: str) -> bool:
    return " ".join((one or "").casefold().split()) == " ".join((other or "").casefold().split())


def file_problem(upload: UploadedFile | None, *, missing: str = "") -> str | None:
    """Why an attached scan is refused (too large, empty, not a PDF/JPEG/PNG), or None."""
    if upload is None:
        return missing
    try:
        sniff_document(upload)
    except ClaimError as error:
        return error.message
    return None


def cash_payment_problems(
    *,
    heir_name: str,
    paid_on: date | None,
    collected_by: str,
    identity_checked: bool,
    receipt_scan: UploadedFile | None,
    representative: bool = False,
    collector_nik: str = "",
    power_of_attorney: UploadedFile | None = None,
) -> list[str]:
    """Every rule a cash payment's entries break, all at once, so the treasurer fixes
    them in one go. A date the form could not read (None) is left to the form."""
    problems = []
    collected_by = (collected_by or "").strip()
    if len(collected_by) < 3:
        problems.append(_("Tuliskan nama orang yang menerima uang."))
    if representative:
        if problem := nik_problem(collector_nik or "", label=_("NIK penerima kuasa")):
            problems.append(problem)
        if collected_by and _same_person(collected_by, heir_name):
            problems.append(_("Tuliskan nama penerima kuasa yang datang, bukan nama ahli waris."))
    elif len(collected_by) >= 3 and not _same_person(collected_by, heir_name):
        # Money handed to anyone but the heir needs the heir's written power of
        # attorney; without it the payment could be claimed a second time.
        problems.append(
            _(
                'Uang diterima oleh orang selain ahli waris (%(heir)s): pilih "Kuasa ahli '
                'waris", isi NIK penerima kuasa dan lampirkan surat kuasa.'
            )
            % {"heir": heir_name}
        )
    if not identity_checked:
        problems.append(_("Periksa KTP penerima sebelum uang diserahkan, lalu centang."))
    if paid_on is not None and paid_on > timezone.localdate():
        problems.append(_("Tanggal bayar tidak boleh di masa depan."))
    files = [(receipt_scan, _("Lampirkan pindaian kuitansi yang sudah ditandatangani."))]
    if representative:
        files.append((power_of_attorney, _("Lampirkan surat kuasa dari ahli waris.")))
    problems += filter(None, (file_problem(upload, missing=text) for upload, text in files))
    return problems


def record_cash_payment(
    *,
    user,
    claim_id: int,
    paid_on: date,
    collected_by: str,
    identity_checked: bool,
    receipt_scan: UploadedFile | None,
    representative: bool = False,
    collector_nik: str = "",
    power_of_attorney: UploadedFile | None = None,
    ip: str | None = None,
) -> Payment:
    """The heir, or someone holding the heir's power of attorney, collected the cash at
    the office and signed the kuitansi; its scan (and the surat kuasa) is kept with the
    payment. Every problem with the entries is reported at once, before any write."""
    _require_finance(user)
    collected_by = (collected_by or "").strip()
    collector_nik = normalise_number(collector_nik) if representative else ""
    heir_name = Claim.objects.filter(pk=claim_id).values_list("heir_name", flat=True).first()
    if heir_name is None:
        raise FinanceError(_("Klaim tidak ditemukan."))
    problems = cash_payment_problems(
        heir_name=heir_name,
        paid_on=paid_on,
        collected_by=collected_by,
        identity_checked=identity_checked,
        receipt_scan=receipt_scan,
        representative=representative,
        collector_nik=collector_nik,
        power_of_attorney=power_of_attorney,
    )
    if problems:
        raise FinanceError(problems[0], problems=problems[1:])
    content_type = sniff_document(receipt_scan)
    attorney_type = sniff_document(power_of_attorney) if representative else ""
    digest = hashlib.sha256()
    for chunk in receipt_scan.chunks():
        digest.update(chunk)
    receipt_scan.seek(0)
    with transaction.atomic():
        claim = lock_claim(claim_id)
        if claim.status == Status.PAID:
            raise FinanceError(_("Klaim %(number)s sudah dibayar.") % {"number": claim})
        item = _pending_item(claim)
        if item.batch.payout_method != Claim.PayoutMethod.CASH:
            raise FinanceError(_("Klaim ini dibayar melalui transfer, bukan tunai."))
        payment = Payment(
            claim=claim,
            item=item,
            method=Claim.PayoutMethod.CASH,
            result=Payment.Result.SUCCESS,
            amount=item.amount,
            paid_on=paid_on,
            collected_by=collected_by,
            identity_checked=True,
            receipt_content_type=content_type,
            receipt_sha256=digest.hexdigest(),
            collector_nik=collector_nik,
            power_of_attorney_content_type=attorney_type,
            recorded_by=user,
        )
        payment.receipt_scan.save(f"kuitansi.{EXTENSIONS[content_type]}", receipt_scan, save=False)
        if representative:
            payment.power_of_attorney.save(
                f"surat-kuasa.{EXTENSIONS[attorney_type]}", power_of_attorney, save=False
            )
        try:
            _pay(
                claim=claim,
                item=item,
                payment=payment,
                user=user,
                ip=ip,
                data={
                    "batch": item.batch.number,
                    "method": "tunai",
                    "paid_on": str(paid_on),
                    # Who collected, without their NIK: the event log is read widely.
                    "by_representative": representative,
                },
            )
        except Exception:
            payment.receipt_scan.delete(save=False)
            if payment.power_of_attorney:
                payment.power_of_attorney.delete(save=False)
            raise
    return payment


EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@dataclass
class Reconciliation:
    upload: BankResultUpload
    duplicate: bool


def reconcile_bank_result(
    *, user, batch_id: int, upload: UploadedFile, ip: str | None = None
) -> Reconciliation:
    """Apply a bank result file to a disbursed transfer batch, in one transaction.

    Success rows pay their claim with the bank's date and reference; failure rows
    record the bank's reason and return the claim to approved for a later batch. A
    row whose reference is unknown, or whose amount or account differs from the claim,
    is reported and changes nothing. A damaged file is refused whole, and the same
    file uploaded again is recognised and changes nothing."""
    _require_finance(user)
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    rows = bankfile.parse_result(data)  # refuses a damaged file before any write
    with transaction.atomic():
        batch = lock_batch(batch_id)
        earlier = batch.bank_results.filter(sha256=digest).first()
        if earlier:
            return Reconciliation(upload=earlier, duplicate=True)
        if batch.payout_method != Claim.PayoutMethod.TRANSFER:
            raise FinanceError(_("Berkas hasil bank hanya untuk batch transfer."))
        if batch.status != BatchStatus.DISBURSED:
            raise FinanceError(
                _("Batch %(number)s belum dicairkan; hasil bank belum dapat dicatat.")
                % {"number": batch}
            )
        result = BankResultUpload(
            batch=batch, sha256=digest, original_name=(upload.name or "")[:200], uploaded_by=user
        )
        upload.seek(0)
        result.file.save("hasil-bank.csv", upload, save=False)
        try:
            result.save()
            _apply_rows(batch=batch, rows=rows, result=result, user=user, ip=ip)
            result.save(update_fields=["paid", "failed", "problems"])
        except Exception:
            result.file.delete(save=False)
            raise
    return Reconciliation(upload=result, duplicate=False)


def _apply_rows(*, batch, rows, result: BankResultUpload, user, ip) -> None:
    items = {
        item.claim.number: item
        for item in batch.items.select_for_update()
        .select_related("claim")
        .exclude(outcome=BatchItem.Outcome.REMOVED)
    }
    # Lock the claims of this file in primary-key order before touching any.
    wanted = sorted(items[row.reference].claim_id for row in rows if row.reference in items)
    claims = {
        c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    }
    seen: set[str] = set()

    def report(row, problem):
        result.problems.append({"line": row.line, "reference": row.reference, "problem": problem})

    for row in rows:
        item = items.get(row.reference)
        if item is None:
            report(row, _("Referensi tidak dikenal dalam batch ini; tidak dibayar."))
            continue
        if row.reference in seen:
            report(row, _("Referensi muncul lebih dari sekali dalam berkas; baris ini diabaikan."))
            continue
        seen.add(row.reference)
        claim = claims[item.claim_id]
        if item.outcome == BatchItem.Outcome.PAID:
            report(row, _("Sudah tercatat dibayar sebelumnya; tidak diubah."))
            continue
        if item.outcome == BatchItem.Outcome.FAILED:
            report(row, _("Sudah tercatat gagal sebelumnya; tidak diubah."))
            continue
        if row.amount != item.amount:
            report(
                row,
                _("Nominal %(bank)s berbeda dengan klaim (%(claim)s); tidak dibayar.")
                % {"bank": rupiah(row.amount), "claim": rupiah(item.amount)},
            )
            continue
        if row.account and row.account != claim.bank_account:
            report(row, _("Nomor rekening berbeda dengan klaim; tidak dibayar."))
            continue
        try:
            # A savepoint per row: a row the workflow refuses (e.g. the uploader approved
            # this claim) is reported and leaves nothing behind; any other error rolls
            # back the whole file.
            with transaction.atomic():
                if row.success:
                    _bank_success(row=row, claim=claim, item=item, result=result, user=user, ip=ip)
                else:
                    _bank_failure(row=row, claim=claim, item=item, result=result, user=user, ip=ip)
        except ClaimError as error:
            claim.refresh_from_db()
            report(row, error.message)
            continue
        if row.success:
            result.paid += 1
        else:
            result.failed += 1


def _bank_success(*, row, claim, item, result, user, ip) -> None:
    paid_on = row.paid_on  # parse_result refuses a success row without one
    payment = Payment(
        claim=claim,
        item=item,
        method=Claim.PayoutMethod.TRANSFER,
        result=Payment.Result.SUCCESS,
        amount=item.amount,
        paid_on=paid_on,
        bank_reference=row.bank_reference,
        bank_result=result,
        recorded_by=user,
    )
    _pay(
        claim=claim,
        item=item,
        payment=payment,
        user=user,
        ip=ip,
        data={
            "batch": item.batch.number,
            "method": "transfer",
            "paid_on": str(paid_on),
            "bank_reference": row.bank_reference,
        },
    )


def _bank_failure(*, row, claim, item, result, user, ip) -> None:
    reason = row.reason or _("Bank tidak menyebutkan alasan.")
    claim.last_reason = reason
    apply_transition(
        claim=claim,
        user=user,
        action="mark_payment_failed",
        reason=reason,
        ip=ip,
        data={"bank_reference": row.bank_reference},
    )
    Payment.objects.create(
        claim=claim,
        item=item,
        method=Claim.PayoutMethod.TRANSFER,
        result=Payment.Result.FAILED,
        amount=item.amount,
        paid_on=row.paid_on,
        bank_reference=row.bank_reference,
        failure_reason=reason,
        bank_result=result,
        recorded_by=user,
    )
    item.active, item.outcome = False, BatchItem.Outcome.FAILED
    # Released from this batch, but not put back among the approved claims: paying the
    # same account again would fail again if the account is wrong. The treasurer
    # schedules it again (the bank was at fault) with reopen_payment, or Dinas Sosial
    # returns it to the village to correct the account.
    item.save(update_fields=["active", "outcome"])


def reopen_payment(*, user, claim_id: int, ip: str | None = None) -> Claim:
    """A failed transfer goes back among the approved claims for a later batch."""
    _require_finance(user)
    with transaction.atomic():
        claim = lock_claim(claim_id)
        apply_transition(claim=claim, user=user, action="reopen_for_payment", ip=ip)
    return claim


# --- budget ------------------------------------------------------------------------------


def set_budget(*, user, year: int, allocation: int, reason: str = "") -> Budget:
    """Enter or correct the year's APBD allocation for santunan kematian. One
    allocation per fiscal year; every change is kept with who, when and why."""
    _require_finance(user)
    if allocation <= 0:
        raise FinanceError(_("Pagu anggaran harus lebih dari nol."))
    if not 2000 <= year <= 2100:
        raise FinanceError(_("Tahun anggaran tidak masuk akal."))
    reason = reason.strip()
    with transaction.atomic():
        budget = Budget.objects.select_for_update().filter(year=year).first()
        old = budget.allocation if budget else None
        if budget is not None and not reason:
            raise FinanceError(_("Tuliskan alasan perubahan pagu."))
        if budget is None:
            budget = Budget(year=year)
        budget.allocation, budget.updated_by = allocation, user
        budget.save()
        BudgetChange.objects.create(
            budget=budget,
            old_allocation=old,
            new_allocation=allocation,
            reason=reason or _("Pagu awal tahun anggaran"),
            changed_by=user,
        )
    return budget


# --- documents ---------------------------------------------------------------------------


def request_batch_documents(*, user, batch_id: int) -> bool:
    """Bring all documents of a batch up to date: at once for a small batch, in the
    background worker for a large one. True when it was queued. Asking again while a
    run is queued is harmless: a second run renders only what is still out of date."""
    from django.conf import settings

    from santunan.finance import documents

    _require_finance(user)
    with transaction.atomic():
        batch = lock_batch(batch_id)
        count = batch.items.exclude(outcome=BatchItem.Outcome.REMOVED).count()
        background = count > settings.FINANCE_BACKGROUND_MIN_CLAIMS
        _queue_rendering(batch, background=background)
    if not background:
        documents.render_batch_documents(batch_id)
    return background


def _queue_rendering(batch: PayoutBatch, *, background: bool = True) -> None:
    """Mark the batch's documents as waiting to be rendered (the page shows the
    progress) and, in the background, hand them to the worker once this commits."""
    from santunan.finance import tasks

    count = batch.items.exclude(outcome=BatchItem.Outcome.REMOVED).count()
    batch.render_state, batch.render_done, batch.render_total = RenderState.QUEUED, 0, count + 2
    batch.render_error = ""
    batch.save(update_fields=["render_state", "render_done", "render_total", "render_error"])
    if background:
        batch_id = batch.pk
        transaction.on_commit(lambda: tasks.render_batch_documents.enqueue(batch_id))
