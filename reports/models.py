"""A report asked for on the reports page and built by the worker, with its progress
and the finished file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportRun(models.Model):
    class Kind(models.TextChoices):
        RECAP = "recap", _("Rekap per kecamatan dan desa")
        PROMISE = "promise", _("Kepatuhan janji layanan")
        PAYMENTS = "payments", _("Pertanggungjawaban pembayaran")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel (.xlsx)")
        PDF = "pdf", _("PDF")

    class State(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(_("laporan"), max_length=10, choices=Kind.choices)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("bulan"), null=True, blank=True)
    batch = models.ForeignKey(
        "santunan.PayoutBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("batch"),
    )
    state = models.CharField(
        _("keadaan"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("baris selesai"), default=0)
    rows_total = models.PositiveIntegerField(_("baris"), default=0)
    error = models.TextField(_("kendala"), blank=True)
    file = models.FileField(_("berkas"), upload_to="reports/", blank=True, max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )
    requested_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_file_format_display()})"


class ClaimCount(models.Model):
    """How many claims first submitted in a month, in a desa, stand in a status with a
    service-promise outcome: the dashboard's counts, kept by every claim event in the
    transaction that records it (reports/counts.py), so the page adds up a few hundred
    rows instead of counting a year of claims. `manage.py recount_dashboard` rebuilds
    them from the claims and checks that they agree."""

    month = models.DateField(_("bulan"))
    desa = models.ForeignKey(
        "villages.Desa", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa")
    )
    status = models.CharField(_("status"), max_length=20)
    # "kept", "missed" or "" (no decision on the current submission yet).
    promise = models.CharField(_("janji layanan"), max_length=6, blank=True)
    claims = models.IntegerField(_("klaim"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "desa", "status", "promise"], name="claimcount_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.desa_id} {self.status} {self.promise}: {self.claims}"


class StepCount(models.Model):
    """How many claims first submitted in a year, in a desa, took so many working days
    for a step: the histogram the dashboard reads its medians and 90th percentiles
    from, kept like ClaimCount."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    desa = models.ForeignKey(
        "villages.Desa", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa")
    )
    step = models.CharField(_("tahap"), max_length=20)
    days = models.IntegerField(_("hari kerja"))
    claims = models.IntegerField(_("klaim"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "desa", "step", "days"], name="stepcount_key")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.desa_id} {self.step} {self.days}: {self.claims}"
