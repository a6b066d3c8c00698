from django import forms
from django.utils.translation import gettext_lazy as _


def new_password_field() -> forms.CharField:
    """The password a person chooses (activation, reset by code); the validators run
    in the service (accounts.services.check_new_password)."""
    return forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Paling sedikit 10 huruf/angka, bukan kata sandi yang umum dipakai."),
    )


def repeated_password_field() -> forms.CharField:
    return forms.CharField(
        label=_("Ketik ulang kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class ActivationForm(forms.Form):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=_("Kode aktivasi"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    password1 = new_password_field()
    password2 = repeated_password_field()


class ForgotPasswordForm(forms.Form):
    identifier = forms.CharField(
        label=_("Nama pengguna atau nomor HP"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
        help_text=_("Nomor HP yang tercatat di akun Anda, misalnya 0812 3456 7890."),
    )


class ResetWithCodeForm(forms.Form):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        help_text=_("Tertulis di pesan yang memuat kode."),
    )
    code = forms.CharField(
        label=_("Kode dari SMS/WhatsApp"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password1 = new_password_field()
    password2 = repeated_password_field()
