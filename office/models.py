"""Who the office is and who signs for it, kept in the database and edited by the
administrator. Each record has the date it takes effect, so a letter prints the
letterhead and the officials of its own date: entering a new treasurer from 1 July
leaves every letter dated before July as it was printed (its stored PDF and the hash
its QR code carries do not change)."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

NIP = RegexValidator(r"^\d{18}$", _("NIP terdiri dari 18 angka."))


class Letterhead(models.Model):
    """The kop surat from `valid_from` until the next one takes effect."""

    valid_from = models.DateField(_("berlaku sejak"), unique=True)
    regency = models.CharField(_("pemerintah daerah"), max_length=100)
    office = models.CharField(_("nama kantor"), max_length=100)
    address = models.CharField(_("alamat"), max_length=200)
    postal_code = models.CharField(
        _("kode pos"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Kode pos terdiri dari 5 angka."))],
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    place = models.CharField(
        _("tempat surat"), max_length=60, help_text=_("Kota tempat surat ditandatangani.")
    )
    logo = models.ImageField(
        _("lambang daerah (logo)"), upload_to="office/logo/", blank=True, max_length=200
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")

    def __str__(self) -> str:
        return f"{self.office} ({self.valid_from:%d-%m-%Y})"


class Official(models.Model):
    """An appointment: the head of office or the treasurer (bendahara pengeluaran,
    appointed by decree) from one date to another."""

    class Position(models.TextChoices):
        HEAD = "head", _("Kepala kantor")
        TREASURER = "treasurer", _("Bendahara pengeluaran")

    position = models.CharField(_("jabatan"), max_length=10, choices=Position.choices)
    name = models.CharField(_("nama"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18, validators=[NIP])
    title = models.CharField(
        _("sebutan jabatan"),
        max_length=100,
        blank=True,
        help_text=_("Misalnya “Plt. Kepala Dinas Sosial”; kosong memakai sebutan baku."),
    )
    valid_from = models.DateField(_("menjabat sejak"))
    valid_to = models.DateField(_("menjabat sampai"), null=True, blank=True)

    class Meta:
        ordering = ["position", "-valid_from"]
        verbose_name = _("pejabat")
        verbose_name_plural = _("pejabat")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="official_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.name}"


class BudgetAccount(models.Model):
    """The budget account code (kode rekening) santunan kematian is paid from in a
    fiscal year; printed on every kuitansi of that year."""

    year = models.PositiveSmallIntegerField(_("tahun anggaran"), unique=True)
    code = models.CharField(_("kode rekening"), max_length=60)
    name = models.CharField(_("uraian"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("kode rekening")
        verbose_name_plural = _("kode rekening")

    def __str__(self) -> str:
        return f"{self.year}: {self.code}"
