"""Forms of the finance pages: they only parse input; the rules live in services."""

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from santunan.fields import DateField, FileChooser, MoneyField
from santunan.finance.verification import token_from_code
from santunan.limits import NOTE_MAX, validate_recent_date
from santunan.models import Budget, Claim
from santunan.rules import offered_payout_methods
from santunan.spreadsheets import validate_name
from villages.models import Kecamatan


class ClaimFilterForm(forms.Form):
    payout_method = forms.ChoiceField(
        label=_("Cara bayar"),
        required=False,
        choices=[("", _("Semua"))] + Claim.PayoutMethod.choices,
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        required=False,
        queryset=Kecamatan.objects.all(),
        empty_label=_("Semua"),
    )
    approved_from = DateField(
        validators=[validate_recent_date],
        label=_("Disetujui sejak"),
        required=False,
    )
    approved_to = DateField(
        validators=[validate_recent_date],
        label=_("Disetujui sampai"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the methods some policy offers (santunan.rules): a regency that pays by
        # transfer alone is not offered a cash filter that is always empty.
        offered = offered_payout_methods()
        self.fields["payout_method"].choices = [("", _("Semua"))] + [
            (value, label) for value, label in Claim.PayoutMethod.choices if value in offered
        ]


class ScheduleForm(forms.Form):
    claims = forms.TypedMultipleChoiceField(coerce=int, label=_("Klaim"))
    batch = forms.TypedChoiceField(
        label=_("Masukkan ke"), coerce=int, empty_value=None, required=False
    )
    confirm_over_budget = forms.BooleanField(
        label=_("Saya menyetujui pembayaran melampaui sisa pagu"), required=False
    )
    over_budget_note = forms.CharField(
        label=_("Alasan melampaui pagu"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, claim_ids=(), draft_batches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].choices = [(pk, pk) for pk in claim_ids]
        self.fields["batch"].choices = [("", _("Batch baru"))] + [
            (b.pk, b.number) for b in draft_batches
        ]


class SignForm(forms.Form):
    signer_name = forms.CharField(
        label=_("Nama pejabat penanda tangan"), max_length=150, validators=[validate_name]
    )
    signer_nip = forms.CharField(label=_("NIP (18 angka)"), max_length=24)


SCAN_TYPES = "application/pdf,image/jpeg,image/png"


class CashPaymentForm(forms.Form):
    """Only the date is refused here; every other rule is the service's, so all its
    problems come back together (services.cash_payment_problems)."""

    HEIR, REPRESENTATIVE = "heir", "representative"
    FILES = ("receipt_scan", "power_of_attorney")

    paid_on = DateField(
        validators=[validate_recent_date],
        label=_("Tanggal diterima"),
        initial=timezone.localdate,
    )
    collector = forms.ChoiceField(
        label=_("Uang diterima oleh"),
        choices=[
            (HEIR, _("Ahli waris sendiri")),
            (REPRESENTATIVE, _("Kuasa ahli waris, dengan surat kuasa")),
        ],
        initial=HEIR,
        widget=forms.RadioSelect,
    )
    collected_by = forms.CharField(
        label=_("Nama yang menerima uang"),
        max_length=150,
        required=False,
        validators=[validate_name],
    )
    collector_nik = forms.CharField(
        label=_("NIK penerima kuasa"),
        max_length=40,
        required=False,
        help_text=_("Hanya bila uang diterima kuasa ahli waris; dari KTP-nya."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    power_of_attorney = forms.FileField(
        label=_("Surat kuasa dari ahli waris (PDF/JPG/PNG)"),
        required=False,
        help_text=_("Hanya bila uang diterima kuasa ahli waris."),
        widget=FileChooser(attrs={"accept": SCAN_TYPES}),
    )
    identity_checked = forms.BooleanField(
        label=_("KTP penerima sudah diperiksa dan cocok"), required=False
    )
    receipt_scan = forms.FileField(
        label=_("Pindaian kuitansi bertanda tangan (PDF/JPG/PNG)"),
        required=False,
        widget=FileChooser(attrs={"accept": SCAN_TYPES}),
    )
    # Tokens of files chosen in an earlier, refused try (santunan.finance.held).
    held_receipt_scan = forms.CharField(required=False, widget=forms.HiddenInput)
    held_power_of_attorney = forms.CharField(required=False, widget=forms.HiddenInput)

    def show_held(self, field: str, token: str, original: str) -> None:
        """Carry a kept file to the next try and say which one it is."""
        self.data = self.data.copy()
        self.data[f"held_{field}"] = token
        self.fields[field].widget.attrs["data-kept"] = original
        # A bound field copies its help text when first made: set it on both.
        self.fields[field].help_text = self[field].help_text = _(
            "Berkas %(name)s sudah diterima dan tetap dipakai; pilih berkas lain hanya "
            "untuk menggantinya."
        ) % {"name": f"“{escape(original)}”"}  # the help text is shown unescaped


class BankResultForm(forms.Form):
    result_file = forms.FileField(
        label=_("Berkas hasil bank (CSV)"), widget=FileChooser(attrs={"accept": ".csv,text/csv"})
    )


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun anggaran"), min_value=2000, max_value=2100)
    allocation = MoneyField(label=_("Pagu (Rp)"))
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila pagu tahun itu sudah pernah diisi, misalnya nomor perubahan APBD."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The year's allocation as entered so far, to be corrected in place rather
        # than typed again from memory.
        year = self.initial.get("year")
        if year and "allocation" not in self.initial:
            current = Budget.objects.filter(year=year).values_list("allocation", flat=True)
            self.initial["allocation"] = current.first()


class LetterCodeForm(forms.Form):
    """The code printed under a letter's QR code, typed by someone without a scanner:
    the code alone or the whole address, as it was printed (santunan.finance.verification)."""

    kode = forms.CharField(
        label=_("Kode surat"),
        max_length=400,
        help_text=_(
            "Tulisan di bawah kode QR, sesudah “/cek-surat/”; boleh juga seluruh alamatnya. "
            "Huruf besar dan kecil dibedakan."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_kode(self) -> str:
        token = token_from_code(self.cleaned_data["kode"])
        if token is None:
            raise forms.ValidationError(
                _(
                    "Kode ini tidak dikenal. Salin persis tulisan di bawah kode QR, "
                    "termasuk titik dan huruf besar-kecilnya."
                )
            )
        return token
