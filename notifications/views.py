"""The public status page (no login), the gateway's signed delivery reports, and the
preview of the SMS a decision will send."""

import json

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications import gateway, selectors, services
from notifications.models import Audience
from santunan.access import client_ip, role_required
from santunan.limits import REASON_MAX
from santunan.selectors import claim_for_user
from villages.roles import Role


class StatusForm(forms.Form):
    nomor = forms.CharField(
        label=_("Nomor klaim"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "SKM-2026-000123", "autocomplete": "off"}),
    )
    empat = forms.RegexField(
        label=_("4 angka terakhir nomor HP ahli waris"),
        regex=r"^\d{4}$",
        error_messages={"invalid": _("Tuliskan 4 angka terakhir nomor HP, misalnya 7890.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4", "size": "4"}
        ),
    )


@login_not_required
@never_cache
def claim_status(request):
    """Claim number + last four digits of the heir's phone → the step and what comes
    next. A wrong pair and an unknown claim get the same answer."""
    form = StatusForm(request.POST or None)
    context = {"form": form, "answer": None, "not_found": False, "throttled": False}
    if request.method == "POST" and form.is_valid():
        ip, number = client_ip(request), form.cleaned_data["nomor"]
        if selectors.is_throttled(ip=ip, number=number):
            context["throttled"] = True
            return render(request, "notifications/status.html", context, status=429)
        answer = selectors.claim_status(number=number, digits=form.cleaned_data["empat"])
        if answer is None:
            services.record_wrong_status_try(ip=ip, number=number)
            context["not_found"] = True
        context["answer"] = answer
    return render(request, "notifications/status.html", context)


@csrf_exempt  # the gateway cannot hold a CSRF token; the HMAC signature stands in for it
@login_not_required
@require_POST
def delivery_report(request):
    body = request.body
    if not gateway.signature_valid(body, request.headers.get("X-Signature", "")):
        return HttpResponseForbidden("invalid signature")
    try:
        report = json.loads(body)
    except ValueError:
        return JsonResponse({"error": "invalid json"}, status=400)
    if not isinstance(report, dict):
        return JsonResponse({"error": "invalid json"}, status=400)
    return JsonResponse({"changed": services.apply_delivery_report(report)})


@require_POST  # the reason being typed stays out of URLs and access logs
@role_required(Role.VERIFIKATOR, Role.APPROVER)
def rejection_preview(request, pk: int):
    """The SMS the heir will receive if the claim is rejected with the reason being
    typed: the reject form asks for it as the reason changes."""
    claim = claim_for_user(request.user, pk)
    reason = request.POST.get("reason", "")[:REASON_MAX]
    preview = services.preview_message(
        claim=claim, action="reject", audience=Audience.HEIR, reason=reason
    )
    context = {"preview": preview, "reason_given": bool(services.spoken_reason(reason))}
    return render(request, "notifications/_rejection_preview.html", context)
