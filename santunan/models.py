"""Claims for the death benefit and everything that happens to them.

The workflow is declared here, once: the `Claim.status` field is protected and only
the @transition methods below change it. Services in `santunan/services.py` call those
methods with the row locked and write the audit event."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from villages.models import Desa
from villages.roles import Role, has_role


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan ke desa")
    VERIFIED = "verified", _("Terverifikasi")
    APPROVED = "approved", _("Disetujui")
    SCHEDULED = "scheduled", _("Dijadwalkan bayar")
    PAID = "paid", _("Dibayar")
    PAYMENT_FAILED = "payment_failed", _("Pembayaran gagal")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


# A deceased person may have at most one claim in these states (DB constraint below):
# everything except drafts, which are not yet claims, and the two final refusals.
ACTIVE_STATUSES = [
    Status.SUBMITTED,
    Status.RETURNED,
    Status.VERIFIED,
    Status.APPROVED,
    Status.SCHEDULED,
    Status.PAYMENT_FAILED,
    Status.PAID,
]
OPEN_STATUSES = [s for s in ACTIVE_STATUSES if s != Status.PAID]
EDITABLE_STATUSES = [Status.DRAFT, Status.RETURNED]


def _local(moment) -> str:
    """A stored moment as the office reads it, for names in the administration."""
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M}" if moment else ""


class BenefitPolicy(models.Model):
    """The rules of one regulation. A new regulation is a new row; a claim keeps the
    policy (and so the amount) it was submitted under."""

    name = models.CharField(_("nama peraturan"), max_length=200)
    effective_from = models.DateField(_("berlaku sejak"), unique=True)
    amount = models.PositiveBigIntegerField(_("besaran santunan (Rp)"))
    deadline_days = models.PositiveSmallIntegerField(_("batas pengajuan (hari)"), default=60)
    deadline_in_working_days = models.BooleanField(_("batas dihitung hari kerja"), default=False)
    service_days = models.PositiveSmallIntegerField(_("janji layanan (hari kerja)"), default=3)
    # DTSEN welfare deciles up to this value count as poor (issue: registry cross-check).
    poor_decile_max = models.PositiveSmallIntegerField(
        _("desil DTSEN tertinggi yang layak"), default=5
    )

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("kebijakan santunan")
        verbose_name_plural = _("kebijakan santunan")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="policy_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d-%m-%Y})"


class Holiday(models.Model):
    """A public holiday or collective leave day: not a working day for any deadline."""

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


class YearlySequence(models.Model):
    """Gapless per-year counters (claim numbers, letter numbers). Rows are locked
    while a number is taken, so two villages submitting at once never share one."""

    key = models.CharField(_("penghitung"), max_length=40)
    year = models.PositiveSmallIntegerField(_("tahun"))
    last = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("nomor urut tahunan")
        verbose_name_plural = _("nomor urut tahunan")
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="sequence_key_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last}"


class ClaimQuerySet(models.QuerySet):
    def overdue(self, today: date | None = None):
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.filter(status=Status.SUBMITTED, due_date__lt=today)

    def active_for_nik(self, nik: str):
        return self.filter(deceased_nik=nik, status__in=ACTIVE_STATUSES)


def _is_operator_of(claim: "Claim", user) -> bool:
    assignment = getattr(user, "operator_assignment", None)
    return assignment is not None and claim.desa_id == assignment.desa_id


def _is_verifier(claim: "Claim", user) -> bool:
    return has_role(user, Role.VERIFIKATOR)


def _may_reject(claim: "Claim", user) -> bool:
    return has_role(user, Role.VERIFIKATOR, Role.APPROVER)


def _is_independent_approver(claim: "Claim", user) -> bool:
    # Four-eyes rule: the approver is never the person who verified this claim.
    return has_role(user, Role.APPROVER) and claim.verified_by_id != user.pk


def _is_finance(claim: "Claim", user) -> bool:
    return has_role(user, Role.BENDAHARA)


def _is_finance_not_approver(claim: "Claim", user) -> bool:
    # Separation of duties: whoever approved a claim cannot record its payment.
    return has_role(user, Role.BENDAHARA) and claim.approved_by_id != user.pk


class Claim(models.Model):
    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Relation(models.TextChoices):
        SPOUSE = "pasangan", _("Suami/istri")
        CHILD = "anak", _("Anak")
        PARENT = "orang_tua", _("Orang tua")
        SIBLING = "saudara", _("Saudara kandung")
        GRANDCHILD = "cucu", _("Cucu")
        OTHER = "lainnya", _("Keluarga lain")

    class PayoutMethod(models.TextChoices):
        CASH = "tunai", _("Tunai di Dinas Sosial")
        TRANSFER = "transfer", _("Transfer bank")

    number = models.CharField(_("nomor klaim"), max_length=20, unique=True, null=True, blank=True)
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    desa = models.ForeignKey(
        Desa, on_delete=models.PROTECT, related_name="claims", verbose_name=_("desa/kelurahan")
    )
    policy = models.ForeignKey(
        BenefitPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("kebijakan"),
    )
    amount = models.PositiveBigIntegerField(_("besaran (Rp)"), null=True, blank=True)

    # The deceased (almarhum/almarhumah).
    deceased_nik = models.CharField(_("NIK almarhum"), max_length=16, blank=True)
    deceased_name = models.CharField(_("nama almarhum"), max_length=150, blank=True)
    deceased_sex = models.CharField(
        _("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True
    )
    deceased_birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    death_date = models.DateField(_("tanggal meninggal"), null=True, blank=True)
    death_place = models.CharField(_("tempat meninggal"), max_length=150, blank=True)
    deceased_kk = models.CharField(_("nomor KK"), max_length=16, blank=True)
    deceased_address = models.TextField(_("alamat"), blank=True)

    # The heir (ahli waris).
    heir_nik = models.CharField(_("NIK ahli waris"), max_length=16, blank=True)
    heir_name = models.CharField(_("nama ahli waris"), max_length=150, blank=True)
    heir_relation = models.CharField(
        _("hubungan dengan almarhum"), max_length=20, choices=Relation.choices, blank=True
    )
    heir_phone = models.CharField(_("nomor HP ahli waris"), max_length=20, blank=True)
    heir_address = models.TextField(_("alamat ahli waris"), blank=True)

    payout_method = models.CharField(
        _("cara pembayaran"), max_length=10, choices=PayoutMethod.choices, blank=True
    )
    bank_name = models.CharField(_("nama bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    bank_account_holder = models.CharField(_("nama pemilik rekening"), max_length=150, blank=True)
    notes = models.TextField(_("catatan"), blank=True)

    # Document kinds that registry findings made required for this claim (dinsos_sync).
    extra_required_documents = models.JSONField(
        _("dokumen tambahan yang diwajibkan"), default=list, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    due_date = models.DateField(_("batas layanan"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    paid_at = models.DateTimeField(_("dibayar"), null=True, blank=True)
    last_reason = models.TextField(_("alasan terakhir"), blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("klaim santunan")
        verbose_name_plural = _("klaim santunan")
        permissions = [
            ("submit_claim", "Mengajukan klaim desa"),
            ("verify_claim", "Memverifikasi klaim"),
            ("approve_claim", "Menyetujui klaim"),
            ("manage_payout", "Mengelola pembayaran"),
        ]
        constraints = [
            # One living claim per deceased person, whatever path created it.
            models.UniqueConstraint(
                fields=["deceased_nik"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_claim_per_deceased_nik",
            ),
            models.CheckConstraint(
                # A draft cancelled before its first submission never got a number.
                condition=Q(status__in=[Status.DRAFT, Status.CANCELLED]) | Q(number__isnull=False),
                name="claim_number_after_submission",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.APPROVED) | ~Q(approved_by=models.F("verified_by")),
                name="approver_differs_from_verifier",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="claim_queue_idx"),
            # The verifier's queue in its own order, over the few claims in flight:
            # stays small however many closed claims pile up over the years.
            models.Index(
                fields=["due_date", "submitted_at", "id"],
                condition=Q(status__in=[Status.SUBMITTED, Status.VERIFIED]),
                name="claim_open_queue_idx",
            ),
            models.Index(fields=["desa", "status"], name="claim_desa_status_idx"),
            models.Index(fields=["deceased_nik"], name="claim_deceased_nik_idx"),
            models.Index(fields=["deceased_name"], name="claim_deceased_name_idx"),
        ]

    def __str__(self) -> str:
        return self.number or _("Draf #%(pk)s") % {"pk": self.pk}

    def refresh_from_db(self, *args, **kwargs):
        # A protected FSMField refuses any assignment once loaded, including Django's
        # own reload; reading the stored value again is not a status change.
        fields = kwargs.get("fields")
        if fields is None or "status" in fields:
            self.__dict__.pop("status", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    # --- The workflow. Services call these with the row locked; nothing else may. ---

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        permission=_is_operator_of,
    )
    def submit(self) -> None:
        """Village official sends the claim (again) to Dinas Sosial."""

    @transition(
        field=status, source=Status.SUBMITTED, target=Status.VERIFIED, permission=_is_verifier
    )
    def verify(self) -> None:
        """Dinas Sosial found documents and registry data in order."""

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.VERIFIED, Status.PAYMENT_FAILED],
        target=Status.RETURNED,
        permission=_is_verifier,
    )
    def return_to_village(self) -> None:
        """Sent back to the village to correct; a reason is required. After a failed
        transfer, this is how the heir's account gets corrected."""

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.VERIFIED],
        target=Status.REJECTED,
        permission=_may_reject,
    )
    def reject(self) -> None:
        """Refused for good; a reason is required."""

    @transition(
        field=status,
        source=Status.VERIFIED,
        target=Status.APPROVED,
        permission=_is_independent_approver,
    )
    def approve(self) -> None:
        """The head of office approves payment."""

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.CANCELLED,
        permission=_is_operator_of,
    )
    def cancel(self) -> None:
        """The village withdraws a claim it has not (re)submitted."""

    @transition(
        field=status, source=Status.APPROVED, target=Status.SCHEDULED, permission=_is_finance
    )
    def schedule(self) -> None:
        """Put into a payout batch."""

    @transition(
        field=status, source=Status.SCHEDULED, target=Status.APPROVED, permission=_is_finance
    )
    def unschedule(self) -> None:
        """Taken out of a draft payout batch."""

    @transition(
        field=status,
        source=Status.SCHEDULED,
        target=Status.PAID,
        permission=_is_finance_not_approver,
    )
    def mark_paid(self) -> None:
        """The heir received the money (cash receipt or bank confirmation)."""

    @transition(
        field=status, source=Status.SCHEDULED, target=Status.PAYMENT_FAILED, permission=_is_finance
    )
    def mark_payment_failed(self) -> None:
        """The bank refused the transfer."""

    @transition(
        field=status, source=Status.PAYMENT_FAILED, target=Status.APPROVED, permission=_is_finance
    )
    def reopen_for_payment(self) -> None:
        """Ready for a later batch after a failed payment."""


