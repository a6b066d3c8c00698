"""The first-run page: the administrator chooses the regency from the shipped area
table, confirms, then enters the office's identity. The same services as the
setup_regency command."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from office.selectors import head_on, letterhead_on, treasurer_on
from office.services import OfficeError, set_office_identity
from santunan.access import role_required
from villages import wilayah
from villages.forms import OfficeIdentityForm, RegencyChoiceForm
from villages.roles import Role
from villages.selectors import areas_of, current_regency
from villages.services import RegencyError, WilayahError, setup_regency

admin_only = role_required(Role.ADMINISTRATOR)


@admin_only
def setup(request):
    regency = current_regency()
    if regency.set_up:
        return render(
            request, "villages/setup_done.html", {"regency": regency, **_office_context()}
        )
    form = RegencyChoiceForm(request.GET or None)
    choice = None
    if form.is_bound and form.is_valid() and form.cleaned_data["kabupaten"]:
        choice = wilayah.find_regency(form.cleaned_data["kabupaten"])
    counts = wilayah.area_counts(choice.code) if choice else None
    return render(
        request,
        "villages/setup.html",
        {"form": form, "choice": choice, "counts": counts, "current": regency},
    )


@admin_only
@require_POST
def setup_confirm(request):
    try:
        result = setup_regency(code=request.POST.get("code", ""), user=request.user)
    except (RegencyError, WilayahError) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
        return redirect("villages:setup")
    kecamatan, desa = areas_of(result.regency.code)
    messages.success(
        request,
        _("%(name)s terpasang: %(kec)d kecamatan dan %(desa)d desa/kelurahan.")
        % {"name": result.regency.name, "kec": kecamatan, "desa": desa},
    )
    return redirect("villages:setup")


@admin_only
@require_POST
def office_identity(request):
    regency = current_regency()
    if not regency.set_up:
        return redirect("villages:setup")
    form = OfficeIdentityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = set_office_identity(
                regency=regency.name,
                office=data["office"],
                address=data["address"],
                place=data["place"],
                phone=data["phone"],
                email=data["email"],
                postal_code=data["postal_code"],
                head=(data["head_name"], data["head_nip"]),
                treasurer=(data["treasurer_name"], data["treasurer_nip"]),
            )
        except OfficeError as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            if result.changed:
                messages.success(
                    request, _("Identitas kantor dicatat: %s.") % ", ".join(result.changed)
                )
            else:
                messages.info(request, _("Identitas kantor tidak berubah."))
            return redirect("villages:setup")
    return render(
        request,
        "villages/setup_done.html",
        {"regency": regency, **_office_context(form)},
        status=400,
    )


def _office_context(form: OfficeIdentityForm | None = None) -> dict:
    today = timezone.localdate()
    letterhead, head, treasurer = letterhead_on(today), head_on(today), treasurer_on(today)
    if form is None:
        form = OfficeIdentityForm(
            initial={
                "office": letterhead.office,
                "address": letterhead.address,
                "postal_code": letterhead.postal_code,
                "phone": letterhead.phone,
                "email": letterhead.email,
                "place": letterhead.place,
                "head_name": head.name if head else "",
                "head_nip": head.nip if head else "",
                "treasurer_name": treasurer.name if treasurer else "",
                "treasurer_nip": treasurer.nip if treasurer else "",
            }
        )
    return {"office_form": form, "letterhead": letterhead}
