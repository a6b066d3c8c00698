"""The office's pages: the dashboard and the reports."""

from django.shortcuts import render
from django.utils import timezone

from reports.dashboard import build_dashboard, chart, overdue_days, years_with_claims
from santunan.access import role_required
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
    board = build_dashboard(request.user, year=year, kecamatan=kecamatan)
    today = timezone.localdate()
    context = {
        "board": board,
        "years": years if year in years else [year, *years],
        "kecamatan_list": Kecamatan.objects.order_by("name"),
        "status_chart": chart(board.by_status),
        "kecamatan_chart": chart(board.by_kecamatan),
        "month_chart": chart(board.by_month),
        "overdue_rows": [(c, overdue_days(c, today)) for c in board.overdue_claims],
    }
    return render(request, "reports/dashboard.html", context)


@role_required(*DINSOS_ROLES)
def reports(request):
    return render(request, "reports/reports.html", {})
