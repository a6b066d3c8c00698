"""What the registries say, loaded as snapshots, and what the cross-check found.

A snapshot is one complete extract of one registry. Readers only ever look at the
active snapshot of a source, so a load in progress (or one that failed) is invisible
until the single switch in `services.activate_snapshot`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from santunan.models import Claim


class Source(models.TextChoices):
    SOCIAL = "social", _("Registri sosial (DTKS/DTSEN)")
    POPULATION = "population", _("Registri kependudukan (Dukcapil)")


class Snapshot(models.Model):
    class Status(models.TextChoices):
        # Uploaded, but some status words are unknown: the administrator maps them first.
        PREVIEW = "preview", _("Menunggu pemetaan nilai")
        QUEUED = "queued", _("Menunggu")
        LOADING = "loading", _("Sedang dimuat")
        ACTIVE = "active", _("Aktif")
        SUPERSEDED = "superseded", _("Digantikan")
        REFUSED = "refused", _("Ditolak")
        FAILED = "failed", _("Gagal")

    source = models.CharField(_("sumber"), max_length=12, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    received_on = models.DateField(_("tanggal diterima"))
    file_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    # Uploaded from the page and waiting for the worker; a random name, no personal data.
    upload_path = models.CharField(_("lokasi unggahan"), max_length=200, blank=True)
    sha256 = models.CharField(_("checksum SHA-256"), max_length=64, blank=True)
    rows_read = models.PositiveIntegerField(_("baris dibaca"), default=0)
    rows_loaded = models.PositiveIntegerField(_("baris dimuat"), default=0)
    rows_refused = models.PositiveIntegerField(_("baris ditolak"), default=0)
    # Rows kept with a secondary field (KK, decile, death date …) left empty.
    rows_warned = models.PositiveIntegerField(_("baris dengan peringatan"), default=0)
    # What the header told: {"unread_columns": [...], "missing_columns": [...]}.
    report = models.JSONField(_("laporan kolom"), default=dict, blank=True)
    # Progress of a load in the reader's unit (bytes of a CSV, rows of a workbook).
    progress_total = models.PositiveBigIntegerField(_("jumlah pekerjaan"), default=0)
    progress_done = models.PositiveBigIntegerField(_("pekerjaan selesai"), default=0)
    message = models.TextField(_("keterangan"), blank=True)
    # Before loading: the unknown words of mappable columns, [{column, value, count}].
    unknown_values = models.JSONField(_("nilai tak dikenal"), default=list, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimuat oleh"),
    )
    # Who is loading it, and when it last reported: a load whose process died (SIGKILL,
    # out of memory, a lost machine) is found by these and marked failed.
    owner_host = models.CharField(_("mesin pemuat"), max_length=100, blank=True)
    owner_pid = models.PositiveIntegerField(_("proses pemuat"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    activated_at = models.DateTimeField(_("diaktifkan"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("snapshot registri")
        verbose_name_plural = _("snapshot registri")
        permissions = [("import_registry", "Memuat data registri")]
        constraints = [
            # The switch is atomic, and the database refuses two active snapshots anyway.
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(status="active"),
                name="one_active_snapshot_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_on:%d-%m-%Y} #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.LOADING}

    @property
    def percent_done(self) -> int:
        if self.status in {self.Status.ACTIVE, self.Status.SUPERSEDED}:
            return 100
        if not self.progress_total:
            return 0
        return min(99, int(self.progress_done * 100 / self.progress_total))


class RegistryPerson(models.Model):
    """One person in one snapshot. Fields of both sources live in one table; the
    social-only and population-only ones stay empty for the other source."""

    # No database foreign key: a per-row constraint check would halve the speed of COPY,
    # and rows are only ever written by the import and deleted with their snapshot.
    # No index of its own either: the (snapshot, nik) unique index serves every query by
    # snapshot, and each index the table has must be kept up row by row during a load.
    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("snapshot"),
    )
    nik = models.CharField("NIK", max_length=16)
    name = models.CharField(_("nama"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1)
    kk = models.CharField(_("nomor KK"), max_length=16, blank=True)
    desa_code = models.CharField(_("kode desa"), max_length=13, blank=True)
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    # Social registry: DTKS membership and/or DTSEN welfare decile (1 poorest … 10).
    dtks = models.BooleanField(_("terdaftar DTKS"), null=True, blank=True)
    decile = models.PositiveSmallIntegerField(_("desil DTSEN"), null=True, blank=True)
    updated_on = models.DateField(_("tanggal pembaruan"), null=True, blank=True)
    # Population registry.
    alive = models.BooleanField(_("hidup"), null=True, blank=True)
    death_date = models.DateField(_("tanggal meninggal"), null=True, blank=True)

    class Meta:
        verbose_name = _("data registri")
        verbose_name_plural = _("data registri")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "nik"], name="registry_person_unique_nik"),
        ]

    def __str__(self) -> str:
        return self.name


class ImportProblem(models.Model):
    """A refused line of a registry file, or a line kept with a field left empty: where
    and why, never the value itself."""

    class Kind(models.TextChoices):
        REFUSED = "refused", _("Ditolak")
        WARNING = "warning", _("Peringatan")

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="problems", verbose_name=_("snapshot")
    )
    line = models.PositiveIntegerField(_("baris"))
    message = models.CharField(_("masalah"), max_length=300)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.REFUSED)

    class Meta:
        ordering = ["snapshot", "line", "pk"]
        verbose_name = _("baris registri yang ditolak")
        verbose_name_plural = _("baris registri yang ditolak")

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


class RegistryCheck(models.Model):
    """The state of a claim's cross-check: pending until the registries answered."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu pemeriksaan registri")
        DONE = "done", _("Selesai diperiksa")

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, related_name="registry_check", verbose_name=_("klaim")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    # Why the registry could not answer, for the verifier; never personal data.
    last_error = models.CharField(_("kendala terakhir"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    checked_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    social_snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("snapshot registri sosial"),
    )
    population_snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("snapshot registri kependudukan"),
    )

    class Meta:
        verbose_name = _("pemeriksaan registri")
        verbose_name_plural = _("pemeriksaan registri")

    def __str__(self) -> str:
        return f"{self.claim} {self.get_status_display()}"


