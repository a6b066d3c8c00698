"""The administration's page for onboarding officials from a sheet, and the printing of
activation slips.

A plain admin view rather than django-import-export's import: that library writes
row by row with its own confirm step and knows nothing of activation codes or
messages, while this import is one service call (accounts/officials.py) that refuses
the whole sheet with every bad line named, the same as the command."""

import io
import zipfile

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.activation import issue_codes, render_slips
from accounts.officials import OfficialsError, import_officials

MAX_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    sheet = forms.FileField(
        label=gettext_lazy("Berkas petugas (CSV atau XLSX)"),
        help_text=gettext_lazy(
            "Kolom: username, nama, peran, desa, no_hp. Peran seperti di daftar peran "
            "(mis. Operator desa); desa berupa kode (33.25.01.2001) atau nama persisnya."
        ),
    )
    send_messages = forms.BooleanField(
        label=gettext_lazy("Kirim tautan aktivasi lewat SMS/WhatsApp ke no_hp akun baru"),
        required=False,
    )

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if sheet.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 5 MB."))
        return sheet


def _may_manage_users(request) -> None:
    if not request.user.has_perms(["auth.add_user", "auth.change_user"]):
        raise PermissionDenied


def import_officials_view(request):
    _may_manage_users(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {**admin.site.each_context(request), "title": _("Impor petugas"), "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = import_officials(
                data=form.cleaned_data["sheet"].read(),
                actor=request.user,
                send_messages=form.cleaned_data["send_messages"],
                base_url=request.build_absolute_uri("/").rstrip("/"),
                slip_codes=False,
            )
        except OfficialsError as error:
            context["problems"] = error.problems
        else:
            context["result"] = result
    return TemplateResponse(request, "accounts/admin_import_officials.html", context)


def print_slips_view(request):
    """The result page's button: slips for the accounts the import just made."""
    _may_manage_users(request)
    if request.method != "POST":
        return redirect("admin:accounts_import_officials")
    ids = [int(pk) for pk in request.POST.getlist("user") if pk.isdigit()]
    return slips_response(request, get_user_model().objects.filter(pk__in=ids))


def slips_response(request, queryset):
    """New activation codes for the accounts not yet activated, on slips: one PDF, or a
    ZIP of one PDF per kecamatan. Earlier codes of those accounts stay valid until one
    of them is used."""
    _may_manage_users(request)
    users = [
        user
        for user in queryset.filter(is_active=True).order_by("username")
        if not user.has_usable_password()
    ]
    if not users:
        messages.warning(request, _("Semua akun yang dipilih sudah aktif; tidak ada slip dicetak."))
        return redirect("admin:auth_user_changelist")
    codes = issue_codes(users=users, actor=request.user, channel="slip")
    slips = render_slips(codes, base_url=request.build_absolute_uri("/").rstrip("/"))
    stamp = f"{timezone.localtime():%Y%m%d-%H%M}"
    if len(slips) == 1:
        ((key, (_heading, pdf)),) = slips.items()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="slip-aktivasi-{key}-{stamp}.pdf"'
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for key, (_heading, pdf) in slips.items():
                archive.writestr(f"slip-aktivasi-{key}.pdf", pdf)
        response = HttpResponse(out.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="slip-aktivasi-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response
