"""Mode latihan: the pages where an official rehearses a claim (santunan/practice.py).

Every page reaches a practice claim through practice_claim_for (the official's own,
else 404) and moves it with the real services, so the rehearsal follows the same
rules and state machine as real work. The pages carry their own banner and colour."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_fsm import has_transition_perm

from filestore.storage import open_stream
from santunan.access import client_ip
from santunan.models import Status
from santunan.practice import (
    MAX_PRACTICE_CLAIMS,
    may_practise,
    practice_claim_for,
    practice_claims,
    practice_letter_pdf,
    reset_practice,
    start_practice_claim,
)
from santunan.selectors import claim_timeline, current_documents
from santunan.services import (
    ClaimError,
    approve_claim,
    reject_claim,
    return_claim,
    send_back_claim,
    submission_problems,
    submit_claim,
    update_claim,
    verify_claim,
)
from santunan.uploads import document_response
from santunan.views import TRANSITIONS, _show_error

# What the official does next, by the claim's state: the role they play at that step.
NEXT_STEP = {
    Status.DRAFT: gettext_lazy(
        "Sebagai operator desa: periksa data dan dokumen contoh, lalu ajukan klaim."
    ),
    Status.SUBMITTED: gettext_lazy(
        "Sebagai verifikator: periksa dokumen, lalu verifikasi klaim atau kembalikan ke "
        "desa dengan alasan."
    ),
    Status.RETURNED: gettext_lazy(
        "Sebagai operator desa: baca alasan pengembalian, perbaiki data, lalu ajukan lagi."
    ),
    Status.VERIFIED: gettext_lazy(
        "Sebagai pejabat penyetuju: setujui pembayaran atau kembalikan ke verifikator."
    ),
    Status.APPROVED: gettext_lazy(
        "Klaim latihan disetujui. Cetak surat persetujuan latihan. Pembayaran tidak "
        "termasuk latihan."
    ),
}
# The fields the village corrects in practice after a return (update_claim's rules).
CORRECTABLE = ("heir_name", "heir_address", "deceased_address")


def practice_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_practise(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@practice_required
def practice_home(request):
    claims = list(practice_claims(request.user))
    return render(
        request,
        "santunan/practice_home.html",
        {"claims": claims, "room": len(claims) < MAX_PRACTICE_CLAIMS, "limit": MAX_PRACTICE_CLAIMS},
    )


@practice_required
@require_POST
def practice_start(request):
    try:
        claim = start_practice_claim(user=request.user, ip=client_ip(request))
    except ClaimError as error:
        _show_error(request, error)
        return redirect("santunan:practice_home")
    messages.success(request, _("Klaim latihan %(claim)s dibuat.") % {"claim": claim})
    return redirect("santunan:practice_claim", pk=claim.pk)


@practice_required
def practice_reset(request):
    if request.method == "POST":
        count = reset_practice(user=request.user)
        messages.success(
            request, _("Latihan diatur ulang: %(count)d klaim latihan dihapus.") % {"count": count}
        )
        return redirect("santunan:practice_home")
    count = practice_claims(request.user).count()
    return render(request, "santunan/practice_reset.html", {"count": count})


@practice_required
def practice_claim(request, pk: int):
    claim = practice_claim_for(request.user, pk)
    allowed = {
        name: has_transition_perm(getattr(claim, name), request.user) for name in TRANSITIONS
    }
    context = {
        "claim": claim,
        "allowed": allowed,
        "next_step": NEXT_STEP.get(claim.status, _("Latihan untuk klaim ini selesai.")),
        "problems": submission_problems(claim) if allowed["submit"] else [],
        "documents": current_documents(claim).values(),
        "events": claim_timeline(claim),
    }
    return render(request, "santunan/practice_claim.html", context)


def _submit(request, claim):
    submit_claim(user=request.user, claim_id=claim.pk, ip=client_ip(request))
    return _("Klaim latihan diajukan. Sekarang periksa sebagai verifikator.")


def _correct(request, claim):
    data = {field: request.POST.get(field, "") for field in CORRECTABLE}
    update_claim(user=request.user, claim_id=claim.pk, data=data, ip=client_ip(request))
    return _("Perbaikan disimpan. Ajukan lagi bila sudah benar.")


def _verify(request, claim):
    verify_claim(
        user=request.user, claim_id=claim.pk, ip=client_ip(request), expected_status=claim.status
    )
    return _("Klaim latihan diverifikasi. Sekarang putuskan sebagai pejabat penyetuju.")


def _return(request, claim):
    return_claim(
        user=request.user,
        claim_id=claim.pk,
        reason=request.POST.get("reason", ""),
        ip=client_ip(request),
        expected_status=claim.status,
    )
    return _("Klaim latihan dikembalikan ke desa. Sekarang perbaiki sebagai operator desa.")


def _reject(request, claim):
    reject_claim(
        user=request.user,
        claim_id=claim.pk,
        reason=request.POST.get("reason", ""),
        ip=client_ip(request),
        expected_status=claim.status,
    )
    return _("Klaim latihan ditolak.")


def _approve(request, claim):
    approve_claim(
        user=request.user, claim_id=claim.pk, ip=client_ip(request), expected_status=claim.status
    )
    return _("Klaim latihan disetujui. Cetak surat persetujuan latihan.")


def _send_back(request, claim):
    send_back_claim(
        user=request.user,
        claim_id=claim.pk,
        reason=request.POST.get("reason", ""),
        ip=client_ip(request),
        expected_status=claim.status,
    )
    return _("Klaim latihan dikembalikan ke verifikator.")


# The steps by the word in their address; each calls the real service.
ACTIONS = {
    "ajukan": _submit,
    "perbaiki": _correct,
    "verifikasi": _verify,
    "kembalikan": _return,
    "tolak": _reject,
    "setujui": _approve,
    "kembalikan-ke-verifikator": _send_back,
}


@practice_required
@require_POST
def practice_act(request, pk: int, action: str):
    claim = practice_claim_for(request.user, pk)
    step = ACTIONS.get(action)
    if step is None:
        raise Http404
    try:
        messages.success(request, step(request, claim))
    except ClaimError as error:
        _show_error(request, error)
    return redirect("santunan:practice_claim", pk=claim.pk)


@practice_required
def practice_document(request, pk: int, document_pk: int):
    claim = practice_claim_for(request.user, pk)
    document = get_object_or_404(claim.documents, pk=document_pk)
    try:
        handle = open_stream(document.file)
    except FileNotFoundError:
        raise Http404 from None
    extension = document.file.name.rsplit(".", 1)[-1]
    return document_response(
        handle, content_type=document.content_type, filename=f"{document.kind}.{extension}"
    )


@practice_required
def practice_letter(request, pk: int):
    claim = practice_claim_for(request.user, pk)
    try:
        pdf = practice_letter_pdf(claim)
    except ClaimError as error:
        _show_error(request, error)
        return redirect("santunan:practice_claim", pk=claim.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="latihan-{claim.pk}.pdf"'
    return response