class ClaimEvent(models.Model):
    """Append-only audit trail of a claim: every transition and every notable action."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="events", verbose_name=_("klaim")
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    action = models.CharField(_("tindakan"), max_length=40)
    from_status = models.CharField(_("dari"), max_length=20, blank=True)
    to_status = models.CharField(_("menjadi"), max_length=20, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    client_ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    data = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["claim", "at"], name="claimevent_claim_at_idx")]
        verbose_name = _("riwayat klaim")
        verbose_name_plural = _("riwayat klaim")

    def __str__(self) -> str:
        return f"{self.claim} · {_local(self.at)}"


class DocumentKind(models.TextChoices):
    KK = "kk", _("Kartu Keluarga (KK)")
    KTP_DECEASED = "ktp_almarhum", _("KTP almarhum")
    KTP_HEIR = "ktp_ahli_waris", _("KTP ahli waris")
    DEATH_LETTER = "surat_kematian", _("Surat keterangan kematian dari desa")
    BANK_BOOK = "buku_tabungan", _("Buku tabungan ahli waris")
    SKTM = "sktm", _("Surat keterangan tidak mampu (SKTM)")
    HOUSE_PHOTO = "foto_rumah", _("Foto rumah")
    HEIR_STATEMENT = "pernyataan_ahli_waris", _("Surat pernyataan ahli waris")
    POWER_OF_ATTORNEY = "surat_kuasa", _("Surat kuasa")


REQUIRED_DOCUMENTS = [
    DocumentKind.KK,
    DocumentKind.KTP_DECEASED,
    DocumentKind.KTP_HEIR,
    DocumentKind.DEATH_LETTER,
]


def _document_path(instance: "ClaimDocument", filename: str) -> str:
    # No personal data in paths: a random name under the claim's id.
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[instance.content_type]
    return f"claims/{instance.claim_id}/{uuid.uuid4().hex}.{ext}"


class ClaimDocument(models.Model):
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="documents", verbose_name=_("klaim")
    )
    kind = models.CharField(_("jenis dokumen"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("berkas"), upload_to=_document_path, max_length=200)
    content_type = models.CharField(_("jenis berkas"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("checksum SHA-256"), max_length=64)
    original_name = models.CharField(_("nama berkas asli"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    # A replaced document is kept (nothing is lost) but no longer counts.
    superseded = models.BooleanField(_("sudah diganti"), default=False)

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        verbose_name = _("dokumen klaim")
        verbose_name_plural = _("dokumen klaim")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "kind"],
                condition=Q(superseded=False),
                name="one_current_document_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AccessLog(models.Model):
    """Who opened a claim's personal data or documents (UU 27/2022 accountability)."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="access_logs", verbose_name=_("klaim")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    what = models.CharField(_("yang dibuka"), max_length=60)
    client_ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("catatan akses data pribadi")
        verbose_name_plural = _("catatan akses data pribadi")
        indexes = [models.Index(fields=["claim", "at"], name="accesslog_claim_at_idx")]

    def __str__(self) -> str:
        return f"{self.claim} · {self.user} · {_local(self.at)}"


