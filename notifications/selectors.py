"""Reads of the outbox and the public status page."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from notifications.models import StatusAttempt
from santunan.models import Claim, Status
from santunan.phones import last_four


@dataclass
class StatusAnswer:
    number: str
    step: str
    next_step: str
    updated: str


def number_digest(number: str) -> str:
    return hashlib.sha256(number.strip().upper().encode()).hexdigest()


def is_throttled(*, ip: str | None, number: str) -> bool:
    """True after STATUS_PAGE_MAX_WRONG wrong tries within a minute from this address
    or for this claim number: guessing four digits must not be practical."""
    since = timezone.now() - timedelta(minutes=1)
    limit = settings.STATUS_PAGE_MAX_WRONG
    recent = StatusAttempt.objects.filter(at__gte=since)
    if ip and recent.filter(ip=ip).count() >= limit:
        return True
    return recent.filter(number_digest=number_digest(number)).count() >= limit


def _day(value) -> str:
    return formats.date_format(
        timezone.localtime(value) if hasattr(value, "hour") else value, "j F Y"
    )


def claim_status(*, number: str, digits: str) -> StatusAnswer | None:
    """The claim's step in plain words, or None when the number and the last four
    digits of the heir's phone do not belong together (or there is no such claim: the
    two are never told apart)."""
    claim = (
        Claim.objects.filter(number=number.strip().upper())
        .exclude(status=Status.DRAFT)
        .only(
            "number", "status", "heir_phone", "payout_method", "due_date", "paid_at", "updated_at"
        )
        .first()
    )
    expected = last_four(claim.heir_phone) if claim else "0000"
    # Compared in constant time, and even without a claim, so timing tells nothing.
    if not hmac.compare_digest(expected, digits) or claim is None or len(expected) != 4:
        return None
    step, next_step = _explain(claim)
    return StatusAnswer(
        number=claim.number, step=step, next_step=next_step, updated=_day(claim.updated_at)
    )


def _explain(claim: Claim) -> tuple[str, str]:
    cash = claim.payout_method == Claim.PayoutMethod.CASH
    office = {
        "office": settings.OFFICE_NAME,
        "address": settings.OFFICE_ADDRESS,
        "hours": settings.NOTIFY_CASH_HOURS,
    }
    status = claim.status
    if status == Status.SUBMITTED:
        due = _day(claim.due_date) if claim.due_date else ""
        return _("Berkas sedang diperiksa %(office)s.") % office, _(
            "Keputusan paling lambat %(due)s. Anda akan menerima SMS."
        ) % {"due": due}
    if status == Status.RETURNED:
        return _("Berkas dikembalikan ke kantor desa untuk dilengkapi."), _(
            "Kantor desa memperbaiki berkas lalu mengajukannya lagi. Anda tidak perlu datang "
            "ke %(office)s."
        ) % office
    if status == Status.VERIFIED:
        return _("Berkas sudah diperiksa dan menunggu persetujuan pejabat."), _(
            "Setelah disetujui, Anda akan menerima SMS."
        )
    if status == Status.APPROVED:
        return _("Santunan sudah disetujui dan menunggu jadwal pembayaran."), _(
            "Anda akan menerima SMS saat santunan dijadwalkan."
        )
    if status == Status.SCHEDULED:
        if cash:
            return _("Santunan dijadwalkan dibayar tunai."), _(
                "Ambil di %(office)s, %(address)s, %(hours)s. Bawa KTP asli dan Kartu "
                "Keluarga; bila diwakilkan, bawa juga surat kuasa."
            ) % office
        return _("Santunan dijadwalkan ditransfer ke rekening Anda."), _(
            "Anda tidak perlu datang. Anda akan menerima SMS bila uang sudah dikirim."
        )
    if status == Status.PAID:
        paid = _day(claim.paid_at) if claim.paid_at else ""
        return _("Santunan sudah dibayar pada %(day)s.") % {"day": paid}, _(
            "Tidak ada lagi yang perlu dilakukan."
        )
    if status == Status.PAYMENT_FAILED:
        return _("Transfer santunan gagal."), _(
            "%(office)s menjadwalkan ulang, atau kantor desa menghubungi Anda untuk "
            "memperbaiki nomor rekening."
        ) % office
    if status == Status.REJECTED:
        return _("Klaim ditolak."), _(
            "Alasannya dikirim lewat SMS dan diketahui kantor desa. Tanyakan ke kantor desa "
            "bila ada pertanyaan."
        )
    return _("Klaim dibatalkan oleh kantor desa."), _("Tanyakan ke kantor desa.")
