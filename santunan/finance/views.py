"""The treasurer's pages under /keuangan/. Thin: GET renders, POST calls one service,
turns its error into a message and redirects; a refused form is shown again with what
was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from filestore.storage import open_stream
from office.checklist import letter_gaps
from office.selectors import head_on
from santunan.access import client_ip, record_access, role_required
from santunan.finance import bankfile, held, selectors, services
from santunan.finance.documents import ensure_document
from santunan.finance.forms import (
    BankResultForm,
    BudgetForm,
    CashPaymentForm,
    ClaimFilterForm,
    LetterCodeForm,
    ScheduleForm,
    SignForm,
)
from santunan.finance.verification import verify_token
from santunan.models import (
    AccessLog,
    BankResultUpload,
    BatchItem,
    Claim,
    DocumentType,
    Payment,
    PayoutBatch,
    PayoutDocument,
    RenderState,
)
from santunan.services import ClaimError
from santunan.uploads import document_response
from villages.roles import Role

finance_only = role_required(Role.BENDAHARA)


def _error(request, error: ClaimError) -> None:
    messages.error(request, error.message)
    for problem in error.problems:
        messages.error(request, problem)


# What the list of claims to schedule shows: up to 500 rows, read without the rest of
# each claim's columns (addresses, bank details, notes) that the page never prints.
SCHEDULE_COLUMNS = (
    "number",
    "heir_name",
    "payout_method",
    "amount",
    "approved_at",
    "desa__name",
    "desa__kecamatan__name",
)


def _home_page(request, filter_data, *, schedule: dict | None = None):
    """The home page; after a refused schedule it is shown again with the filter, the
    ticked claims and the over-budget fields as they were sent."""
    filters = ClaimFilterForm(filter_data or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    claims = selectors.approved_claims(
        payout_method=values.get("payout_method") or "",
        kecamatan=values["kecamatan"].pk if values.get("kecamatan") else "",
        approved_from=values.get("approved_from"),
        approved_to=values.get("approved_to"),
    )
    year = timezone.localdate().year
    return render(
        request,
        "finance/home.html",
        {
            "filters": filters,
            "claims": claims.only(*SCHEDULE_COLUMNS)[:500],
            "claim_count": claims.count(),
            "drafts": selectors.draft_batches(),
            "batches": selectors.batches()[:50],
            "failed": selectors.failed_payments()[:200],
            "budget": selectors.budget_summary(year),
            "budget_form": BudgetForm(initial={"year": year}),
            "letter_gaps": letter_gaps(day=timezone.localdate(), year=year),
            "schedule": schedule or {"claims": set(), "batch": "", "confirm": False, "note": ""},
        },
    )


@finance_only
def home(request):
    return _home_page(request, request.GET)


@finance_only
@require_POST
def schedule(request):
    drafts = selectors.draft_batches()
    form = ScheduleForm(
        request.POST,
        claim_ids=request.POST.getlist("claims"),
        draft_batches=drafts,
    )
    # The filter travels with the form as hidden fields, so a refusal shows the same
    # list with the same claims ticked instead of starting over.
    sent = {
        "claims": {int(pk) for pk in request.POST.getlist("claims") if pk.isdigit()},
        "batch": request.POST.get("batch", ""),
        "confirm": bool(request.POST.get("confirm_over_budget")),
        "note": request.POST.get("over_budget_note", ""),
    }
    if not form.is_valid():
        messages.error(request, _("Pilih paling sedikit satu klaim."))
        return _home_page(request, request.POST, schedule=sent)
    data = form.cleaned_data
    options = {
        "claim_ids": data["claims"],
        "confirm_over_budget": data["confirm_over_budget"],
        "over_budget_note": data["over_budget_note"],
        "ip": client_ip(request),
    }
    try:
        if data["batch"]:
            batch = services.add_to_batch(user=request.user, batch_id=data["batch"], **options)
        else:
            batch = services.create_batch(user=request.user, **options)
    except ClaimError as error:
        _error(request, error)
        return _home_page(request, request.POST, schedule=sent)
    messages.success(request, _("Klaim dijadwalkan dalam batch %(number)s.") % {"number": batch})
    return redirect("finance:batch", pk=batch.pk)


def _batch_page(request, pk, *, sign_form: SignForm | None = None):
    batch = get_object_or_404(PayoutBatch.objects.select_related("created_by"), pk=pk)
    count, total = selectors.batch_total(batch)
    return render(
        request,
        "finance/batch_detail.html",
        {
            "batch": batch,
            "items": selectors.batch_items(batch),
            "count": count,
            "total": total,
            "sign_form": sign_form or _sign_form(batch),
            "letter_gaps": letter_gaps(
                day=batch.letter_date, year=batch.year, signer_recorded=bool(batch.signer_name)
            ),
            "bank_form": BankResultForm(),
            "bank_results": batch.bank_results.all(),
            "result_format": bankfile.result_format(),
            "running": batch.render_state in (RenderState.QUEUED, RenderState.RUNNING),
            "budget": selectors.budget_summary(batch.year),
            "batch_kinds": [DocumentType.PAYMENT_ORDER, DocumentType.NOMINATIVE_LIST],
            "claim_kind": DocumentType.RECEIPT
            if batch.payout_method == Claim.PayoutMethod.CASH
            else DocumentType.TRANSFER_NOTICE,
        },
    )


def _sign_form(batch: PayoutBatch) -> SignForm:
    """Prefilled with the head of office on the letter's date (office identity), who
    signs nearly every batch; another signer (an acting head) is typed over it."""
    head = head_on(batch.letter_date)
    return SignForm(initial={"signer_name": head.name, "signer_nip": head.nip} if head else {})


@finance_only
def batch_detail(request, pk):
    return _batch_page(request, pk)


def _batch_action(service, success: str):
    @finance_only
    @require_POST
    def view(request, pk):
        try:
            service(user=request.user, batch_id=pk, ip=client_ip(request))
        except ClaimError as error:
            _error(request, error)
        else:
            messages.success(request, success)
        return redirect("finance:batch", pk=pk)

    return view


disburse = _batch_action(services.disburse_batch, _("Batch dicatat sudah dicairkan."))


@finance_only
def close(request, pk):
    """GET asks for confirmation, naming the failed transfers still waiting for a
    decision (closing leaves them waiting); POST closes."""
    batch = get_object_or_404(PayoutBatch, pk=pk)
    if request.method == "POST":
        try:
            services.close_batch(user=request.user, batch_id=pk, ip=client_ip(request))
        except ClaimError as error:
            _error(request, error)
        else:
            messages.success(request, _("Batch ditutup."))
        return redirect("finance:batch", pk=pk)
    pending = batch.items.filter(active=True, outcome=BatchItem.Outcome.PENDING).count()
    return render(
        request,
        "finance/confirm_close.html",
        {"batch": batch, "undecided": selectors.undecided_failures(batch), "pending": pending},
    )


@finance_only
@require_POST
def sign(request, pk):
    form = SignForm(request.POST)
    try:
        if not form.is_valid():
            raise services.FinanceError(_("Isi nama dan NIP pejabat penanda tangan."))
        services.sign_batch(
            user=request.user, batch_id=pk, ip=client_ip(request), **form.cleaned_data
        )
    except ClaimError as error:
        _error(request, error)
        return _batch_page(request, pk, sign_form=form)  # name and NIP stay as typed
    messages.success(request, _("Tanda tangan pejabat dicatat."))
    return redirect("finance:batch", pk=pk)


@finance_only
def reopen(request, claim_pk):
    """GET asks for confirmation with the bank's reason beside it; POST schedules again."""
    if request.method != "POST":
        claim = selectors.failed_payments().filter(pk=claim_pk).first()
        if claim is None:
            messages.info(request, _("Klaim ini tidak lagi menunggu keputusan pembayaran."))
            return redirect("finance:home")
        return render(request, "finance/confirm_reopen.html", {"claim": claim})
    try:
        claim = services.reopen_payment(user=request.user, claim_id=claim_pk, ip=client_ip(request))
    except ClaimError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Klaim %(number)s kembali ke daftar klaim disetujui untuk batch berikutnya.")
            % {"number": claim},
        )
    return redirect("finance:home")


