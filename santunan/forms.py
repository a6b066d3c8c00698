"""The village's claim form, one Django form per step. The forms only clean input:
they never save; the views hand `cleaned_data` to create_claim / update_claim, which
own every write. Every field may stay empty in a draft; submission_problems lists
what is still missing on the review step."""

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from santunan.fields import date_formfield
from santunan.identity import digits_problem, is_ascii_digits, nik_problem, normalise_number
from santunan.limits import date_problem
from santunan.models import BenefitPolicy, Claim
from santunan.phones import phone_problem, to_e164
from santunan.rules import deadline_words, payout_choices
from santunan.services import DECEASED_FIELDS, HEIR_FIELDS, NAME_FIELDS, TRANSFER_FIELDS
from santunan.spreadsheets import name_problem


def _fields(names: list[str]) -> dict:
    # Dates typed as dd/mm/yyyy whatever the browser's language (santunan.fields).
    fields = fields_for_model(Claim, fields=names, formfield_callback=date_formfield)
    for field in fields.values():
        field.required = False
    return fields


def _digits_widget(placeholder: str) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": placeholder}
    )


# Typed numbers may carry separators ("3325 0112 …", "3325-01-…") that normalisation
# removes; a field as long as the stored number would refuse them with Django's generic
# "paling banyak 16 karakter" before the number's own message could explain.
TYPED_NUMBER_LENGTH = 40


def _number_field(form: forms.Form, name: str, placeholder: str) -> None:
    field = form.fields[name]
    form.fields[name] = forms.CharField(
        label=field.label,
        required=field.required,
        max_length=TYPED_NUMBER_LENGTH,
        widget=_digits_widget(placeholder),
    )