class Severity(models.TextChoices):
    BLOCKER = "blocker", _("Penghalang")
    WARNING = "warning", _("Peringatan")
    INFO = "info", _("Informasi")


SEVERITY_ORDER = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Finding(models.Model):
    """One thing the cross-check found about a claim. The sentence is built when it is
    shown (from `code` and `params`) so it follows the reader's language."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="registry_findings", verbose_name=_("klaim")
    )
    code = models.CharField(_("kode"), max_length=40)
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices)
    params = models.JSONField(_("rincian"), default=dict, blank=True)
    created_at = models.DateTimeField(_("ditemukan"), auto_now_add=True)

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name = _("temuan registri")
        verbose_name_plural = _("temuan registri")
        indexes = [models.Index(fields=["claim", "severity"], name="finding_claim_severity_idx")]

    def __str__(self) -> str:
        return f"{self.claim} · {self.get_severity_display()}"

    @property
    def message(self) -> str:
        from dinsos_sync.findings import finding_message

        return finding_message(self.code, self.params)


class ValueMapping(models.Model):
    """A regency's own word in a registry column and the word it means ("NON_DTKS" in
    status_dtks means "TIDAK"), like the column aliases but for values. Read by the file
    import and by the API client, edited by the administrator or from the upload page."""

    source = models.CharField(_("sumber"), max_length=12, choices=Source.choices)
    column = models.CharField(_("kolom"), max_length=30)
    # Stored as the parser looks it up: trimmed, upper case.
    value = models.CharField(_("nilai di berkas"), max_length=100, blank=True)
    meaning = models.CharField(_("berarti"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["source", "column", "value"]
        verbose_name = _("pemetaan nilai registri")
        verbose_name_plural = _("pemetaan nilai registri")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "column", "value"], name="one_meaning_per_registry_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.column}: {self.value} → {self.meaning}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from dinsos_sync.values import MAPPABLE, MAPPABLE_BY_SOURCE, word

        self.value = word(self.value)
        if self.column not in MAPPABLE_BY_SOURCE.get(self.source, []):
            raise ValidationError(
                {"column": _("Kolom ini tidak dapat dipetakan untuk sumber tersebut.")}
            )
        if self.meaning not in MAPPABLE[self.column]:
            raise ValidationError(
                {
                    "meaning": _("Arti harus salah satu dari: %(words)s.")
                    % {"words": ", ".join(w or "(kosong)" for w in MAPPABLE[self.column])}
                }
            )


class UnknownValue(models.Model):
    """A word of a registry column that the installation could not read — a status word
    nobody mapped yet, a decile outside 1–10 — and how often it came, so the
    value-mapping page can ask for its meaning. The word is the registry's vocabulary,
    never personal data: no NIK, no name is kept with it.

    From a file the count is the rows of the latest loaded file; from the API it adds up
    the persons answered with it since `first_seen`."""

    class Origin(models.TextChoices):
        FILE = "file", _("Berkas")
        API = "api", _("Jawaban API")

    source = models.CharField(_("sumber"), max_length=12, choices=Source.choices)
    column = models.CharField(_("kolom"), max_length=30)
    value = models.CharField(_("nilai"), max_length=100, blank=True)
    origin = models.CharField(_("asal"), max_length=4, choices=Origin.choices)
    count = models.PositiveBigIntegerField(_("jumlah"), default=0)
    first_seen = models.DateTimeField(_("pertama terlihat"), auto_now_add=True)
    last_seen = models.DateTimeField(_("terakhir terlihat"))

    class Meta:
        ordering = ["source", "column", "-count", "value"]
        verbose_name = _("nilai registri tak dikenal")
        verbose_name_plural = _("nilai registri tak dikenal")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "column", "value", "origin"], name="one_unknown_value_per_origin"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.column}: {self.value} ({self.count})"
