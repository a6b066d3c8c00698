from django.shortcuts import redirect
from django.urls import reverse

from accounts.policy import has_authenticator, needs_second_factor

# Reachable before the second factor: the factor's own pages, logging out, the
# language switch, and what needs no login anyway.
OPEN_PREFIXES = (
    "/akun/masuk/",
    "/akun/keluar/",
    "/akun/dua-langkah/",
    "/akun/atur-ulang/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/cek-surat/",
    "/panduan/",
    "/admin/logout/",
)


class SecondFactorMiddleware:
    """An approver, treasurer or administrator who logged in with a password only is
    sent to enrol an authenticator (first time) or to type its code, whatever page they
    asked for: no view of theirs runs on a password alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            needs_second_factor(user)
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            target = "accounts:verify" if has_authenticator(user) else "accounts:enrol"
            return redirect(f"{reverse(target)}?next={request.path}")
        return self.get_response(request)
