"""Pages of the village, the verifier and the approver.

Views are thin: resolve the claim through claim_for_user (404 for anyone who may not
see it, so another village's claim looks like no claim at all), call one service,
turn ClaimError into a message, redirect."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django_fsm import has_transition_perm

from filestore.storage import open_stream
from santunan.access import client_ip, record_access, role_required
from santunan.archive import recall_search, remember_search
from santunan.forms import DeceasedForm, HeirForm, initial_from
from santunan.models import (
    EDITABLE_STATUSES,
    LATE_DOCUMENT_STATUSES,
    OPEN_STATUSES,
    Claim,
    DocumentKind,
    Status,
)
from santunan.rules import document_requirements, offered_kinds
from santunan.selectors import (
    approval_queue,
    claim_for_user,
    claim_timeline,
    claims_visible_to,
    current_documents,
    other_active_claims,
    verification_queue,
    village_claims,
    waiting_for_documents,
    with_current_documents,
)
from santunan.services import (
    ClaimError,
    approve_claim,
    approve_claims,
    attach_document,
    cancel_claim,
    claim_policy,
    claim_warnings,
    complete_documents,
    create_claim,
    deceased_problems,
    document_problems,
    document_reasons,
    late_document_kinds,
    policy_on,
    reject_claim,
    return_claim,
    send_back_claim,
    submission_problems,
    submit_claim,
    update_claim,
    verify_claim,
)
from santunan.templatetags.santunan_tags import desa_options
from santunan.uploads import document_response
from villages.models import Desa, Kecamatan
from villages.roles import DINSOS_ROLES, Role, has_role
from villages.selectors import desa_of_operator

PAGE_SIZES = (50, 100, 200)
# The verifier's filters live in the URL, so a filtered queue can be bookmarked and
# the page never holds a filter the controls do not show. The search term may be a NIK
# or a name: like the archive's, it is kept in the session and the URL carries only a
# random key to it (santunan.archive.remember_search).
QUEUE_FILTER_FIELDS = ("kecamatan", "desa", "status", "overdue")
STEPS = [
    ("deceased", gettext_lazy("Almarhum"), "santunan:claim_deceased"),
    ("heir", gettext_lazy("Ahli waris"), "santunan:claim_heir"),
    ("documents", gettext_lazy("Dokumen"), "santunan:claim_documents"),
    ("review", gettext_lazy("Periksa & ajukan"), "santunan:claim_review"),
]
TRANSITIONS = (
    "submit",
    "cancel",
    "verify",
    "return_to_village",
    "reject",
    "approve",
    "send_back",
)
DECISIONS = ("verify", "return_to_village", "reject", "approve", "send_back")


def _show_error(request, error: ClaimError) -> None:
    if error.problems:
        items = format_html_join("", "<li>{}</li>", ((problem,) for problem in error.problems))
        messages.error(request, format_html("{}<ul>{}</ul>", error.message, items))
    else:
        messages.error(request, error.message)


def _not_editable(request, claim: Claim):
    messages.info(
        request,
        _('Klaim %(claim)s berstatus "%(status)s" dan tidak dapat diubah lagi.')
        % {"claim": claim, "status": claim.get_status_display()},
    )
    return redirect("santunan:claim_detail", claim.pk)


def _page(request, queryset, paginator: type[Paginator] = Paginator) -> Page:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        size = PAGE_SIZES[0]
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    return paginator(queryset, size).get_page(request.GET.get("page"))


# --- operator desa -----------------------------------------------------------------------


@role_required(Role.OPERATOR_DESA)
def desa_home(request):
    claims = village_claims(request.user)
    # What each draft lacks, its documents and same-NIK claims read for all at once.
    drafts = list(with_current_documents(claims.filter(status__in=EDITABLE_STATUSES)))
    others = other_active_claims(drafts)
    to_do = [(c, submission_problems(c, other_active=others[c.pk])) for c in drafts]
    # Claims Dinas Sosial holds but cannot decide until the village adds a document a
    # registry check asked for: the village's move, so they stand here too.
    held = list(
        with_current_documents(
            claims.filter(status__in=LATE_DOCUMENT_STATUSES).exclude(extra_required_documents=[])
        )
    )
    waiting = waiting_for_documents(held)
    late = [(c, document_problems(c)) for c in held if c.pk in waiting]
    return render(
        request,
        "santunan/desa_home.html",
        {
            "desa": desa_of_operator(request.user),
            "to_do": to_do,
            "late": late,
            "page": _page(request, claims),
        },
    )


@role_required(Role.OPERATOR_DESA)
def claim_new(request):
    try:
        policy = policy_on(timezone.localdate())
    except ClaimError as error:
        _show_error(request, error)
        return redirect("santunan:desa_home")
    form = DeceasedForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            claim = create_claim(user=request.user, data=form.cleaned_data, ip=client_ip(request))
        except ClaimError as error:
            _show_error(request, error)
        else:
            if stopped := _stop_at_deceased_problems(request, claim):
                return stopped
            messages.success(request, _("Draf klaim disimpan. Lanjutkan dengan data ahli waris."))
            return redirect("santunan:claim_heir", claim.pk)
    return render(
        request, "santunan/claim_step.html", {"form": form, "step": "deceased", "steps": STEPS}
    )


def _stop_at_deceased_problems(request, claim: Claim):
    """Right after step 1 is saved: a passed deadline or an active claim elsewhere is
    said there and then, before the village collects any document."""
    if deceased_problems(claim):
        messages.warning(
            request,
            _("Draf disimpan, tetapi klaim ini belum dapat diajukan; lihat keterangan di bawah."),
        )
        return redirect("santunan:claim_deceased", claim.pk)
    return None


def _edit_step(request, pk: int, form_class, step: str, next_step: str):
    claim = claim_for_user(request.user, pk)
    if not claim.is_editable:
        return _not_editable(request, claim)
    try:
        policy = claim_policy(claim)
    except ClaimError as error:
        _show_error(request, error)
        return redirect("santunan:claim_detail", claim.pk)
    form = form_class(request.POST or None, initial=initial_from(claim, form_class), policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            claim = update_claim(
                user=request.user, claim_id=claim.pk, data=form.cleaned_data, ip=client_ip(request)
            )
        except ClaimError as error:
            _show_error(request, error)
            return redirect("santunan:claim_detail", claim.pk)
        if step == "deceased" and (stopped := _stop_at_deceased_problems(request, claim)):
            return stopped
        messages.success(request, _("Perubahan disimpan."))
        return redirect(next_step, claim.pk)
    context = {"form": form, "step": step, "steps": STEPS, "claim": claim}
    if step == "deceased":
        context["problems"] = deceased_problems(claim)
    return render(request, "santunan/claim_step.html", context)


@role_required(Role.OPERATOR_DESA)
def claim_deceased(request, pk: int):
    return _edit_step(request, pk, DeceasedForm, "deceased", "santunan:claim_heir")


@role_required(Role.OPERATOR_DESA)
def claim_heir(request, pk: int):
    return _edit_step(request, pk, HeirForm, "heir", "santunan:claim_documents")


@role_required(Role.OPERATOR_DESA)
def claim_documents(request, pk: int):
    claim = claim_for_user(request.user, pk)
    if not claim.is_editable:
        if late_document_kinds(claim):
            return _late_documents(request, claim)
        return _not_editable(request, claim)
    try:
        policy = claim_policy(claim)
    except ClaimError as error:
        _show_error(request, error)
        return redirect("santunan:claim_detail", claim.pk)
    present = current_documents(claim)
    # The policy's documents, then any a registry finding asked for or already uploaded.
    kinds = offered_kinds(claim, policy)
    kinds += [k for k in [*(claim.extra_required_documents or []), *present] if k not in kinds]
    if request.method == "POST":
        stored, refused = 0, False
        for kind in kinds:
            if upload := request.FILES.get(f"doc-{kind}"):
                try:
                    attach_document(
                        user=request.user,
                        claim_id=claim.pk,
                        kind=kind,
                        upload=upload,
                        ip=client_ip(request),
                    )
                    stored += 1
                except ClaimError as error:
                    _show_error(request, error)
                    refused = True
        if stored:
            messages.success(
                request, ngettext("%d dokumen disimpan.", "%d dokumen disimpan.", stored) % stored
            )
        return redirect("santunan:claim_documents" if refused else "santunan:claim_review", pk)
    requirements, reasons = document_requirements(claim, policy), document_reasons(claim)
    either = {kind: r for r in requirements if len(r.kinds) > 1 for kind in r.kinds}
    required = {kind for r in requirements for kind in r.kinds}
    rows = [
        {
            "kind": kind,
            "label": DocumentKind(kind).label,
            "required": kind in required and kind not in either,
            "either": either[kind].label if kind in either else "",
            "reasons": reasons.get(kind, []),
            "document": present.get(kind),
        }
        for kind in sorted(kinds, key=lambda kind: kind not in required)
    ]
    return render(
        request,
        "santunan/claim_documents.html",
        {
            "claim": claim,
            "rows": rows,
            "late": False,
            "step": "documents",
            "steps": STEPS,
            "max_mb": settings.MAX_DOCUMENT_BYTES // 1048576,
        },
    )


def _late_documents(request, claim: Claim):
    """The documents page of a claim Dinas Sosial holds: only the required documents it
    lacks, sent in one go; the claim stays where it is (services.complete_documents)."""
    if request.method == "POST":
        uploads = {
            name.removeprefix("doc-"): upload
            for name, upload in request.FILES.items()
            if name.startswith("doc-")
        }
        try:
            complete_documents(
                user=request.user, claim_id=claim.pk, uploads=uploads, ip=client_ip(request)
            )
        except ClaimError as error:
            _show_error(request, error)
            return redirect("santunan:claim_documents", claim.pk)
        messages.success(
            request,
            _(
                "Dokumen klaim %(claim)s terkirim. Klaim tetap di Dinas Sosial dan diperiksa "
                "lagi; tidak perlu diajukan ulang."
            )
            % {"claim": claim},
        )
        return redirect("santunan:claim_detail", claim.pk)
    reasons, present = document_reasons(claim), current_documents(claim)
    rows = [
        {
            "kind": kind,
            "label": DocumentKind(kind).label,
            "required": True,
            "either": "",
            "reasons": reasons.get(kind, []),
            "document": present.get(kind),
        }
        for kind in late_document_kinds(claim)
    ]
    return render(
        request,
        "santunan/claim_documents.html",
        {
            "claim": claim,
            "rows": rows,
            "late": True,
            "max_mb": settings.MAX_DOCUMENT_BYTES // 1048576,
        },
    )


@role_required(Role.OPERATOR_DESA)
def claim_review(request, pk: int):
    claim = claim_for_user(request.user, pk)
    if not claim.is_editable:
        return _not_editable(request, claim)
    record_access(request, claim, "lihat_klaim")
    context = {
        "claim": claim,
        "step": "review",
        "steps": STEPS,
        "problems": submission_problems(claim),
        "warnings": claim_warnings(claim),
        "documents": current_documents(claim).values(),
    }
    return render(request, "santunan/claim_review.html", context)


@require_POST
@role_required(Role.OPERATOR_DESA)
def claim_submit(request, pk: int):
    claim = claim_for_user(request.user, pk)
    try:
        claim = submit_claim(user=request.user, claim_id=claim.pk, ip=client_ip(request))
    except ClaimError as error:
        _show_error(request, error)
        return redirect("santunan:claim_review", claim.pk)
    messages.success(
        request,
        _("Klaim %(number)s diajukan ke Dinas Sosial. Batas layanan: %(due)s.")
        % {"number": claim.number, "due": claim.due_date.strftime("%d-%m-%Y")},
    )
    return redirect("santunan:desa_home")


@require_POST
@role_required(Role.OPERATOR_DESA)
def claim_cancel(request, pk: int):
    claim = claim_for_user(request.user, pk)
    try:
        cancel_claim(
            user=request.user,
            claim_id=claim.pk,
            reason=request.POST.get("reason", ""),
            ip=client_ip(request),
        )
    except ClaimError as error:
        _show_error(request, error)
        return redirect("santunan:claim_detail", claim.pk)
    messages.success(request, _("Klaim %(claim)s dibatalkan.") % {"claim": claim})
    return redirect("santunan:desa_home")


# --- every role: the claim page and its documents -------------------------------------------


def claim_detail(request, pk: int):
    claim = claim_for_user(request.user, pk)
    record_access(request, claim, "lihat_klaim")
    allowed = {
        name: has_transition_perm(getattr(claim, name), request.user) for name in TRANSITIONS
    }
    present = current_documents(claim)
    reasons = document_reasons(claim)
    events = list(claim_timeline(claim))
    completed = (
        next((e for e in reversed(events) if e.action == "complete_documents"), None)
        if claim.documents_completed_at
        else None
    )
    context = {
        "claim": claim,
        "allowed": allowed,
        "can_decide": any(allowed[name] for name in DECISIONS),
        # The village's way to add what a registry check asked for (no return needed).
        "can_complete": has_role(request.user, Role.OPERATOR_DESA)
        and bool(late_document_kinds(claim)),
        "completed": completed,
        "late_statuses": LATE_DOCUMENT_STATUSES,
        # The four-eyes rule hides the approve button; the page says why.
        "verified_by_self": claim.status == Status.VERIFIED
        and has_role(request.user, Role.APPROVER)
        and claim.verified_by_id == request.user.pk,
        # Registry findings may require documents; every role sees which and why.
        "extra_documents": [
            {"kind": kind, "reasons": why, "document": present.get(kind)}
            for kind, why in reasons.items()
        ],
        "missing_documents": (
            document_problems(claim)
            if claim.status in EDITABLE_STATUSES or claim.status in OPEN_STATUSES
            else []
        ),
        "warnings": claim_warnings(claim),
        "documents": present.values(),
        "events": events,
        "today": timezone.localdate(),
        "for_dinsos": has_role(request.user, *DINSOS_ROLES),
    }
    return render(request, "santunan/claim_detail.html", context)


@xframe_options_sameorigin  # the claim page embeds PDFs in an iframe of our own origin
def claim_document(request, pk: int, document_pk: int):
    claim = claim_for_user(request.user, pk)
    document = get_object_or_404(claim.documents, pk=document_pk)
    try:
        handle = open_stream(document.file)
    except FileNotFoundError:
        raise Http404 from None
    record_access(request, claim, f"lihat_dokumen:{document.kind}")
    extension = document.file.name.rsplit(".", 1)[-1]
    # The stored name, not the uploaded one: an uploaded name may carry a person's name.
    return document_response(
        handle, content_type=document.content_type, filename=f"{document.kind}.{extension}"
    )


# --- verifikator -------------------------------------------------------------------------


@role_required(Role.VERIFIKATOR)
def verifikator_home(request):
    if request.method == "POST":
        query = "" if "reset" in request.POST else _queue_query(request)
        return redirect(reverse("santunan:verifikator_home") + (f"?{query}" if query else ""))
    filters = _queue_filters(request)
    queue = verification_queue(
        kecamatan=filters["kecamatan"],
        desa=filters["desa"],
        status=filters["status"],
        overdue=filters["overdue"] == "1",
        q=filters["q"],
    )
    page = _page(request, queue)
    context = {
        "page": page,
        "waiting": waiting_for_documents(page),
        "filters": filters,
        "query": _without(request.GET, "page", "per_page"),
        # A search that the area or status filters hide: say so, and offer it unfiltered.
        "found_elsewhere": bool(filters["q"])
        and any(filters[name] for name in QUEUE_FILTER_FIELDS)
        and not queue.exists()
        and verification_queue(q=filters["q"]).exists(),
        "search_key": request.GET.get("search", "") if filters["q"] else "",
        "kecamatan_list": Kecamatan.objects.all(),
        "desa_list": _desa_list(filters.get("kecamatan", "")),
        "today": timezone.localdate(),
    }
    return render(request, "santunan/verifikator_home.html", context)


def _queue_query(request) -> str:
    """The posted filters as the queue's query string: the search term by its key."""
    query = QueryDict(mutable=True)
    for name in QUEUE_FILTER_FIELDS:
        if value := request.POST.get(name, "").strip()[:100]:
            query[name] = value
    if text := request.POST.get("q", "").strip()[:100]:
        query["search"] = remember_search(request.session, text)
    return query.urlencode()


