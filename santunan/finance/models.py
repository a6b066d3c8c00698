"""Payouts: batches of approved claims, their letters, payments, bank results and the
yearly budget. These models carry the `santunan` app label (their tables and
migrations stay where they were); `santunan.models` imports them, so both import
paths work."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from santunan.limits import NOTE_MAX, REASON_MAX, validate_recent_date
from santunan.models import Claim, _local, _payout_document_path


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
    over_budget_note = models.TextField(
        _("alasan melampaui anggaran"), max_length=NOTE_MAX * 4, blank=True
    )
    # Background rendering of all documents of the batch.
    render_state = models.CharField(
        _("pembuatan dokumen"), max_length=10, choices=RenderState.choices, default=RenderState.IDLE
    )
    render_total = models.PositiveIntegerField(_("dokumen yang dibuat"), default=0)
    render_done = models.PositiveIntegerField(_("dokumen selesai"), default=0)
    render_error = models.TextField(
        _("kendala pembuatan dokumen"), max_length=NOTE_MAX, blank=True
    )

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
    paid_on = models.DateField(
        _("tanggal bayar"), null=True, blank=True, validators=[validate_recent_date]
    )
    # Cash: who collected the money and whether their identity card was checked.
    collected_by = models.CharField(_("diterima oleh"), max_length=150, blank=True)
    identity_checked = models.BooleanField(_("identitas diperiksa"), default=False)
    receipt_scan = models.FileField(
        _("pindaian kuitansi"), upload_to="payouts/receipts/", max_length=200, blank=True
    )
    receipt_content_type = models.CharField(_("jenis berkas kuitansi"), max_length=40, blank=True)
    receipt_sha256 = models.CharField(_("checksum kuitansi"), max_length=64, blank=True)
    # Cash collected by someone other than the heir: their NIK and the heir's power of
    # attorney (surat kuasa), without which the office may not hand the money over.
    collector_nik = models.CharField(_("NIK penerima kuasa"), max_length=16, blank=True)
    power_of_attorney = models.FileField(
        _("surat kuasa"), upload_to="payouts/power-of-attorney/", max_length=200, blank=True
    )
    power_of_attorney_content_type = models.CharField(
        _("jenis berkas surat kuasa"), max_length=40, blank=True
    )
    # Transfer: what the bank's result file said.
    bank_reference = models.CharField(_("referensi bank"), max_length=80, blank=True)
    failure_reason = models.TextField(_("alasan gagal"), max_length=REASON_MAX, blank=True)
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

    @property
    def by_representative(self) -> bool:
        return bool(self.collector_nik)


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


class BudgetChange(models.Model):
    """Every entry or correction of a year's allocation, kept for the auditors: who,
    when, from what to what, and why. Written by finance.services.set_budget only."""

    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="changes", verbose_name=_("anggaran")
    )
    old_allocation = models.PositiveBigIntegerField(_("pagu lama (Rp)"), null=True, blank=True)
    new_allocation = models.PositiveBigIntegerField(_("pagu baru (Rp)"))
    reason = models.TextField(_("alasan perubahan"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    changed_at = models.DateTimeField(_("diubah"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("riwayat pagu")
        verbose_name_plural = _("riwayat pagu")

    def __str__(self) -> str:
        return f"{self.budget.year} · {_local(self.changed_at)}"
