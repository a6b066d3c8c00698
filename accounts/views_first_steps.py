"""Closing the first-steps list of a home page (accounts/first_steps.py)."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.first_steps import dismiss_first_steps


@require_POST
def dismiss(request):
    dismiss_first_steps(user=request.user)
    if request.headers.get("HX-Request"):
        return HttpResponse("")  # htmx swaps the list out of the page
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "home"
    return redirect(target)
