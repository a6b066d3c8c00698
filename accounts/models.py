"""One-time activation codes for accounts created by the office (import_officials).

A code is shown once, on the printed slip or in the message that carries it; only its
keyed digest is kept. The row is also the record of the activation: who issued it,
when, and when and from where it was used."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivationCode(models.Model):
    class Channel(models.TextChoices):
        SLIP = "slip", _("slip cetak")
        MESSAGE = "message", _("SMS/WhatsApp")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activation_codes",
        verbose_name=_("pengguna"),
    )
    digest = models.CharField(_("ringkasan kode"), max_length=64, unique=True)
    channel = models.CharField(_("disampaikan lewat"), max_length=10, choices=Channel.choices)
    issued_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    used_ip = models.GenericIPAddressField(_("dipakai dari alamat"), null=True, blank=True)
    # Set on the other open codes of the account when one of them is used.
    revoked_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("kode aktivasi")
        verbose_name_plural = _("kode aktivasi")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_channel_display()}"


class PasswordResetCode(models.Model):
    """One "Lupa kata sandi?" request (accounts/password_reset.py): the code sent to the
    account's phone, kept as a keyed digest, and the record of the request and of its
    use. A request that named no account (or one without a phone, or over its limit)
    is a row without a code: it still counts towards the address's limit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="password_reset_codes",
        verbose_name=_("pengguna"),
    )
    digest = models.CharField(_("ringkasan kode"), max_length=64, blank=True)
    requested_at = models.DateTimeField(_("diminta"), auto_now_add=True, db_index=True)
    requested_ip = models.GenericIPAddressField(_("diminta dari alamat"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(_("kode salah diketik"), default=0)
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    used_ip = models.GenericIPAddressField(_("dipakai dari alamat"), null=True, blank=True)
    # A newer code, too many wrong tries or the code's use closes the other open codes.
    revoked_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("kode atur ulang kata sandi")
        verbose_name_plural = _("kode atur ulang kata sandi")
        indexes = [
            models.Index(fields=["requested_ip", "requested_at"], name="resetcode_ip_at_idx"),
            models.Index(fields=["user", "requested_at"], name="resetcode_user_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user or '—'} · {self.requested_at:%Y-%m-%d %H:%M}"
