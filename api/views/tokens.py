"""The logged-in person's API tokens (/akun/token-api/): create one (its key is shown
once, on the answer to the POST, and never again), see the others, revoke one."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.models import ApiToken
from api.services import TokenError, issue_token, revoke_token


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=100,
        help_text=gettext_lazy("Misalnya nama aplikasi atau ponsel yang memakainya."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Berlaku (hari)"),
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )


@never_cache
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = issue_token(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except TokenError as error:
            messages.error(request, error.message)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "api/tokens.html", context)


@require_POST
def revoke(request, pk: int):
    try:
        token = revoke_token(token_id=pk, by=request.user)
    except TokenError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _('Token "%(name)s" dicabut.') % {"name": token.name})
    return redirect("api_tokens:list")
