"""The outbox: one row per message that a claim event (or a daily check) causes.

A row is written in the same transaction as its cause, so a message exists exactly when
the event does; its unique key (cause, kind, recipient) makes a second copy impossible
whatever path tries to write it. The worker moves it queued → sending → sent →
delivered, or to failed; a skipped row says why nothing was sent."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SUBMITTED = "submitted", _("Klaim diajukan")
    RETURNED = "returned", _("Klaim dikembalikan ke desa")
    APPROVED = "approved", _("Klaim disetujui")
    SCHEDULED = "scheduled", _("Dijadwalkan bayar")
    PAID = "paid", _("Santunan dibayar")
    REJECTED = "rejected", _("Klaim ditolak")
    PAYMENT_FAILED = "payment_failed", _("Pembayaran gagal")
    DEADLINE = "deadline", _("Draf mendekati batas pengajuan")
    DIGEST = "digest", _("Ringkasan harian klaim lewat janji layanan")
    ACTIVATION = "activation", _("Tautan aktivasi akun baru")
    PASSWORD_RESET = "password_reset", _("Kode atur ulang kata sandi")


class Audience(models.TextChoices):
    HEIR = "heir", _("ahli waris")
    VILLAGE = "village", _("operator desa")
    VERIFIER = "verifier", _("verifikator")
    OFFICIAL = "official", _("petugas (akun baru)")
    ACCOUNT = "account", _("pemilik akun")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class State(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim ke gateway")
    DELIVERED = "delivered", _("Diterima")
    FAILED = "failed", _("Gagal")
    SKIPPED = "skipped", _("Tidak dikirim")


FINAL_STATES = [State.SENT, State.DELIVERED, State.FAILED, State.SKIPPED]


class KindSetting(models.Model):
    """The administrator's switch and wording for one kind of message. A kind without a
    row is on, with the default wording (notifications/texts.py)."""

    kind = models.CharField(_("jenis pesan"), max_length=20, choices=Kind.choices, unique=True)
    enabled = models.BooleanField(_("aktif"), default=True)
    heir_text = models.TextField(
        _("teks untuk ahli waris"), blank=True, help_text=_("Kosongkan untuk teks bawaan.")
    )
    staff_text = models.TextField(
        _("teks untuk desa/verifikator"), blank=True, help_text=_("Kosongkan untuk teks bawaan.")
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("pengaturan jenis pesan")
        verbose_name_plural = _("pengaturan jenis pesan")

    def __str__(self) -> str:
        return self.get_kind_display()


class RecipientChannel(models.Model):
    """A number that prefers WhatsApp; every other number gets SMS."""

    phone = models.CharField(_("nomor HP (E.164)"), max_length=20, unique=True)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("saluran penerima")
        verbose_name_plural = _("saluran penerima")

    def __str__(self) -> str:
        return f"…{self.phone[-4:]} → {self.get_channel_display()}"


def reference_for(key: str) -> str:
    """The idempotency key sent to the gateway: stable for a message across attempts
    and workers, and free of personal data."""
    return "es-" + hashlib.sha256(key.encode()).hexdigest()[:40]


class Message(models.Model):
    key = models.CharField(_("kunci unik"), max_length=200, unique=True)
    reference = models.CharField(_("referensi gateway"), max_length=64, unique=True)
    kind = models.CharField(_("jenis pesan"), max_length=20, choices=Kind.choices)
    audience = models.CharField(_("penerima"), max_length=10, choices=Audience.choices)
    claim = models.ForeignKey(
        "santunan.Claim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("klaim"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengguna penerima"),
    )
    phone = models.CharField(_("nomor tujuan"), max_length=20, blank=True)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("isi pesan"))
    state = models.CharField(
        _("keadaan"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("coba lagi pada"), null=True, blank=True)
    sending_since = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    gateway_id = models.CharField(_("ID gateway"), max_length=100, blank=True)
    error = models.CharField(_("kesalahan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("diterima"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="message_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_audience_display()}"


class StatusAttempt(models.Model):
    """A wrong try on the public status page, kept a short while to throttle guessing
    per address and per claim number. The number is kept only as a digest."""

    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    number_digest = models.CharField(_("nomor klaim (ringkasan)"), max_length=64)
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("percobaan cek status")
        verbose_name_plural = _("percobaan cek status")
        indexes = [
            models.Index(fields=["ip", "at"], name="statusattempt_ip_at_idx"),
            models.Index(fields=["number_digest", "at"], name="statusattempt_number_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ip} · {self.at:%Y-%m-%d %H:%M:%S}"