@finance_only
@require_POST
def remove(request, pk, claim_pk):
    try:
        claim = services.remove_from_batch(
            user=request.user, batch_id=pk, claim_id=claim_pk, ip=client_ip(request)
        )
    except ClaimError as error:
        _error(request, error)
    else:
        messages.success(request, _("Klaim %(number)s dikeluarkan dari batch.") % {"number": claim})
    return redirect("finance:batch", pk=pk)


@finance_only
def document(request, pk, kind, claim_pk=None):
    """Download a document of the batch, rendered first if its data changed."""
    batch = get_object_or_404(PayoutBatch.objects.select_related("created_by"), pk=pk)
    per_batch = kind in (DocumentType.PAYMENT_ORDER, DocumentType.NOMINATIVE_LIST)
    if kind not in DocumentType.values or per_batch != (claim_pk is None):
        raise Http404
    try:
        doc = ensure_document(batch=batch, kind=kind, claim_id=claim_pk)
    except PayoutDocument.DoesNotExist:
        raise Http404 from None
    if doc.claim_id:
        record_access(request, doc.claim, f"unduh {kind}")
    name = f"{kind}-{doc.number}".replace("/", "-") + ".pdf"
    try:
        handle = open_stream(doc.file)
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type="application/pdf", filename=name, as_attachment=True)


