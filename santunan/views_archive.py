"""The claim archive for Dinas Sosial: search every claim of every state and year, and
take the result away as a spreadsheet.

Status, area and period are ordinary GET parameters, so any page may link to a search
(`/arsip/?status=paid&year=2026`). The free-text search may be a NIK or a name: it is
posted, kept in the session, and the URL carries only a random key to it (`search=`),
so it never reaches access logs, proxy logs or the browser history."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from santunan.access import client_ip, role_required
from santunan.archive import (
    ArchiveFilters,
    month_range,
    recall_search,
    remember_search,
    search_claims,
)
from santunan.exports import XLSX_CONTENT_TYPE, archive_workbook
from santunan.fields import DateField
from santunan.limits import validate_recent_date
from santunan.models import AccessLog, Status
from santunan.views import PAGE_SIZES, _page
from villages.models import Desa, Kecamatan
from villages.roles import DINSOS_ROLES

# The filters a link may carry, in the order they appear in a URL.
LINKABLE = (
    "status",
    "kecamatan",
    "desa",
    "year",
    "month",
    "submitted_from",
    "submitted_to",
    "overdue",
    "promise",
)
EVERYTHING = [("", gettext_lazy("Semua"))]


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Nomor klaim, NIK atau nama"), max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=EVERYTHING + [c for c in Status.choices if c[0] != Status.DRAFT],
    )
    kecamatan = forms.CharField(label=gettext_lazy("Kecamatan"), max_length=8)
    desa = forms.CharField(label=gettext_lazy("Desa/kelurahan"), max_length=13)
    year = forms.IntegerField(label=gettext_lazy("Tahun pengajuan"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Bulan"), choices=EVERYTHING + list(MONTHS.items()), coerce=int
    )
    submitted_from = DateField(
        label=gettext_lazy("Diajukan sejak"), validators=[validate_recent_date]
    )
    submitted_to = DateField(
        label=gettext_lazy("Diajukan sampai"), validators=[validate_recent_date]
    )
    # Set by links from the dashboard; shown as a note above the results.
    overdue = forms.TypedChoiceField(
        label=gettext_lazy("Lewat janji layanan"), choices=[("", ""), ("1", "1")], coerce=int
    )
    promise = forms.ChoiceField(
        label=gettext_lazy("Janji layanan"),
        choices=[
            ("", gettext_lazy("Semua")),
            ("kept", gettext_lazy("Diputus tepat waktu")),
            ("missed", gettext_lazy("Diputus terlambat")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean_kecamatan(self) -> str:
        code = self.cleaned_data["kecamatan"]
        if code and not Kecamatan.objects.filter(pk=code).exists():
            raise forms.ValidationError(_("Kecamatan tidak dikenal."))
        return code

    def clean_desa(self) -> str:
        code = self.cleaned_data["desa"]
        if code and not Desa.objects.filter(pk=code).exists():
            raise forms.ValidationError(_("Desa/kelurahan tidak dikenal."))
        return code

    def clean(self):
        data = super().clean()
        if data.get("month") and not data.get("year"):
            self.add_error("month", _("Pilih juga tahunnya."))
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data

    def filters(self) -> ArchiveFilters:
        """The valid part of the input: a wrong field is reported and left out, the
        rest of the search still applies."""
        data = self.cleaned_data
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if data.get("year"):
            first, last = month_range(data["year"], data.get("month") or None)
            start, end = max(filter(None, (start, first))), min(filter(None, (end, last)))
        return ArchiveFilters(
            text=(data.get("q") or "").strip(),
            kecamatan=data.get("kecamatan") or "",
            desa=data.get("desa") or "",
            status=data.get("status") or "",
            submitted_from=start,
            submitted_to=end,
            overdue=bool(data.get("overdue")),
            promise=data.get("promise") or "",
        )

    def linkable_query(self, search_key: str = "", per_page: str = "") -> str:
        """The valid, non-personal filters as a query string for links and redirects."""
        query = QueryDict(mutable=True)
        for name in LINKABLE:
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                query[name] = value.isoformat() if isinstance(value, date) else str(value)
        if search_key:
            query["search"] = search_key
        if per_page:
            query["per_page"] = per_page
        return query.urlencode()


def _per_page(request) -> str:
    value = request.GET.get("per_page", "")
    return value if value in {str(size) for size in PAGE_SIZES} else ""


def _read_search(request) -> tuple[ArchiveFilterForm, str]:
    """The form bound to the URL's filters and the session's search term."""
    key = request.GET.get("search", "")
    text = recall_search(request.session, key)
    if key and text is None:
        messages.info(request, _("Pencarian teks sudah tidak tersimpan. Silakan cari lagi."))
    data = {name: request.GET.get(name, "") for name in LINKABLE}
    data["q"] = text or ""
    form = ArchiveFilterForm(data)
    form.is_valid()
    return form, key if text is not None else ""


# Part of a name may match a good share of millions of claims (a common first name):
# counting every match costs more than the page, so a text search counts up to here
# and says "more than". Filters alone (the dashboard's links) are always counted whole.
TEXT_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts a text search up to TEXT_COUNT_CAP. A NIK or a number finds one claim or
    a few: the first page, read with one row more than it shows, then gives the count
    and no count query is needed."""

    @cached_property
    def first_rows(self) -> list:
        return list(self.object_list[: self.per_page + 1])

    @cached_property
    def count(self) -> int:
        if len(self.first_rows) <= self.per_page:
            return len(self.first_rows)
        return self.object_list[: TEXT_COUNT_CAP + 1].count()

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if number == 1:
            return Page(self.first_rows[: self.per_page], number, self)
        return super().page(number)


