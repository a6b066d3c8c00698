"""Claims for the death benefit and everything that happens to them.

The workflow is declared here, once: the `Claim.status` field is protected and only
the @transition methods below change it. Services in `santunan/services.py` call those
methods with the row locked and write the audit event."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from santunan.limits import ADDRESS_MAX, NOTE_MAX, REASON_MAX, validate_recent_date
from santunan.names import search_names
from villages.models import Desa
from villages.roles import Role, has_role

# Between the parts of Claim.search_text: a line break, which no search term holds
# (santunan.selectors.matching_text turns any into a space), so a match never spans
# the deceased's name and the heir's.
SEARCH_SEPARATOR = "\n"


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
# With Dinas Sosial for a decision: a document the rules require and that is missing
# (a registry check after submission asked for it) blocks verifying and approving, so
# the village may add exactly such documents here without the claim going back.
LATE_DOCUMENT_STATUSES = [Status.SUBMITTED, Status.VERIFIED]


def _local(moment) -> str:
    """A stored moment as the office reads it, for names in the administration."""
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M}" if moment else ""


class DocumentKind(models.TextChoices):
    KK = "kk", _("Kartu Keluarga (KK)")
    KTP_DECEASED = "ktp_almarhum", _("KTP almarhum")
    KTP_HEIR = "ktp_ahli_waris", _("KTP ahli waris")
    DEATH_LETTER = "surat_kematian", _("Surat keterangan kematian dari desa")
    DEATH_CERTIFICATE = "akta_kematian", _("Akta kematian")
    BANK_BOOK = "buku_tabungan", _("Buku tabungan ahli waris")
    SKTM = "sktm", _("Surat keterangan tidak mampu (SKTM)")
    HOUSE_PHOTO = "foto_rumah", _("Foto rumah")
    HEIR_STATEMENT = "pernyataan_ahli_waris", _("Surat pernyataan ahli waris")
    POWER_OF_ATTORNEY = "surat_kuasa", _("Surat kuasa")


# Batang's documents (the default policy): what every claim brings. The bank book is
# asked only of a claim paid by transfer (santunan.rules).
REQUIRED_DOCUMENTS = [
    DocumentKind.KK,
    DocumentKind.KTP_DECEASED,
    DocumentKind.KTP_HEIR,
    DocumentKind.DEATH_LETTER,
]
DEFAULT_REQUIRED_DOCUMENTS = [*REQUIRED_DOCUMENTS, DocumentKind.BANK_BOOK]
DEFAULT_OPTIONAL_DOCUMENTS = [
    DocumentKind.DEATH_CERTIFICATE,
    DocumentKind.SKTM,
    DocumentKind.HOUSE_PHOTO,
    DocumentKind.HEIR_STATEMENT,
    DocumentKind.POWER_OF_ATTORNEY,
]
# The two proofs of death a policy may let stand in for each other.
DEATH_DOCUMENTS = (DocumentKind.DEATH_LETTER, DocumentKind.DEATH_CERTIFICATE)


def _default_required_documents() -> list[str]:
    return [str(kind) for kind in DEFAULT_REQUIRED_DOCUMENTS]


def _default_optional_documents() -> list[str]:
    return [str(kind) for kind in DEFAULT_OPTIONAL_DOCUMENTS]


class BenefitPolicy(models.Model):
    """The rules of one regulation: amount, deadline, documents, payout methods, the
    poverty test and the service promise. A new regulation is a new row from its
    effective date; a claim keeps the policy it was first submitted under, and a policy
    that claims use can no longer change its rules (santunan.rules.policy_problems)."""

    class DeadlineFrom(models.TextChoices):
        DEATH = "meninggal", _("tanggal meninggal")
        CERTIFICATE = "akta", _("tanggal akta kematian")

    name = models.CharField(_("nama peraturan"), max_length=200)
    effective_from = models.DateField(_("berlaku sejak"), unique=True)
    amount = models.PositiveBigIntegerField(_("besaran santunan (Rp)"))
    deadline_days = models.PositiveSmallIntegerField(_("batas pengajuan (hari)"), default=60)
    deadline_in_working_days = models.BooleanField(_("batas dihitung hari kerja"), default=False)
    deadline_from = models.CharField(
        _("batas dihitung sejak"),
        max_length=10,
        choices=DeadlineFrom.choices,
        default=DeadlineFrom.DEATH,
    )
    required_documents = models.JSONField(
        _("dokumen wajib"), default=_default_required_documents, blank=True
    )
    optional_documents = models.JSONField(
        _("dokumen pilihan (bila ada)"), default=_default_optional_documents, blank=True
    )
    death_documents_either = models.BooleanField(
        _("surat kematian desa atau akta kematian, cukup salah satu"), default=False
    )
    cash_offered = models.BooleanField(_("tunai di Dinas Sosial"), default=True)
    transfer_offered = models.BooleanField(_("transfer bank"), default=True)
    service_days = models.PositiveSmallIntegerField(_("janji layanan (hari kerja)"), default=3)
    # DTSEN welfare deciles up to this value count as poor (issue: registry cross-check).
    poor_decile_max = models.PositiveSmallIntegerField(
        _("desil DTSEN tertinggi yang layak"), default=5
    )
    sktm_accepted = models.BooleanField(
        _("SKTM diterima bila tidak terdaftar miskin di DTKS/DTSEN"), default=True
    )

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("kebijakan santunan")
        verbose_name_plural = _("kebijakan santunan")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="policy_amount_positive"),
            models.CheckConstraint(
                condition=Q(cash_offered=True) | Q(transfer_offered=True),
                name="policy_offers_a_payout_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d-%m-%Y})"

    @property
    def payout_methods(self) -> list[str]:
        methods = []
        if self.cash_offered:
            methods.append(Claim.PayoutMethod.CASH.value)
        if self.transfer_offered:
            methods.append(Claim.PayoutMethod.TRANSFER.value)
        return methods

    @property
    def counts_from_certificate(self) -> bool:
        return self.deadline_from == self.DeadlineFrom.CERTIFICATE


class Holiday(models.Model):
    """A public holiday or collective leave day: not a working day for any deadline."""

    class Source(models.TextChoices):
        # Written only by santunan.holidays.load_national_holidays, which adds, renames
        # and removes these rows as the built-in calendar says; every other kind is the
        # office's and no automatic load touches it.
        CALENDAR = "kalender", _("Libur nasional (kalender bawaan)")
        NATIONAL = "nasional", _("Libur nasional (dicatat kantor)")
        COLLECTIVE_LEAVE = "cuti_bersama", _("Cuti bersama")
        REGIONAL = "daerah", _("Libur daerah")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("keterangan"), max_length=200)
    source = models.CharField(
        _("jenis"),
        max_length=12,
        choices=Source.choices,
        default=Source.NATIONAL,
        help_text=_(
            "Hari yang dicatat kantor tidak pernah diubah pemuatan otomatis. Bila kantor "
            "mencatat libur nasional sendiri untuk suatu tahun (misalnya daftar SKB), "
            "kalender bawaan tidak lagi mengubah tahun itu."
        ),
    )

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

    def bulk_create(self, objs, *args, **kwargs):
        # As Claim.save does: claims written many at once are found by spelling too.
        objs = list(objs)
        for claim in objs:
            claim.search_names = search_names(claim.deceased_name, claim.heir_name)
        return super().bulk_create(objs, *args, **kwargs)


class RealClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    """`Claim.objects`, the default manager: real claims only. Practice claims (mode
    latihan) are left out here, once, so every worklist, report, export, count, API
    list and administration page built on `Claim.objects` (or on a reverse relation
    such as `desa.claims`, or on Django's default manager, as the admin, DRF and
    ModelChoiceField use) cannot show one, rather than each remembering a filter.
    The practice pages alone read `Claim.all_objects`. Django's base manager (related
    access such as `event.claim`, `save()`, `refresh_from_db()`, deletion) stays the
    plain one on purpose: it must reach every row, practice ones included."""

    def get_queryset(self):
        return super().get_queryset().filter(is_practice=False)


def _practising(rule, *, in_practice: bool = True):
    """A transition's permission that also answers for practice claims (mode latihan).
    On a practice claim the official who owns it plays every role of the rehearsal
    (village, verifier, approver): separation of duties is relaxed there and only
    there, and nobody else may move it. The payout transitions pass in_practice=False:
    a practice claim never reaches a batch, a payment, the budget or a bank file."""

    def permission(claim: "Claim", user) -> bool:
        if claim.is_practice:
            return in_practice and user is not None and claim.practice_of_id == user.pk
        return rule(claim, user)

    permission.__name__ = rule.__name__
    return permission


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
    # Separation of duties: whoever approved a claim can neither schedule it nor record
    # its payment, even holding both roles (one person alone must not move the money).
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
    deceased_birth_date = models.DateField(
        _("tanggal lahir"), null=True, blank=True, validators=[validate_recent_date]
    )
    death_date = models.DateField(
        _("tanggal meninggal"), null=True, blank=True, validators=[validate_recent_date]
    )
    death_place = models.CharField(_("tempat meninggal"), max_length=150, blank=True)
    # Asked when the policy counts the deadline from the death certificate (akta).
    death_certificate_date = models.DateField(
        _("tanggal akta kematian"), null=True, blank=True, validators=[validate_recent_date]
    )
    deceased_kk = models.CharField(_("nomor KK"), max_length=16, blank=True)
    deceased_address = models.TextField(_("alamat"), max_length=ADDRESS_MAX, blank=True)

    # The heir (ahli waris).
    heir_nik = models.CharField(_("NIK ahli waris"), max_length=16, blank=True)
    heir_name = models.CharField(_("nama ahli waris"), max_length=150, blank=True)
    heir_relation = models.CharField(
        _("hubungan dengan almarhum"), max_length=20, choices=Relation.choices, blank=True
    )
    heir_phone = models.CharField(_("nomor HP ahli waris"), max_length=20, blank=True)
    heir_address = models.TextField(_("alamat ahli waris"), max_length=ADDRESS_MAX, blank=True)

    payout_method = models.CharField(
        _("cara pembayaran"), max_length=10, choices=PayoutMethod.choices, blank=True
    )
    bank_name = models.CharField(_("nama bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    bank_account_holder = models.CharField(_("nama pemilik rekening"), max_length=150, blank=True)
    notes = models.TextField(_("catatan"), max_length=NOTE_MAX, blank=True)

    # Document kinds that registry findings made required for this claim (dinsos_sync).
    extra_required_documents = models.JSONField(
        _("dokumen tambahan yang diwajibkan"), default=list, blank=True
    )
    # When the village last added such documents to the claim while Dinas Sosial held
    # it (santunan.services.complete_documents); cleared at the claim's next transition,
    # so the queues mark what arrived since the last step.
    documents_completed_at = models.DateTimeField(_("dilengkapi desa"), null=True, blank=True)

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
    last_reason = models.TextField(_("alasan terakhir"), max_length=REASON_MAX, blank=True)

    # Written at each transition (santunan/progress.py) so the dashboard counts and
    # takes percentiles in SQL instead of walking every claim's history and calendar.
    # The day Dinas Sosial decided (verified, returned or rejected) the current
    # submission; empty while it waits. The promise is kept when decided_on <= due_date.
    decided_on = models.DateField(_("diputus"), null=True, blank=True)
    # Working days (santunan.calendar) per step, counted when the step ends.
    days_to_verify = models.PositiveSmallIntegerField(
        _("hari kerja diajukan → diverifikasi"), null=True, blank=True
    )
    days_to_approve = models.PositiveSmallIntegerField(
        _("hari kerja diverifikasi → disetujui"), null=True, blank=True
    )
    days_to_pay = models.PositiveSmallIntegerField(
        _("hari kerja disetujui → dibayar"), null=True, blank=True
    )
    days_submit_to_paid = models.PositiveSmallIntegerField(
        _("hari kerja diajukan → dibayar"), null=True, blank=True
    )

    # What the search box reads for a name or part of a number, kept by the database
    # itself: the deceased's and the heir's names and the claim number in upper case,
    # separated by a character no search may contain, so one trigram index serves
    # the three columns (santunan.selectors.matching_text).
    search_text = models.GeneratedField(
        verbose_name=_("teks pencarian"),
        expression=Upper(
            Concat(
                "deceased_name",
                Value(SEARCH_SEPARATOR),
                "heir_name",
                Value(SEARCH_SEPARATOR),
                Coalesce("number", Value("")),
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    # The same two names in the spelling-neutral form of santunan.names (the registry
    # matcher's rules), one per line, so a search for Sumini finds Soemini and one for
    # Casmadi finds Tjasmadi. Python writes it, in save() and bulk_create (the database
    # cannot run those rules); a change to the rules needs a data migration.
    search_names = models.TextField(
        _("nama untuk pencarian ejaan"), blank=True, default="", editable=False
    )

    # Mode latihan: a claim an official rehearses the workflow on. Kept apart from real
    # work by the default manager (RealClaimManager above), by its own NIK range and
    # number (santunan.practice), and by the services, which run no side effect
    # (messages, webhooks, registry checks, dashboard counts) for it.
    is_practice = models.BooleanField(_("klaim latihan"), default=False, editable=False)
    practice_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("latihan milik"),
    )

    objects = RealClaimManager()
    all_objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # Named, not left to declaration order: the default manager is the safe one.
        default_manager_name = "objects"
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
                # Practice claims neither take nor block a deceased person's one claim.
                condition=Q(status__in=ACTIVE_STATUSES, is_practice=False),
                name="one_active_claim_per_deceased_nik",
            ),
            # A practice claim always has its official, and only a practice claim has one.
            models.CheckConstraint(
                condition=Q(is_practice=False, practice_of__isnull=True)
                | Q(is_practice=True, practice_of__isnull=False),
                name="practice_claim_has_its_official",
            ),
            models.CheckConstraint(
                # A draft cancelled before its first submission never got a number.
                condition=Q(status__in=[Status.DRAFT, Status.CANCELLED]) | Q(number__isnull=False),
                name="claim_number_after_submission",
            ),
            models.CheckConstraint(
                # In practice the official plays both parts (Claim.is_practice).
                condition=~Q(status=Status.APPROVED)
                | ~Q(approved_by=models.F("verified_by"))
                | Q(is_practice=True),
                name="approver_differs_from_verifier",
            ),
            # Whatever path writes a claim, a NIK is stored only in its one normal form:
            # "３３２５…" beside "3325…" would be two people to the unique constraint above.
            # `[0-9]` (not `\d`) is ASCII, and `\A…\Z` (not `^…$`, which lets Python pass a
            # trailing newline) anchor alike on PostgreSQL's `~` and SQLite's Python REGEXP.
            models.CheckConstraint(
                condition=Q(deceased_nik="") | Q(deceased_nik__regex=r"\A[0-9]{16}\Z"),
                name="deceased_nik_sixteen_ascii_digits",
            ),
            models.CheckConstraint(
                condition=Q(heir_nik="") | Q(heir_nik__regex=r"\A[0-9]{16}\Z"),
                name="heir_nik_sixteen_ascii_digits",
            ),
        ]
        # The partial indexes below hold real claims only (is_practice=False in their
        # condition): Claim.objects always asks for real claims, and PostgreSQL then
        # knows every row of such an index qualifies, so the counts read from the index
        # alone stay index-only scans.
        indexes = [
            models.Index(fields=["status", "due_date"], name="claim_queue_idx"),
            # The verifier's queue in its own order, over the few claims in flight:
            # stays small however many closed claims pile up over the years.
            models.Index(
                fields=["due_date", "submitted_at", "id"],
                condition=Q(status__in=[Status.SUBMITTED, Status.VERIFIED], is_practice=False),
                name="claim_open_queue_idx",
            ),
            # Claims waiting past their promise, oldest first (the dashboard's overdue
            # list and count): only submitted claims, a few percent of all, so the
            # count of a year reads this small index instead of the year's claims.
            models.Index(
                fields=["due_date", "first_submitted_at"],
                include=["desa"],
                condition=Q(status=Status.SUBMITTED, number__isnull=False, is_practice=False),
                name="claim_overdue_idx",
            ),
            models.Index(fields=["desa", "status"], name="claim_desa_status_idx"),
            models.Index(fields=["deceased_nik"], name="claim_deceased_nik_idx"),
            models.Index(fields=["heir_nik"], name="claim_heir_nik_idx"),
            # The archive: every claim that reached Dinas Sosial, by submission moment
            # (newest first when read backwards). On PostgreSQL the included columns
            # let its filters be counted from the index alone.
            models.Index(
                fields=["first_submitted_at", "id"],
                include=[
                    "status",
                    "desa",
                    "due_date",
                    "decided_on",
                    "days_to_verify",
                    "days_to_approve",
                    "days_to_pay",
                    "days_submit_to_paid",
                    # A name search walks this index newest first until a page (or the
                    # count's cap) is found, reading the names here, not in the table.
                    "search_text",
                    "search_names",
                ],
                condition=Q(number__isnull=False, is_practice=False),
                name="claim_archive_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Draf #%(pk)s") % {"pk": self.pk}

    def save(self, *args, **kwargs):
        # search_names follows the names whatever path saves the claim (a derived
        # column, like search_text, which the database keeps itself).
        self.search_names = search_names(self.deceased_name, self.heir_name)
        fields = kwargs.get("update_fields")
        if fields is not None and {"deceased_name", "heir_name"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_names"}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The row as read (Django's documented way to keep it): what is counted from
        # claims elsewhere (the dashboard's figures, reports/counts.py) moves a claim
        # from the figures of its old values to those of its new ones. Kept as the
        # row's own tuple, made a dict only when asked: a list of thousands of claims
        # pays no more than a reference each.
        instance._loaded = (field_names, values)
        return instance

    @property
    def loaded_values(self) -> dict | None:
        loaded = getattr(self, "_loaded", None)
        if isinstance(loaded, tuple):
            loaded = self._loaded = dict(zip(*loaded, strict=True))
        return loaded

    @loaded_values.setter
    def loaded_values(self, values: dict) -> None:
        self._loaded = values

    def refresh_from_db(self, *args, **kwargs):
        # A protected FSMField refuses any assignment once loaded, including Django's
        # own reload; reading the stored value again is not a status change.
        fields = kwargs.get("fields")
        if fields is None or "status" in fields:
            self.__dict__.pop("status", None)
        super().refresh_from_db(*args, **kwargs)
        self.loaded_values = {
            **(self.loaded_values or {}),
            **{
                f.attname: getattr(self, f.attname)
                for f in self._meta.concrete_fields
                if fields is None or f.name in fields or f.attname in fields
            },
        }

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    # --- The workflow. Services call these with the row locked; nothing else may. ---

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        permission=_practising(_is_operator_of),
    )
    def submit(self) -> None:
        """Village official sends the claim (again) to Dinas Sosial."""

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.VERIFIED,
        permission=_practising(_is_verifier),
    )
    def verify(self) -> None:
        """Dinas Sosial found documents and registry data in order."""

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.VERIFIED, Status.PAYMENT_FAILED],
        target=Status.RETURNED,
        permission=_practising(_is_verifier),
    )
    def return_to_village(self) -> None:
        """Sent back to the village to correct; a reason is required. After a failed
        transfer, this is how the heir's account gets corrected."""

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.VERIFIED],
        target=Status.REJECTED,
        permission=_practising(_may_reject),
    )
    def reject(self) -> None:
        """Refused for good; a reason is required."""

    @transition(
        field=status,
        source=Status.VERIFIED,
        target=Status.APPROVED,
        permission=_practising(_is_independent_approver),
    )
    def approve(self) -> None:
        """The head of office approves payment."""

    @transition(
        field=status,
        source=Status.VERIFIED,
        target=Status.SUBMITTED,
        permission=_practising(_is_independent_approver),
    )
    def send_back(self) -> None:
        """The approver sends a verified claim back to the verifier to look again; a
        reason is required. The village is not involved: what is wrong lies with the
        verification, not with the file."""

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.CANCELLED,
        permission=_practising(_is_operator_of),
    )
    def cancel(self) -> None:
        """The village withdraws a claim it has not (re)submitted."""

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.SCHEDULED,
        permission=_practising(_is_finance_not_approver, in_practice=False),
    )
    def schedule(self) -> None:
        """Put into a payout batch."""

    @transition(
        field=status,
        source=Status.SCHEDULED,
        target=Status.APPROVED,
        permission=_practising(_is_finance, in_practice=False),
    )
    def unschedule(self) -> None:
        """Taken out of a draft payout batch."""

    @transition(
        field=status,
        source=Status.SCHEDULED,
        target=Status.PAID,
        permission=_practising(_is_finance_not_approver, in_practice=False),
    )
    def mark_paid(self) -> None:
        """The heir received the money (cash receipt or bank confirmation)."""

    @transition(
        field=status,
        source=Status.SCHEDULED,
        target=Status.PAYMENT_FAILED,
        permission=_practising(_is_finance, in_practice=False),
    )
    def mark_payment_failed(self) -> None:
        """The bank refused the transfer."""

    @transition(
        field=status,
        source=Status.PAYMENT_FAILED,
        target=Status.APPROVED,
        permission=_practising(_is_finance, in_practice=False),
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
    reason = models.TextField(_("alasan"), max_length=REASON_MAX, blank=True)
    client_ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    data = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["claim", "at"], name="claimevent_claim_at_idx")]
        verbose_name = _("riwayat klaim")
        verbose_name_plural = _("riwayat klaim")

    def __str__(self) -> str:
        return f"{self.claim} · {_local(self.at)}"


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


