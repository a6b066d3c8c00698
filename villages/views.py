from django.shortcuts import get_object_or_404, render

from villages.selectors import desa_visible_to


def area_list(request):
    desa = desa_visible_to(request.user).order_by("kecamatan__code", "code")
    return render(request, "villages/area_list.html", {"desa_list": desa})


def desa_detail(request, code: str):
    # 404, not 403: an official must not learn which other villages exist in the data.
    desa = get_object_or_404(desa_visible_to(request.user), pk=code)
    return render(request, "villages/desa_detail.html", {"desa": desa})
