from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kecamatan(models.Model):
    """A district, keyed by its Kemendagri code (e.g. 33.25.01)."""

    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.name


class Desa(models.Model):
    """A village (desa) or urban village (kelurahan), keyed by its Kemendagri code."""

    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="desa_set", verbose_name=_("kecamatan")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class OperatorAssignment(models.Model):
    """Which desa a village official (operator desa) works for: exactly one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="operator_assignment",
        verbose_name=_("pengguna"),
    )
    desa = models.ForeignKey(
        Desa, on_delete=models.PROTECT, related_name="operators", verbose_name=_("desa/kelurahan")
    )
    assigned_at = models.DateTimeField(_("ditugaskan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan operator desa")
        verbose_name_plural = _("penugasan operator desa")

    def __str__(self) -> str:
        return f"{self.user} → {self.desa}"


class UserPreference(models.Model):
    """What a person chose for themselves: the interface language follows them from
    device to device once they are logged in, whatever their browser asks for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("pengguna"),
    )
    language = models.CharField(
        _("bahasa"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Where this person's work messages go (a village operator: returned and rejected
    # claims, deadlines; a verifier: the daily digest). E.164, blank for none.
    phone = models.CharField(_("nomor HP untuk pesan"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("pilihan pengguna")
        verbose_name_plural = _("pilihan pengguna")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
