"""The activation page of an account the office created (accounts/activation.py)."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts.activation import activate_account
from accounts.forms import ActivationForm
from accounts.services import AccountError
from santunan.access import client_ip

SESSION_CODE = "activation_code"


@login_not_required
@never_cache
def activate_link(request, code: str):
    """The link of the slip's QR code or of the message: the code is moved into the
    session and the address without it is shown, so it is not left in the browser's
    history or sent on as a Referer (as Django's password reset does)."""
    request.session[SESSION_CODE] = code
    return redirect("accounts:activate")


@login_not_required
@never_cache
def activate(request):
    initial = {"code": request.session.get(SESSION_CODE, "")}
    form = ActivationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = activate_account(
                username=form.cleaned_data["username"],
                code=form.cleaned_data["code"],
                password1=form.cleaned_data["password1"],
                password2=form.cleaned_data["password2"],
                ip=client_ip(request),
            )
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            request.session.pop(SESSION_CODE, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # Roles that need a second factor are sent to enrol it from here on.
            return redirect("home")
    return render(request, "accounts/activate.html", {"form": form})