@finance_only
@require_POST
def render_documents(request, pk):
    try:
        queued = services.request_batch_documents(user=request.user, batch_id=pk)
    except ClaimError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("Dokumen sedang dibuat di latar belakang; kemajuannya tampil di bawah.")
            if queued
            else _("Semua dokumen batch sudah dibuat."),
        )
    return redirect("finance:batch", pk=pk)


@finance_only
@never_cache
def render_progress(request, pk):
    """The progress fragment the batch page polls with htmx while documents render."""
    batch = get_object_or_404(PayoutBatch, pk=pk)
    running = batch.render_state in (RenderState.QUEUED, RenderState.RUNNING)
    return render(request, "finance/_render_progress.html", {"batch": batch, "running": running})


@finance_only
def transfer_file(request, pk):
    """The bulk-transfer CSV for the bank, with the control total."""
    batch = get_object_or_404(PayoutBatch, pk=pk, payout_method=Claim.PayoutMethod.TRANSFER)
    items = list(selectors.batch_items(batch).filter(outcome=BatchItem.Outcome.PENDING))
    rows = [
        bankfile.TransferRow(
            account=item.claim.bank_account,
            holder=item.claim.bank_account_holder,
            amount=item.amount,
            reference=item.claim.number,
            bank=item.claim.bank_name,
        )
        for item in items
    ]
    # The file carries full account numbers: log its download against each claim.
    AccessLog.objects.bulk_create(
        AccessLog(
            claim=item.claim,
            user=request.user,
            what="bank_transfer_file",
            client_ip=client_ip(request),
        )
        for item in items
    )
    response = HttpResponse(bankfile.transfer_csv(rows), content_type="text/csv; charset=utf-8")
    name = f"transfer-{batch.number}".replace("/", "-") + ".csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@finance_only
@require_POST
def bank_result(request, pk):
    form = BankResultForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas hasil bank (CSV)."))
        return redirect("finance:batch", pk=pk)
    try:
        outcome = services.reconcile_bank_result(
            user=request.user,
            batch_id=pk,
            upload=form.cleaned_data["result_file"],
            ip=client_ip(request),
        )
    except ClaimError as error:
        _error(request, error)
        return redirect("finance:batch", pk=pk)
    if outcome.duplicate:
        messages.info(request, _("Berkas ini sudah pernah diproses; tidak ada yang diubah."))
    else:
        messages.success(request, _("Hasil bank diproses."))
    return redirect("finance:bank_result_detail", pk=outcome.upload.pk)


@finance_only
def bank_result_detail(request, pk):
    upload = get_object_or_404(BankResultUpload.objects.select_related("batch"), pk=pk)
    payments = upload.payments.select_related("claim").order_by("claim__number")
    return render(request, "finance/bank_result.html", {"upload": upload, "payments": payments})


@finance_only
def cash_payment(request, pk, claim_pk):
    item = get_object_or_404(
        BatchItem.objects.select_related("batch", "claim__desa"),
        batch_id=pk,
        claim_id=claim_pk,
        outcome=BatchItem.Outcome.PENDING,
    )
    # Most often the heir collects in person: their name is prefilled, to be replaced
    # by the representative's when someone comes with a power of attorney.
    form = CashPaymentForm(
        request.POST or None,
        request.FILES or None,
        initial={"paid_on": timezone.localdate(), "collected_by": item.claim.heir_name},
    )
    if request.method == "POST":
        files, kept = _cash_files(request, form)
        entries = _cash_entries(form, files)
        try:
            if not form.is_valid():
                # The date the form could not read, with every other problem beside it.
                problems = services.cash_payment_problems(heir_name=item.claim.heir_name, **entries)
                raise services.FinanceError("", problems=problems)
            services.record_cash_payment(
                user=request.user, claim_id=claim_pk, ip=client_ip(request), **entries
            )
        except ClaimError as error:
            for problem in filter(None, [error.message, *error.problems]):
                form.add_error(None, problem)
            _keep_files(request, form, files, kept)
        else:
            for payload in kept.values():
                held.release(payload)
            messages.success(
                request, _("Pembayaran tunai klaim %(number)s dicatat.") % {"number": item.claim}
            )
            return redirect("finance:batch", pk=pk)
    return render(request, "finance/cash_payment.html", {"item": item, "form": form})


