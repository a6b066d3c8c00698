"""The second factor's pages (enrol, verify), the password reset link's page and
"Lupa kata sandi?" (a code to the registered phone). Thin: each calls one service and
renders."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from accounts import password_reset
from accounts.forms import ForgotPasswordForm, ResetWithCodeForm, TokenForm
from accounts.policy import has_authenticator
from accounts.services import (
    AccountError,
    check_second_factor,
    confirm_authenticator,
    pending_authenticator,
)
from santunan.access import client_ip


def _second_factor_passed(request, device) -> None:
    """Mark the session verified under a new session id (and a new form token), as
    Django's login does for the password: an id learnt between the password and the
    code (a shared PC, a proxy log, a fixation) must not become a verified session.
    django-otp's login only records the device in the session, under the same id."""
    otp_login(request, device)
    request.session.cycle_key()
    rotate_token(request)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse_lazy("home")


@never_cache
def enrol(request):
    """First login of a role that needs a second factor: scan the QR code, type the code
    the app shows, keep the recovery codes."""
    if has_authenticator(request.user) and not request.user.is_verified():
        return redirect("accounts:verify")
    device = pending_authenticator(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = confirm_authenticator(
                user=request.user, token=form.cleaned_data["token"]
            )
        except AccountError as error:
            form.add_error("token", error.message)
        else:
            _second_factor_passed(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=4, dark="#1f2933"),
            "secret": _base32(device.bin_key),
            "next": _next(request),
        },
    )


def _base32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@never_cache
def verify(request):
    if not has_authenticator(request.user):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = check_second_factor(user=request.user, token=form.cleaned_data["token"])
        except AccountError as error:
            form.add_error("token", error.message)
        else:
            _second_factor_passed(request, device)
            if device.__class__.__name__ == "StaticDevice":
                messages.warning(
                    request,
                    _(
                        "Satu kode pemulihan sudah terpakai. Minta administrator bila kodenya habis."
                    ),
                )
            return redirect(_next(request))
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


class ResetPasswordView(auth_views.PasswordResetConfirmView):
    """The link the administrator handed over: set a new password, once."""

    template_name = "accounts/reset.html"
    success_url = reverse_lazy("accounts:reset_done")
    post_reset_login = False


reset = login_not_required(ResetPasswordView.as_view())


@login_not_required
def reset_done(request):
    return render(request, "accounts/reset_done.html")


@login_not_required
@never_cache
def forgot(request):
    """Ask for a code by username or phone. The answer is the same whether or not the
    account exists (accounts/password_reset.py); only an address that asked too often
    is told to wait."""
    form = ForgotPasswordForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            password_reset.request_code(
                identifier=form.cleaned_data["identifier"], ip=client_ip(request)
            )
        except AccountError as error:
            form.add_error(None, error.message)
            status = 429
        else:
            messages.info(
                request,
                _(
                    "Bila akun itu ada dan nomor HP-nya tercatat, kode 6 angka sudah dikirim "
                    "lewat SMS/WhatsApp. Kode berlaku %(minutes)d menit."
                )
                % {"minutes": settings.PASSWORD_RESET_CODE_MINUTES},
            )
            return redirect("accounts:forgot_code")
    return render(request, "accounts/forgot.html", {"form": form}, status=status)


@login_not_required
@never_cache
def forgot_code(request):
    """Type the code and a new password; then log in as always (second factor too)."""
    form = ResetWithCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset.reset_password(**form.cleaned_data, ip=client_ip(request))
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Kata sandi baru sudah disimpan. Silakan masuk."))
            return redirect("login")
    return render(request, "accounts/forgot_code.html", {"form": form})