# --- Payouts (finance) ---


class BatchStatus(models.TextChoices):
    DRAFTED = "drafted", _("Draf")
    SIGNED = "signed", _("Ditandatangani")
    DISBURSED = "disbursed", _("Dicairkan")
    CLOSED = "closed", _("Ditutup")


class RenderState(models.TextChoices):
    IDLE = "idle", _("Belum dibuat")
    QUEUED = "queued", _("Menunggu giliran")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class PayoutBatch(models.Model):
    """One payout letter: the claims paid together, signed by the head of office.
    Its number comes from a gapless yearly sequence (FINANCE_LETTER_PATTERN)."""

    number = models.CharField(_("nomor surat"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    letter_date = models.DateField(_("tanggal surat"))
    payout_method = models.CharField(
        _("cara pembayaran"), max_length=10, choices=Claim.PayoutMethod.choices
    )
    status = FSMField(
        _("status"), default=BatchStatus.DRAFTED, choices=BatchStatus.choices, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    # The head of office signs on paper; finance records who signed and when.
    signer_name = models.CharField(_("nama penandatangan"), max_length=150, blank=True)
    signer_nip = models.CharField(_("NIP penandatangan"), max_length=18, blank=True)
    signed_at = models.DateTimeField(_("ditandatangani"), null=True, blank=True)
    disbursed_at = models.DateTimeField(_("dicairkan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    # A batch that passes the remaining yearly allocation needs a recorded confirmation.
    over_budget_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lewat pagu dikonfirmasi oleh"),
    )
    over_budget_confirmed_at = models.DateTimeField(
        _("lewat pagu dikonfirmasi"), null=True, blank=True
    )
    over_budget_note = models.TextField(_("alasan melampaui anggaran"), blank=True)
    # Background rendering of all documents of the batch.
    render_state = models.CharField(
        _("pembuatan dokumen"), max_length=10, choices=RenderState.choices, default=RenderState.IDLE
    )
    render_total = models.PositiveIntegerField(_("dokumen yang dibuat"), default=0)
    render_done = models.PositiveIntegerField(_("dokumen selesai"), default=0)
    render_error = models.TextField(_("kendala pembuatan dokumen"), blank=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("batch pembayaran")
        verbose_name_plural = _("batch pembayaran")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="batch_year_sequence_unique")
        ]

    def __str__(self) -> str:
        return self.number

    def refresh_from_db(self, *args, **kwargs):
        # Same reason as Claim.refresh_from_db: reloading is not a status change.
        fields = kwargs.get("fields")
        if fields is None or "status" in fields:
            self.__dict__.pop("status", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status != BatchStatus.CLOSED

    @transition(field=status, source=BatchStatus.DRAFTED, target=BatchStatus.SIGNED)
    def sign(self) -> None:
        """The head of office signed the order to pay and the daftar nominatif."""

    @transition(field=status, source=BatchStatus.SIGNED, target=BatchStatus.DISBURSED)
    def disburse(self) -> None:
        """The money left the treasury: cash drawn or the bank file handed over."""

    @transition(field=status, source=BatchStatus.DISBURSED, target=BatchStatus.CLOSED)
    def close(self) -> None:
        """Every claim of the batch is settled (paid, or failed and released)."""


class BatchItem(models.Model):
    """A claim in a batch. `active` stays true while the claim is held by this batch;
    the partial unique index keeps a claim in at most one open batch."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Menunggu pembayaran")
        PAID = "paid", _("Dibayar")
        FAILED = "failed", _("Gagal, dikembalikan")
        REMOVED = "removed", _("Dikeluarkan dari batch")

    batch = models.ForeignKey(
        PayoutBatch, on_delete=models.PROTECT, related_name="items", verbose_name=_("batch")
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="batch_items", verbose_name=_("klaim")
    )
    position = models.PositiveIntegerField(_("nomor urut"))
    amount = models.PositiveBigIntegerField(_("besaran (Rp)"))
    active = models.BooleanField(_("masih dalam batch"), default=True)
    outcome = models.CharField(
        _("hasil"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dimasukkan oleh"),
    )
    added_at = models.DateTimeField(_("dimasukkan"), auto_now_add=True)

    class Meta:
        ordering = ["batch", "position"]
        verbose_name = _("klaim dalam batch")
        verbose_name_plural = _("klaim dalam batch")
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(active=True), name="claim_in_one_open_batch"
            ),
            models.UniqueConstraint(fields=["batch", "position"], name="batch_item_position"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.position}"


class DocumentType(models.TextChoices):
    RECEIPT = "kuitansi", _("Kuitansi")
    TRANSFER_NOTICE = "pemberitahuan_transfer", _("Pemberitahuan transfer")
    NOMINATIVE_LIST = "daftar_nominatif", _("Daftar nominatif")
    PAYMENT_ORDER = "perintah_bayar", _("Surat perintah membayar")


def _payout_document_path(instance: "PayoutDocument", filename: str) -> str:
    return f"payouts/{instance.batch_id}/{uuid.uuid4().hex}.pdf"


class PayoutDocument(models.Model):
    """A generated PDF. `input_hash` is the digest of everything printed on it: the
    file is rendered again only when that changes, and the QR token carries it, so an
    outdated printout no longer verifies."""

    batch = models.ForeignKey(
        PayoutBatch, on_delete=models.PROTECT, related_name="documents", verbose_name=_("batch")
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payout_documents",
        verbose_name=_("klaim"),
    )
    kind = models.CharField(_("jenis dokumen"), max_length=30, choices=DocumentType.choices)
    number = models.CharField(_("nomor"), max_length=80)
    issued_on = models.DateField(_("tanggal"))
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    input_hash = models.CharField(_("sidik isi"), max_length=64)
    file = models.FileField(_("berkas"), upload_to=_payout_document_path, max_length=200)
    generated_at = models.DateTimeField(_("dibuat"))

    class Meta:
        verbose_name = _("dokumen pembayaran")
        verbose_name_plural = _("dokumen pembayaran")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "kind"],
                condition=Q(claim__isnull=True),
                name="one_batch_document_per_kind",
            ),
            models.UniqueConstraint(
                fields=["batch", "claim", "kind"],
                condition=Q(claim__isnull=False),
                name="one_claim_document_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Payment(models.Model):
    """One payment attempt of a claim. At most one successful payment per claim, by
    database constraint: whatever path or race, a claim is never paid twice."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("Berhasil")
        FAILED = "failed", _("Gagal")

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="payments", verbose_name=_("klaim")
    )
    item = models.ForeignKey(
        BatchItem,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("klaim dalam batch"),
    )
    method = models.CharField(
        _("cara pembayaran"), max_length=10, choices=Claim.PayoutMethod.choices
    )
    result = models.CharField(_("hasil"), max_length=10, choices=Result.choices)
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    paid_on = models.DateField(_("tanggal bayar"), null=True, blank=True)
    # Cash: who collected the money and whether their identity card was checked.
    collected_by = models.CharField(_("diterima oleh"), max_length=150, blank=True)
    identity_checked = models.BooleanField(_("identitas diperiksa"), default=False)
    receipt_scan = models.FileField(
        _("pindaian kuitansi"), upload_to="payouts/receipts/", max_length=200, blank=True
    )
    receipt_content_type = models.CharField(_("jenis berkas kuitansi"), max_length=40, blank=True)
    receipt_sha256 = models.CharField(_("checksum kuitansi"), max_length=64, blank=True)
    # Transfer: what the bank's result file said.
    bank_reference = models.CharField(_("referensi bank"), max_length=80, blank=True)
    failure_reason = models.TextField(_("alasan gagal"), blank=True)
    bank_result = models.ForeignKey(
        "BankResultUpload",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("berkas hasil bank"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(result="success"),
                name="claim_paid_at_most_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} · {self.get_result_display()}"


class BankResultUpload(models.Model):
    """A bank result file as received. The same file (same digest) for the same batch
    is processed once; uploading it again changes nothing."""

    batch = models.ForeignKey(
        PayoutBatch, on_delete=models.PROTECT, related_name="bank_results", verbose_name=_("batch")
    )
    sha256 = models.CharField(_("checksum SHA-256"), max_length=64)
    file = models.FileField(_("berkas"), upload_to="payouts/bank-results/", max_length=200)
    original_name = models.CharField(_("nama berkas asli"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    paid = models.PositiveIntegerField(_("dibayar"), default=0)
    failed = models.PositiveIntegerField(_("gagal"), default=0)
    # Rows reported and not applied: [{"line": 4, "reference": "...", "problem": "..."}].
    problems = models.JSONField(_("baris bermasalah"), default=list, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("berkas hasil bank")
        verbose_name_plural = _("berkas hasil bank")
        constraints = [
            models.UniqueConstraint(fields=["batch", "sha256"], name="bank_result_once_per_batch")
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {_local(self.uploaded_at)}"


class Budget(models.Model):
    """The yearly APBD allocation for santunan kematian, entered by finance. It is
    tracked, not a hard cap (the unplanned-spending line): passing it needs a
    recorded confirmation on the batch."""

    year = models.PositiveSmallIntegerField(_("tahun anggaran"), unique=True)
    allocation = models.PositiveBigIntegerField(_("pagu (Rp)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("anggaran")
        verbose_name_plural = _("anggaran")

    def __str__(self) -> str:
        from santunan.finance.letters.formatting import rupiah

        return f"{self.year}: {rupiah(self.allocation)}"


# Background tasks as the administration shows them (a proxy of django_tasks_db's table).
from santunan.background import BackgroundTask  # noqa: E402,F401
