from django.shortcuts import render

from santunan.access import role_required
from villages.roles import Role
from villages.selectors import desa_of_operator


@role_required(Role.OPERATOR_DESA)
def desa_home(request):
    return render(request, "santunan/desa_home.html", {"desa": desa_of_operator(request.user)})


@role_required(Role.VERIFIKATOR)
def verifikator_home(request):
    return render(request, "santunan/verifikator_home.html")


@role_required(Role.APPROVER)
def approver_home(request):
    return render(request, "santunan/approver_home.html")


def no_role(request):
    return render(request, "santunan/no_role.html")