# Upload path of the payout PDFs; it stays here because migration 0003 names it.
def _payout_document_path(instance: "PayoutDocument", filename: str) -> str:
    return f"payouts/{instance.batch_id}/{uuid.uuid4().hex}.pdf"


# Payouts belong to finance: their models live in santunan/finance/models.py, beside the
# services and views that use them, under this app's label (no table moves). Background
# tasks as the administration shows them are a proxy of django_tasks_db's table.
from santunan.background import BackgroundTask  # noqa: E402
from santunan.finance.models import (  # noqa: E402
    BankResultUpload,
    BatchItem,
    BatchStatus,
    Budget,
    BudgetChange,
    DocumentType,
    Payment,
    PayoutBatch,
    PayoutDocument,
    RenderState,
)

__all__ = [
    "ACTIVE_STATUSES",
    "EDITABLE_STATUSES",
    "LATE_DOCUMENT_STATUSES",
    "OPEN_STATUSES",
    "DEATH_DOCUMENTS",
    "DEFAULT_OPTIONAL_DOCUMENTS",
    "DEFAULT_REQUIRED_DOCUMENTS",
    "REQUIRED_DOCUMENTS",
    "AccessLog",
    "BackgroundTask",
    "BankResultUpload",
    "BatchItem",
    "BatchStatus",
    "BenefitPolicy",
    "Budget",
    "BudgetChange",
    "Claim",
    "ClaimDocument",
    "ClaimEvent",
    "DocumentKind",
    "DocumentType",
    "Holiday",
    "Payment",
    "PayoutBatch",
    "PayoutDocument",
    "RenderState",
    "Status",
    "YearlySequence",
]