def _queue_filters(request) -> dict[str, str]:
    """Every filter of the queue's URL, empty when not chosen (the page reads each one),
    and q, the search term its key stands for."""
    filters = {name: request.GET.get(name, "").strip()[:100] for name in QUEUE_FILTER_FIELDS}
    key = request.GET.get("search", "")
    filters["q"] = recall_search(request.session, key) or ""
    if key and not filters["q"]:
        messages.info(request, _("Pencarian teks sudah tidak tersimpan. Silakan cari lagi."))
    return filters


def _without(query: QueryDict, *names: str) -> str:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _desa_list(kecamatan: str):
    """(code, name, kecamatan name) rows for the desa filter, grouped by kecamatan:
    many desa names repeat across kecamatan, so a bare list cannot be read."""
    desa = Desa.objects.order_by("kecamatan", "name")
    if kecamatan:
        desa = desa.filter(kecamatan_id=kecamatan)
    return desa.values_list("code", "name", "kecamatan__name")


@role_required(*DINSOS_ROLES)
def desa_choices(request):
    """The desa filter's <option>s for the chosen kecamatan (htmx swaps them in when the
    kecamatan changes); the chosen desa stays chosen if it lies in that kecamatan."""
    kecamatan = request.GET.get("kecamatan", "").strip()[:20]
    selected = request.GET.get("desa", "").strip()[:20]
    options = format_html(
        '<option value="">{}</option>{}',
        _("Semua"),
        desa_options(_desa_list(kecamatan), selected),
    )
    return HttpResponse(options)


