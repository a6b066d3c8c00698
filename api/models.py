"""Who may call the API and what it has already answered.

A token's secret is shown once and stored only as its SHA-256: the secret is 32
random bytes, so a fast hash is enough (nothing to guess), and the short prefix
finds the row without comparing against every hash."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villages.models import Desa


class Scope(models.TextChoices):
    # A person's own token: everything that person may do in the web pages.
    PERSONAL = "personal", _("Pribadi (sesuai peran pengguna)")
    # A machine that only reads figures for the regency's dashboards.
    REPORT = "report", _("Laporan (hanya baca)")
    # A village app that files claims for one desa.
    SUBMIT = "submit", _("Pengajuan untuk satu desa")


class ApiClient(models.Model):
    """A system that calls the API on its own (a village app, the smart-city
    dashboard). It acts through a dedicated user created with it: the audit trail,
    claim_for_user, the workflow's permissions and the services all take a user, so a
    client that is a user passes through every one of those doors unchanged instead of
    needing a second set of rules. That user has no password and cannot log in."""

    name = models.CharField(_("nama"), max_length=100, unique=True)
    scope = models.CharField(
        _("cakupan"), max_length=10, choices=[c for c in Scope.choices if c[0] != Scope.PERSONAL]
    )
    desa = models.ForeignKey(
        Desa,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
        help_text=_("Wajib untuk cakupan pengajuan: klien hanya mengajukan untuk desa ini."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("pengguna klien"),
        editable=False,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("klien API")
        verbose_name_plural = _("klien API")
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope=Scope.SUBMIT) | Q(desa__isnull=False),
                name="api_submit_client_has_desa",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("pengguna"),
    )
    name = models.CharField(_("nama"), max_length=100)
    scope = models.CharField(_("cakupan"), max_length=10, choices=Scope.choices)
    prefix = models.CharField(_("awalan"), max_length=12, unique=True)
    key_hash = models.CharField(_("hash SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class IdempotencyRecord(models.Model):
    """The answer given to one Idempotency-Key of one caller. The row is inserted in
    the same transaction as the work it guards, so a second request with the key waits
    on the unique index until the first commits, then replays its answer; if the first
    failed, nothing was kept and the second does the work."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")
        ]
        indexes = [models.Index(fields=["expires_at"], name="idempotency_expires_idx")]

    def __str__(self) -> str:
        return self.key