@role_required(*DINSOS_ROLES)
def archive(request):
    if request.method == "POST":
        if "reset" in request.POST:
            return redirect("santunan:archive")
        form = ArchiveFilterForm(request.POST)
        if form.is_valid():
            text = form.cleaned_data["q"].strip()
            key = remember_search(request.session, text) if text else ""
            query = form.linkable_query(key)
            return redirect(reverse("santunan:archive") + (f"?{query}" if query else ""))
        key = ""
    else:
        form, key = _read_search(request)
    query = form.linkable_query(key, _per_page(request))
    chosen_kecamatan = form.cleaned_data.get("kecamatan", "")
    # Both lists from one query: the areas change rarely, the page is opened often.
    areas = list(
        Desa.objects.order_by("kecamatan", "name").values_list(
            "code", "name", "kecamatan_id", "kecamatan__name"
        )
    )
    kecamatan_list = [
        {"code": code, "name": name} for code, name in dict((a[2], a[3]) for a in areas).items()
    ]
    desa_list = [
        (code, name, kecamatan)
        for code, name, kecamatan_code, kecamatan in areas
        if not chosen_kecamatan or kecamatan_code == chosen_kecamatan
    ]
    filters = form.filters()
    page = _page(
        request,
        search_claims(request.user, filters),
        CappedPaginator if filters.text else Paginator,
    )
    context = {
        "form": form,
        "page": page,
        "count_capped": bool(filters.text) and page.paginator.count > TEXT_COUNT_CAP,
        "count_cap": TEXT_COUNT_CAP,
        "query": query,
        "export_query": form.linkable_query(key),
        "kecamatan_list": kecamatan_list,
        "desa_list": desa_list,
    }
    return render(request, "santunan/archive.html", context)


@role_required(*DINSOS_ROLES)
def archive_export(request):
    form, _key = _read_search(request)
    claims = list(search_claims(request.user, form.filters()))
    # The file carries names of the deceased and heirs: log it against each claim.
    ip = client_ip(request)
    AccessLog.objects.bulk_create(
        (AccessLog(claim=c, user=request.user, what="unduh_arsip", client_ip=ip) for c in claims),
        batch_size=1000,
    )
    name = f"arsip-klaim-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(
        archive_workbook(claims), as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response