def _transition(request, pk: int, service, done: str, success: str, **fields):
    claim = claim_for_user(request.user, pk)
    try:
        service(
            user=request.user,
            claim_id=claim.pk,
            ip=client_ip(request),
            expected_status=request.POST.get("expected_status") or None,
            **fields,
        )
    except ClaimError as error:
        _show_error(request, error)
        return redirect("santunan:claim_detail", claim.pk)
    messages.success(request, success % {"claim": claim})
    return redirect(done)


@require_POST
@role_required(Role.VERIFIKATOR)
def claim_verify(request, pk: int):
    return _transition(
        request,
        pk,
        verify_claim,
        "santunan:verifikator_home",
        _("Klaim %(claim)s terverifikasi dan diteruskan ke pejabat penyetuju."),
        override_reason=request.POST.get("override_reason", ""),
    )


@role_required(Role.VERIFIKATOR)
def claim_verify_confirm(request, pk: int):
    """One more look before the claim goes on to the approver: the decision panel's
    button opens this page, and only its button verifies (claim_verify). The panel may
    post an override reason here; it travels on in the form, never in the URL. Nothing
    changes on this page."""
    claim = claim_for_user(request.user, pk)
    if not has_transition_perm(claim.verify, request.user):
        return _not_editable(request, claim)
    context = {
        "claim": claim,
        "override_reason": request.POST.get("override_reason", "").strip(),
        "documents": current_documents(claim).values(),
        "warnings": claim_warnings(claim),
    }
    return render(request, "santunan/claim_verify_confirm.html", context)


