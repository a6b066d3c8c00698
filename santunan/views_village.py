"""The village operator's figures for their own desa: a short page beside the list of
claims, so a village head's question ("how many, how much, how long?") needs no call
to Dinas Sosial."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from santunan.access import role_required
from santunan.selectors import desa_statistics
from villages.roles import Role
from villages.selectors import desa_of_operator

YEARS_SHOWN = 5


@role_required(Role.OPERATOR_DESA)
def desa_statistics_page(request):
    desa = desa_of_operator(request.user)
    if desa is None:  # the role without a desa assigned yet
        raise PermissionDenied
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - YEARS_SHOWN, -1))
    # Only the years offered as links; anything else typed in the address is this year.
    year = next((y for y in years if str(y) == request.GET.get("tahun")), this_year)
    stats = desa_statistics(desa_id=desa.pk, year=year)
    return render(
        request, "santunan/desa_statistics.html", {"desa": desa, "stats": stats, "years": years}
    )
