from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Regency(models.Model):
    """The kabupaten or kota this installation serves, recorded once by setup_regency.
    A database holds the claims of one regency only, so there is never a second row
    (`slot` is always 1); REGENCY_CODE/REGENCY_NAME are only the defaults before it."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    slot = models.PositiveSmallIntegerField(_("baris"), default=1, unique=True, editable=False)
    code = models.CharField(_("kode"), max_length=5, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    province_code = models.CharField(_("kode provinsi"), max_length=2)
    province_name = models.CharField(_("provinsi"), max_length=100)
    set_up_at = models.DateTimeField(_("dipasang pada"), auto_now_add=True)
    set_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dipasang oleh"),
    )

    class Meta:
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        constraints = [models.CheckConstraint(condition=Q(slot=1), name="regency_single_row")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Kecamatan(models.Model):
    """A district, keyed by its Kemendagri code (e.g. 33.25.01)."""

    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    # False once a newer Kepmendagri table no longer lists it but villages still do.
    is_active = models.BooleanField(_("aktif"), default=True)

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
    # False once a newer Kepmendagri table no longer lists it: a village that claims
    # use is kept (the claims stay attached), never deleted.
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class AreaChange(models.Model):
    """One difference applied from a newer area table (update_wilayah): the readable
    record of what happened to a code, kept with the file it came from."""

    class Kind(models.TextChoices):
        ADDED = "added", _("baru")
        RENAMED = "renamed", _("ganti nama")
        DEACTIVATED = "deactivated", _("dinonaktifkan (masih dipakai)")
        DELETED = "deleted", _("dihapus (tidak dipakai)")
        SUCCESSOR = "successor", _("kemungkinan pengganti")

    level = models.CharField(_("tingkat"), max_length=10)
    code = models.CharField(_("kode"), max_length=13)
    kind = models.CharField(_("perubahan"), max_length=12, choices=Kind.choices)
    old_name = models.CharField(_("nama lama"), max_length=100, blank=True)
    new_name = models.CharField(_("nama baru"), max_length=100, blank=True)
    detail = models.CharField(_("keterangan"), max_length=300, blank=True)
    source = models.CharField(_("berkas"), max_length=200)
    source_sha256 = models.CharField(_("sha256 berkas"), max_length=64)
    applied_at = models.DateTimeField(_("diterapkan pada"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterapkan oleh"),
    )

    class Meta:
        ordering = ["-applied_at", "code"]
        verbose_name = _("perubahan wilayah")
        verbose_name_plural = _("perubahan wilayah")

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()}"


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
    # When this person closed the first-steps list on their home page (accounts/
    # first_steps.py); empty while it is still shown.
    first_steps_dismissed_at = models.DateTimeField(
        _("langkah pertama ditutup"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("pilihan pengguna")
        verbose_name_plural = _("pilihan pengguna")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
