"""The office's pages: the dashboard and the reports."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filestore.storage import open_stream
from reports import services
from reports.dashboard import build_dashboard, chart, overdue_days, years_with_claims
from reports.models import ReportRun
from reports.usage import columns as usage_columns
from reports.usage import export_rows as usage_rows
from reports.usage import usage as usage_of
from santunan.access import role_required
from santunan.models import PayoutBatch
from santunan.spreadsheets import XLSX_CONTENT_TYPE, csv_text, xlsx_workbook
from villages.models import Kecamatan
from villages.roles import DINSOS_ROLES


def _year(request, years: list[int]) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@role_required(*DINSOS_ROLES)
def dashboard(request):
    years = years_with_claims()
    year = _year(request, years)
    kecamatan = Kecamatan.objects.filter(pk=request.GET.get("kecamatan", "")).first()
    every_kecamatan = list(Kecamatan.objects.order_by("name"))
    board = build_dashboard(
        request.user, year=year, kecamatan=kecamatan, every_kecamatan=every_kecamatan
    )
    today = timezone.localdate()
    context = {
        "board": board,
        "years": years if year in years else [year, *years],
        "kecamatan_list": every_kecamatan,
        "status_chart": chart(board.by_status),
        "kecamatan_chart": chart(board.by_kecamatan),
        "month_chart": chart(board.by_month),
        "overdue_rows": [(c, overdue_days(c, today)) for c in board.overdue_claims],
    }
    return render(request, "reports/dashboard.html", context)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Laporan"), choices=ReportRun.Kind.choices)
    file_format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ReportRun.Format.choices)
    year = forms.IntegerField(
        label=gettext_lazy("Tahun"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=gettext_lazy(
            "Rekap dan janji layanan menghitung klaim menurut tanggal pertama diajukan; "
            "pertanggungjawaban pembayaran menurut tanggal bayar."
        ),
    )
    month = forms.TypedChoiceField(
        label=gettext_lazy("Bulan"),
        choices=[("", gettext_lazy("Setahun penuh")), *MONTHS.items()],
        coerce=int,
        required=False,
        empty_value=None,
    )
    batch = forms.ModelChoiceField(
        label=gettext_lazy("Batch pembayaran (untuk pertanggungjawaban per batch)"),
        queryset=PayoutBatch.objects.order_by("-year", "-sequence"),
        required=False,
    )


def _runs(user):
    return ReportRun.objects.filter(requested_by=user).select_related("batch")[:20]


@role_required(*DINSOS_ROLES)
def reports(request):
    form = ReportForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_report(
                user=request.user,
                kind=data["kind"],
                file_format=data["file_format"],
                year=data["year"],
                month=data["month"],
                batch_id=data["batch"].pk if data["batch"] else None,
            )
        except services.ReportError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Laporan sedang dibuat; unduh dari daftar di bawah."))
            return redirect("reports:reports")
    runs = _runs(request.user)
    return render(request, "reports/reports.html", {"form": form, "runs": runs, **_polling(runs)})


def _polling(runs) -> dict:
    waiting = {ReportRun.State.QUEUED, ReportRun.State.RUNNING}
    return {"running": any(run.state in waiting for run in runs)}


@role_required(*DINSOS_ROLES)
def runs(request):
    found = _runs(request.user)
    return render(request, "reports/_runs.html", {"runs": found, **_polling(found)})


@role_required(*DINSOS_ROLES)
def download(request, pk):
    run = get_object_or_404(
        ReportRun.objects.select_related("batch"),
        pk=pk,
        requested_by=request.user,
        state=ReportRun.State.DONE,
    )
    # The stored name may carry the storage's suffix against collisions; the person
    # gets the report's own name.
    name = services.file_name(run)
    try:
        handle = open_stream(run.file)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*DINSOS_ROLES)
def usage(request):
    """Who is not using it: per desa and kecamatan, whom to call or visit first."""
    year = _year(request, [])
    kecamatan = Kecamatan.objects.filter(pk=request.GET.get("kecamatan", "")).first()
    report = usage_of(year=year, kecamatan_code=kecamatan.code if kecamatan else "")
    export = request.GET.get("format", "")
    if export in ("csv", "xlsx"):
        name = f"pemakaian-{year}{'-' + kecamatan.code if kecamatan else ''}.{export}"
        return _usage_file(report, export, name)
    context = {
        "report": report,
        "kecamatan": kecamatan,
        "kecamatan_list": Kecamatan.objects.order_by("name"),
        "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
    }
    return render(request, "reports/usage.html", context)


def _usage_file(report, export: str, name: str) -> HttpResponse:
    if export == "csv":
        data = csv_text(usage_columns(), usage_rows(report))
        response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    else:
        data = xlsx_workbook(_("Pemakaian"), usage_columns(), usage_rows(report))
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
