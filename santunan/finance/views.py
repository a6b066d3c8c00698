from django.shortcuts import render

from santunan.access import role_required
from santunan.models import Claim, Status
from villages.roles import Role


@role_required(Role.BENDAHARA)
def home(request):
    claims = Claim.objects.filter(status=Status.APPROVED).select_related("desa__kecamatan")
    return render(request, "finance/home.html", {"claims": claims.order_by("approved_at")[:200]})