@require_POST
@role_required(Role.VERIFIKATOR)
def claim_return(request, pk: int):
    return _transition(
        request,
        pk,
        return_claim,
        "santunan:verifikator_home",
        _("Klaim %(claim)s dikembalikan ke desa dengan alasan Anda."),
        reason=request.POST.get("reason", ""),
    )


@require_POST
@role_required(Role.VERIFIKATOR, Role.APPROVER)
def claim_reject(request, pk: int):
    return _transition(
        request,
        pk,
        reject_claim,
        "home",
        _("Klaim %(claim)s ditolak."),
        reason=request.POST.get("reason", ""),
    )


@require_POST
@role_required(Role.APPROVER)
def claim_send_back(request, pk: int):
    return _transition(
        request,
        pk,
        send_back_claim,
        "santunan:approver_home",
        _("Klaim %(claim)s dikembalikan ke verifikator dengan alasan Anda."),
        reason=request.POST.get("reason", ""),
    )


@require_POST
@role_required(Role.APPROVER)
def claim_approve(request, pk: int):
    return _transition(
        request, pk, approve_claim, "santunan:approver_home", _("Klaim %(claim)s disetujui.")
    )


# --- approver ----------------------------------------------------------------------------


@role_required(Role.APPROVER)
def approver_home(request):
    page = _page(request, approval_queue())
    # No checkbox where approving would be refused: a document is still missing, or
    # the approver verified the claim (four-eyes rule); the row says which.
    waiting = waiting_for_documents(page)
    selectable = any(c.pk not in waiting and c.verified_by_id != request.user.pk for c in page)
    context = {"page": page, "waiting": waiting, "selectable": selectable}
    return render(request, "santunan/approver_home.html", context)


@require_POST
@role_required(Role.APPROVER)
def approve_many(request):
    wanted = {int(v) for v in request.POST.getlist("claim") if v.isdigit()}
    visible = set(
        claims_visible_to(request.user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if not visible:
        messages.error(request, _("Centang dulu klaim yang akan disetujui."))
        return redirect("santunan:approver_home")
    result = approve_claims(user=request.user, claim_ids=sorted(visible), ip=client_ip(request))
    if result.done:
        count = len(result.done)
        messages.success(
            request,
            ngettext(
                "%(count)d klaim disetujui: %(numbers)s.",
                "%(count)d klaim disetujui: %(numbers)s.",
                count,
            )
            % {"count": count, "numbers": ", ".join(c.number for c in result.done)},
        )
    numbers = dict(
        Claim.objects.filter(pk__in=[pk for pk, _m in result.refused]).values_list("pk", "number")
    )
    for claim_id, message in result.refused:
        messages.error(
            request,
            _("Klaim %(number)s tidak disetujui: %(reason)s")
            % {"number": numbers.get(claim_id), "reason": message},
        )
    return redirect("santunan:approver_home")


def no_role(request):
    return render(request, "santunan/no_role.html")
