from django import forms
from django.utils.translation import gettext_lazy as _

from office.models import NIP
from villages import wilayah


class RegencyChoiceForm(forms.Form):
    """The first-run choice: a province, then one of its kabupaten/kota (read by GET,
    so each step is a plain link the browser can go back to)."""

    provinsi = forms.ChoiceField(
        label=_("Provinsi"),
        error_messages={"invalid_choice": _("Pilih provinsi dari daftar.")},
    )
    kabupaten = forms.ChoiceField(
        label=_("Kabupaten/kota"),
        required=False,
        error_messages={
            "invalid_choice": _("Pilih kabupaten/kota dari daftar provinsi yang dipilih.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinsi"].choices = [("", _("— pilih provinsi —")), *wilayah.provinces()]
        province = (self.data.get("provinsi") or "").strip()
        self.fields["kabupaten"].choices = [("", _("— pilih kabupaten/kota —"))] + [
            (r.code, r.name) for r in wilayah.regencies_in(province)
        ]


class OfficeIdentityForm(forms.Form):
    office = forms.CharField(label=_("Nama kantor"), max_length=100, initial="Dinas Sosial")
    address = forms.CharField(label=_("Alamat kantor"), max_length=200)
    postal_code = forms.RegexField(
        label=_("Kode pos"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Kode pos terdiri dari 5 angka.")},
    )
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    place = forms.CharField(
        label=_("Tempat surat"), max_length=60, help_text=_("Kota tempat surat ditandatangani.")
    )
    head_name = forms.CharField(label=_("Nama kepala kantor"), max_length=150, required=False)
    head_nip = forms.CharField(
        label=_("NIP kepala kantor"), max_length=18, required=False, validators=[NIP]
    )
    treasurer_name = forms.CharField(
        label=_("Nama bendahara pengeluaran"), max_length=150, required=False
    )
    treasurer_nip = forms.CharField(
        label=_("NIP bendahara pengeluaran"), max_length=18, required=False, validators=[NIP]
    )

    def clean(self):
        data = super().clean()
        for person in ("head", "treasurer"):
            name, nip = data.get(f"{person}_name"), data.get(f"{person}_nip")
            if name and not nip and f"{person}_nip" not in self.errors:
                self.add_error(f"{person}_nip", _("Isi NIP pejabat ini (18 angka)."))
            if nip and not name:
                self.add_error(f"{person}_name", _("Isi nama pejabat ini."))
        return data