class ClaimStepForm(forms.Form):
    """`policy` is the claim's policy (santunan.rules.policy_for): the fields and
    choices it asks for follow it."""

    field_names: list[str] = []

    def __init__(self, *args, policy: BenefitPolicy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.fields.update(_fields(self.field_names))
        self.customise()

    def customise(self) -> None:
        pass

    def clean(self):
        data = super().clean()
        for name in NAME_FIELDS & set(self.fields):
            if problem := name_problem(data.get(name) or ""):
                self.add_error(name, problem)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and (problem := date_problem(data.get(name))):
                self.add_error(name, problem)
        return data

    def clean_nik(self, name: str, label: str) -> str:
        value = normalise_number(self.cleaned_data.get(name))
        if value and (problem := nik_problem(value, label=label)):
            raise forms.ValidationError(
                _("%(problem)s Salin persis dari KTP atau KK.") % {"problem": problem}
            )
        return value

    def clean_past_date(self, name: str, message: str):
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(message)
        return value


class DeceasedForm(ClaimStepForm):
    field_names = DECEASED_FIELDS
    groups = [(_("Data almarhum/almarhumah"), DECEASED_FIELDS, "")]

    def customise(self) -> None:
        self.fields["deceased_name"].required = True
        self.fields["deceased_name"].error_messages["required"] = _(
            "Tuliskan nama almarhum/almarhumah seperti di KTP agar draf dapat disimpan."
        )
        self.fields["deceased_sex"].widget = forms.RadioSelect(choices=Claim.Sex.choices)
        _number_field(self, "deceased_nik", "3325…")
        _number_field(self, "deceased_kk", "3325…")
        self.fields["deceased_nik"].help_text = _("16 angka, lihat KTP atau KK.")
        self.fields["deceased_kk"].help_text = _("16 angka di bagian atas Kartu Keluarga.")
        self.fields["deceased_address"].widget.attrs["rows"] = 2
        if self.policy.counts_from_certificate:
            self.fields["death_certificate_date"].help_text = _(
                "Tanggal terbit akta kematian dari Dukcapil; batas pengajuan %(rule)s."
            ) % {"rule": deadline_words(self.policy)}
        else:
            # Asked only where the deadline counts from it.
            del self.fields["death_certificate_date"]

    def clean_deceased_nik(self):
        return self.clean_nik("deceased_nik", _("NIK almarhum"))

    def clean_deceased_kk(self):
        value = normalise_number(self.cleaned_data.get("deceased_kk"))
        if value and (problem := digits_problem(value, label=_("Nomor KK"), length=16)):
            raise forms.ValidationError(
                _("%(problem)s Salin dari Kartu Keluarga.") % {"problem": problem}
            )
        return value

    def clean_deceased_birth_date(self):
        return self.clean_past_date(
            "deceased_birth_date", _("Tanggal lahir tidak boleh di masa depan. Periksa tahunnya.")
        )

    def clean_death_date(self):
        return self.clean_past_date(
            "death_date", _("Tanggal meninggal tidak boleh di masa depan. Periksa tanggalnya.")
        )

    def clean_death_certificate_date(self):
        return self.clean_past_date(
            "death_certificate_date",
            _("Tanggal akta kematian tidak boleh di masa depan. Periksa tanggalnya."),
        )

    def clean(self):
        data = super().clean()
        born, died = data.get("deceased_birth_date"), data.get("death_date")
        if born and died and died < born:
            self.add_error(
                "death_date",
                _("Tanggal meninggal tidak boleh sebelum tanggal lahir. Periksa kedua tanggal."),
            )
        certificate = data.get("death_certificate_date")
        if certificate and died and certificate < died:
            self.add_error(
                "death_certificate_date",
                _("Tanggal akta kematian tidak boleh sebelum tanggal meninggal."),
            )
        return data


class HeirForm(ClaimStepForm):
    field_names = HEIR_FIELDS
    groups = [
        (
            _("Ahli waris"),
            ["heir_nik", "heir_name", "heir_relation", "heir_phone", "heir_address"],
            "",
        ),
        (_("Pembayaran santunan"), ["payout_method"], ""),
        # Hidden by the stylesheet while "tunai" is chosen.
        (_("Rekening bank (bila transfer)"), TRANSFER_FIELDS, "bank-fields"),
        ("", ["notes"], ""),
    ]

    def customise(self) -> None:
        _number_field(self, "heir_nik", "3325…")
        self.fields["heir_phone"].widget = forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "placeholder": "08…"}
        )
        # Only the methods the policy offers; the service refuses any other.
        choices = payout_choices(self.policy)
        self.fields["payout_method"] = forms.ChoiceField(
            label=self.fields["payout_method"].label,
            required=False,
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": _("Cara pembayaran ini tidak tersedia; pilih yang tercantum.")
            },
        )
        if len(choices) == 1:
            self.initial.setdefault("payout_method", choices[0][0])
        _number_field(self, "bank_account", "")
        self.fields["bank_name"].help_text = _("Diisi bila dibayar lewat transfer.")
        self.fields["heir_address"].widget.attrs["rows"] = 2
        self.fields["notes"].widget.attrs["rows"] = 2
        if not self.policy.transfer_offered:
            self.groups = [group for group in self.groups if group[2] != "bank-fields"]
            for name in TRANSFER_FIELDS:
                del self.fields[name]

    def clean_heir_nik(self):
        return self.clean_nik("heir_nik", _("NIK ahli waris"))

    def clean_bank_account(self):
        value = normalise_number(self.cleaned_data.get("bank_account"))
        if value and not is_ascii_digits(value):
            raise forms.ValidationError(
                _("Nomor rekening hanya berisi angka 0–9. Salin dari buku tabungan.")
            )
        return value

    def clean_heir_phone(self):
        value = (self.cleaned_data.get("heir_phone") or "").strip()
        if not value:
            return value
        normalised = to_e164(value)
        if normalised is None:
            raise forms.ValidationError(phone_problem())
        return normalised


def initial_from(claim: Claim, form_class: type[ClaimStepForm]) -> dict:
    initial = {name: getattr(claim, name) for name in form_class.field_names}
    # An empty choice lets the form preselect the only method a policy offers.
    return {name: value for name, value in initial.items() if value not in ("", None)}
