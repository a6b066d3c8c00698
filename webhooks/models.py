"""Webhooks: addresses of other systems (the regency's dashboard, a village app's
server) that hear of every claim status change, and the outbox of what was posted to
them.

A delivery row is written in the same transaction as the claim event that causes it
(outbox), so a status change that commits always has its deliveries and one that rolls
back has none. The worker posts each row, signed, until the receiver answers 2xx or
the attempts run out (webhooks/services.py)."""

import secrets
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config import outbound

STATUS_CHANGED = "claim.status_changed"


def new_secret() -> str:
    """256 random bits, hex: the key both sides use for HMAC-SHA256."""
    return "whsec_" + secrets.token_hex(32)


def validate_webhook_url(value: str) -> None:
    """The worker may call this address: http/https (https unless DEBUG), and a name
    that resolves only to addresses the outbound guard allows (config/outbound.py).
    Judged again at every delivery, against the address actually connected to: a name
    may point elsewhere tomorrow."""
    try:
        outbound.resolve(value, outbound.webhook_policy())
    except outbound.OutboundRefused as refused:
        if refused.code == "scheme":
            raise ValidationError(
                _(
                    "Alamat webhook harus berupa alamat web lengkap yang diawali http:// "
                    "atau https://."
                ),
                code="scheme",
            ) from None
        raise ValidationError(refused.reason, code=refused.code) from None
    except OSError:
        # Nothing to judge: refused rather than accepted unchecked.
        raise ValidationError(
            _("Nama %(host)s tidak ditemukan (DNS); periksa ejaan alamatnya."),
            code="dns",
            params={"host": urlsplit(value).hostname},
        ) from None


class Endpoint(models.Model):
    """An address the administrator registered. Its secret is generated here, shown
    to the administrator to pass on to the receiver, and signs every delivery."""

    url = models.URLField(
        _("alamat URL"),
        max_length=500,
        validators=[validate_webhook_url],
        help_text=_("Alamat penerima; setiap perubahan status klaim dikirim ke sini (POST JSON)."),
    )
    secret = models.CharField(_("kunci rahasia"), max_length=80, default=new_secret, editable=False)
    active = models.BooleanField(
        _("aktif"),
        default=True,
        help_text=_(
            "Selama tidak aktif tidak ada pengiriman baru yang dicatat, dan yang tertunda "
            "menunggu sampai aktif lagi."
        ),
    )
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("didaftarkan oleh"),
    )
    created_at = models.DateTimeField(_("didaftarkan"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("alamat webhook")
        verbose_name_plural = _("alamat webhook")

    def __str__(self) -> str:
        return self.description or self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    DELIVERED = "delivered", _("Terkirim")
    GIVEN_UP = "given_up", _("Dihentikan")


class Delivery(models.Model):
    """One claim status change for one endpoint. `public_id` is the id the receiver
    sees (header and body), the same on every attempt, so a receiver that got it twice
    can drop the second; `sequence` counts the claim's status changes, so a receiver
    can order them and notice a gap."""

    public_id = models.UUIDField(
        _("ID pengiriman"), default=uuid.uuid4, unique=True, editable=False
    )
    endpoint = models.ForeignKey(
        Endpoint,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("alamat webhook"),
    )
    event = models.ForeignKey(
        "santunan.ClaimEvent",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("peristiwa klaim"),
    )
    claim = models.ForeignKey(
        "santunan.Claim",
        on_delete=models.PROTECT,
        related_name="webhook_deliveries",
        verbose_name=_("klaim"),
    )
    sequence = models.PositiveIntegerField(_("urutan pada klaim"))
    event_type = models.CharField(_("jenis peristiwa"), max_length=40, default=STATUS_CHANGED)
    payload = models.JSONField(_("isi"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("coba pada"), default=timezone.now)
    sending_since = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("kode HTTP terakhir"), null=True, blank=True
    )
    last_error = models.CharField(_("kesalahan terakhir"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        constraints = [
            # The last word against a second copy of one event for one receiver.
            models.UniqueConstraint(fields=["endpoint", "event"], name="delivery_once_per_event"),
            models.UniqueConstraint(
                fields=["endpoint", "claim", "sequence"], name="delivery_claim_sequence_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        number = self.payload.get("claim_number") or f"#{self.claim_id}"
        return f"{number} · {self.sequence}"
