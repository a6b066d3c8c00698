import logging

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dinsos_sync.errors import SyncError
from dinsos_sync.exports import REPORTS, render_report, to_csv
from dinsos_sync.forms import ImportForm, UnknownWordsForm, ValueMappingForm
from dinsos_sync.layouts import template_columns, template_file, template_file_name
from dinsos_sync.models import ImportProblem, Snapshot, Source
from dinsos_sync.selectors import active_snapshots, recent_snapshots, unknown_words
from dinsos_sync.services import cancel_import, map_values, queue_import
from dinsos_sync.words import map_unknown_values

logger = logging.getLogger(__name__)
may_import = permission_required("dinsos_sync.import_registry", raise_exception=True)
# More refused rows than this are listed in the CSV download, not on the page.
REFUSED_ON_PAGE = 1_000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@may_import
def home(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            snapshot = queue_import(
                source=form.cleaned_data["source"],
                upload=form.cleaned_data["file"],
                user=request.user,
                received_on=form.cleaned_data["received_on"],
            )
        except SyncError as error:
            form.add_error("file", error.message)
        else:
            if snapshot.status == Snapshot.Status.PREVIEW:
                messages.warning(
                    request, _("Berkas memuat nilai yang belum dikenal; tentukan artinya dulu.")
                )
            else:
                messages.success(request, _("Berkas diterima dan sedang dimuat."))
            return redirect("dinsos_sync:snapshot", pk=snapshot.pk)
    return render(
        request,
        "dinsos_sync/home.html",
        {
            "form": form,
            "active": active_snapshots(),
            "snapshots": recent_snapshots(),
            "layouts": [(source, template_columns(source)) for source in Source.values],
        },
    )


@may_import
def template_download(request, source: str, fmt: str):
    """A source's columns with an example row, to fill in and upload."""
    if source not in Source.values or fmt not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(template_file(source, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{template_file_name(source, fmt)}"'
    return response


@may_import
def snapshot_detail(request, pk: int):
    snapshot = get_object_or_404(Snapshot, pk=pk)
    mapping_form = None
    if snapshot.status == Snapshot.Status.PREVIEW:
        mapping_form = ValueMappingForm(snapshot.unknown_values)
    return render(
        request,
        "dinsos_sync/snapshot.html",
        {
            "snapshot": snapshot,
            # Every refused row, each with its line; warnings only by kind (one unmapped
            # word can touch every row) and never in the refused rows' place.
            "problems": snapshot.problems.filter(kind=ImportProblem.Kind.REFUSED)[:REFUSED_ON_PAGE],
            "refused_beyond_page": max(0, snapshot.rows_refused - REFUSED_ON_PAGE),
            "warning_groups": snapshot.report.get("warnings", []),
            "unread_columns": snapshot.report.get("unread_columns", []),
            "missing_columns": snapshot.report.get("missing_columns", []),
            "mapping_form": mapping_form,
        },
    )


@may_import
def value_mapping(request):
    """The words met in files and API answers that nobody mapped yet, with their counts,
    and a choice of meaning for those that can be mapped."""
    words = unknown_words()
    form = UnknownWordsForm(words, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            mapped = map_unknown_values(meanings=form.meanings(), user=request.user)
            messages.success(request, _("%(count)d nilai dipetakan.") % {"count": mapped})
            return redirect("dinsos_sync:values")
        messages.error(request, _("Pilihan arti nilai tidak sah; pilih dari daftar."))
    return render(request, "dinsos_sync/values.html", {"rows": form.rows(), "form": form})


@may_import
@require_POST
def snapshot_map(request, pk: int):
    """The upload page's second step: map the unknown words, then load the file."""
    snapshot = get_object_or_404(Snapshot, pk=pk)
    form = ValueMappingForm(snapshot.unknown_values, request.POST)
    try:
        if "cancel" in request.POST:
            cancel_import(snapshot_id=snapshot.pk)
            messages.info(request, _("Pemuatan dibatalkan."))
            return redirect("dinsos_sync:home")
        if not form.is_valid():
            raise SyncError(_("Pilihan arti nilai tidak sah; pilih dari daftar."))
        map_values(snapshot_id=snapshot.pk, meanings=form.meanings(), user=request.user)
    except SyncError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pemetaan nilai disimpan; berkas sedang dimuat."))
    return redirect("dinsos_sync:snapshot", pk=snapshot.pk)


@may_import
def snapshot_progress(request, pk: int):
    snapshot = get_object_or_404(Snapshot, pk=pk)
    response = render(request, "dinsos_sync/_progress.html", {"snapshot": snapshot})
    if not snapshot.is_running:
        # The load ended: htmx reloads the page to show the result and the bad rows.
        response["HX-Refresh"] = "true"
    return response


@may_import
def snapshot_problems(request, pk: int):
    snapshot = get_object_or_404(Snapshot, pk=pk)
    kinds = dict(ImportProblem.Kind.choices)
    data = to_csv(
        ["baris", "masalah", "jenis"],
        (
            (line, message, str(kinds.get(kind, kind)))
            # The refused rows first, every one of them; then the warnings' example rows.
            for line, message, kind in snapshot.problems.order_by("kind", "line", "pk").values_list(
                "line", "message", "kind"
            )
        ),
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="baris-ditolak-{snapshot.pk}.csv"'
    return response


@may_import
def report(request, report: str, fmt: str):
    if report not in REPORTS or fmt not in CONTENT_TYPES:
        raise Http404
    try:
        data = render_report(report, fmt)
    except SyncError as error:
        messages.error(request, error.message)
        return redirect("dinsos_sync:home")
    # Who took a file of personal data home (UU 27/2022); the data itself stays out of logs.
    logger.info("user %s downloaded registry report %s.%s", request.user.pk, report, fmt)
    name = {"social": "umpan-balik-dtks", "dukcapil": "kematian-belum-tercatat"}[report]
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.{fmt}"'
    )
    return response


@may_import
@require_POST
def crosscheck_all(request):
    from dinsos_sync.tasks import check_open_claims

    transaction.on_commit(check_open_claims.enqueue)
    messages.success(request, _("Pemeriksaan ulang semua klaim terbuka dijadwalkan."))
    return redirect("dinsos_sync:home")