def _cash_files(request, form: CashPaymentForm) -> tuple[dict, dict]:
    """Each scan: the one chosen now, or the one kept from the refused try before."""
    files, kept = {}, {}
    for field in CashPaymentForm.FILES:
        if request.FILES.get(field):
            files[field] = request.FILES[field]
            continue
        payload = held.read(
            request.POST.get(f"held_{field}", ""), user_id=request.user.pk, field=field
        )
        if payload:
            files[field], kept[field] = held.open_held(payload), payload
    return files, kept


def _cash_entries(form: CashPaymentForm, files: dict) -> dict:
    data = form.data
    representative = data.get("collector") == CashPaymentForm.REPRESENTATIVE
    form.is_valid()
    return {
        "paid_on": form.cleaned_data.get("paid_on"),
        "collected_by": data.get("collected_by", ""),
        "identity_checked": bool(form.cleaned_data.get("identity_checked")),
        "representative": representative,
        "collector_nik": data.get("collector_nik", "") if representative else "",
        "receipt_scan": files.get("receipt_scan"),
        "power_of_attorney": files.get("power_of_attorney") if representative else None,
    }


def _keep_files(request, form: CashPaymentForm, files: dict, kept: dict) -> None:
    """After a refusal, keep every readable scan for the next try."""
    for field, upload in files.items():
        if field in kept:
            token, payload = request.POST[f"held_{field}"], kept[field]
        else:
            if services.file_problem(upload) is not None:
                continue  # a file that is itself refused is not worth keeping
            token = held.hold(upload, user_id=request.user.pk, field=field)
            payload = {"o": upload.name}
        form.show_held(field, token, payload["o"])


def _payment_scan(request, pk, *, field: str, content_type: str, what: str, stem: str):
    """One scan kept with a payment, only to finance, each opening logged."""
    payment = get_object_or_404(Payment.objects.select_related("claim"), pk=pk)
    scan = getattr(payment, field)
    if not scan:
        raise Http404
    try:
        handle = open_stream(scan)
    except FileNotFoundError:
        raise Http404 from None
    record_access(request, payment.claim, what)
    extension = scan.name.rsplit(".", 1)[-1]
    return document_response(
        handle,
        content_type=getattr(payment, content_type),
        filename=f"{stem}-{payment.pk}.{extension}",
    )


@finance_only
def receipt_scan(request, pk):
    """The signed receipt's scan."""
    return _payment_scan(
        request,
        pk,
        field="receipt_scan",
        content_type="receipt_content_type",
        what="lihat kuitansi bertanda tangan",
        stem="kuitansi",
    )


@finance_only
def power_of_attorney(request, pk):
    """The heir's power of attorney for a cash payment collected by someone else."""
    return _payment_scan(
        request,
        pk,
        field="power_of_attorney",
        content_type="power_of_attorney_content_type",
        what="lihat surat kuasa",
        stem="surat-kuasa",
    )


@finance_only
def budget(request):
    form = BudgetForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_budget(user=request.user, **form.cleaned_data)
        except ClaimError as error:
            _error(request, error)
        else:
            messages.success(request, _("Pagu anggaran disimpan."))
            return redirect("finance:home")
    changes = selectors.budget_changes()[:50]
    return render(request, "finance/budget.html", {"form": form, "changes": changes})


@login_not_required
@never_cache
def verify(request, token):
    """Public page the QR code on each printed letter opens: no login, no personal data
    beyond the heir's masked name."""
    return render(request, "finance/verify.html", {"result": verify_token(token)})


@login_not_required
@never_cache
def verify_code(request):
    """The same check for a reader without a QR scanner, who types the code printed
    under it: a known code leads to its verification page."""
    form = LetterCodeForm(request.GET or None)
    if form.is_valid():
        return redirect("finance_public:verify", token=form.cleaned_data["kode"])
    return render(request, "finance/verify_code.html", {"form": form})
