"""How the administration shows what is stored: money as Indonesians write it, JSON
details as lists a person can read, codes as their Indonesian labels, and records
that change only through the services as read-only pages."""

import logging

from django.contrib import admin
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from santunan.finance.letters.formatting import rupiah
from santunan.models import Claim, DocumentKind, Status

EMPTY = "–"
access_logger = logging.getLogger("santunan.access")

# Keys found in JSON details (audit events, findings, bank problems, task arguments),
# named as a reader of the administration knows them. Unknown keys are shown as they are.
DETAIL_LABELS = {
    "fields": _("data yang diubah"),
    "kind": _("jenis dokumen"),
    "document": _("dokumen"),
    "resubmission": _("pengajuan ulang"),
    "batch": _("batch"),
    "over_budget_confirmed": _("lewat pagu dikonfirmasi"),
    "signer": _("penandatangan"),
    "method": _("cara pembayaran"),
    "paid_on": _("tanggal bayar"),
    "bank_reference": _("referensi bank"),
    "bank_date": _("tanggal bank"),
    "reason": _("alasan"),
    "override_reason": _("alasan mengabaikan temuan"),
    "extra_required_documents": _("dokumen tambahan yang diwajibkan"),
    "line": _("baris"),
    "reference": _("referensi"),
    "problem": _("masalah"),
    "registry": _("registri"),
    "registry_name": _("nama di registri"),
    "claim_name": _("nama di klaim"),
    "score": _("kemiripan nama (persen)"),
    "registry_date": _("tanggal di registri"),
    "claim_date": _("tanggal di klaim"),
    "nik_date": _("tanggal menurut NIK"),
    "desa_code": _("kode desa"),
    "decile": _("desil"),
    "max_decile": _("batas desil"),
    "number": _("nomor klaim"),
    "status": _("status"),
    "months": _("umur data (bulan)"),
    "updated": _("diperbarui"),
    "args": _("argumen"),
    "kwargs": _("argumen bernama"),
}

# Keys whose values are codes with an Indonesian label.
_DOCUMENT_KEYS = {"kind", "extra_required_documents"}


def _field_label(name: str) -> str:
    try:
        return str(Claim._meta.get_field(name).verbose_name)
    except Exception:  # a field renamed since the event was written
        return name


def _value_label(key: str | None, value):
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if key in _DOCUMENT_KEYS and value in DocumentKind.values:
        return DocumentKind(value).label
    if key == "status" and value in Status.values:
        return Status(value).label
    if key == "method" and value in Claim.PayoutMethod.values:
        return Claim.PayoutMethod(value).label
    if key == "fields" and isinstance(value, str):
        return _field_label(value)
    return value


def readable(value, key: str | None = None) -> SafeString | str:
    """A JSON value as nested lists: dicts as "label: value" items, lists as items,
    codes as their labels. Every piece of text is escaped."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, dict):
        items = ((DETAIL_LABELS.get(k, k), readable(v, k)) for k, v in value.items())
        return format_html(
            '<ul class="readable">{}</ul>', format_html_join("", "<li>{}: {}</li>", items)
        )
    if isinstance(value, list):
        items = ((readable(v, key),) for v in value)
        return format_html(
            '<ul class="readable">{}</ul>', format_html_join("", "<li>{}</li>", items)
        )
    return format_html("{}", _value_label(key, value))


def problem_list(problems) -> SafeString | str:
    """Bank result rows that were not applied, one item each: "baris 4 · REF: problem"."""
    if not problems:
        return EMPTY
    line = _("baris")
    rows = (
        (line, p.get("line", EMPTY), p.get("reference") or EMPTY, p.get("problem", ""))
        if isinstance(p, dict)
        else (line, EMPTY, EMPTY, p)
        for p in problems
    )
    return format_html(
        '<ul class="readable">{}</ul>', format_html_join("", "<li>{} {} · {}: {}</li>", rows)
    )


def moment(value) -> str:
    """A date or time as the admin's own columns show it, in the local time zone: a
    display method's value is printed as it is, not localised."""
    if value is None:
        return EMPTY
    return formats.localize(timezone.template_localtime(value))


def money(amount: int | None) -> str:
    return EMPTY if amount is None else rupiah(amount)


class LoggedOpeningMixin:
    """Opening a record in the admin is logged like opening a claim in the service: in
    the claim's access log when the record belongs to a claim, otherwise in the
    application log (model and id only, never the data)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_admin_opening(request, obj)
        return response


def record_admin_opening(request, obj) -> None:
    from santunan.access import record_access

    claim = obj if isinstance(obj, Claim) else getattr(obj, "claim", None)
    what = f"admin:{obj._meta.model_name}"
    if isinstance(claim, Claim):
        record_access(request, claim, what)
    else:
        access_logger.info(
            "admin opened %s id=%s by %r", obj._meta.label, obj.pk, request.user.get_username()
        )


class ReadOnlyAdmin(LoggedOpeningMixin, admin.ModelAdmin):
    """Records that change only through the services (whose audit events an edit here
    would skip): every stored field shown, none editable.

    `shown_as` puts a display method in place of a stored field, for money and JSON,
    which Django would otherwise print as 1000000 and raw JSON."""

    shown_as: dict[str, str] = {}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        if self.fields:
            return self.fields
        excluded = set(self.exclude or ())
        return [
            self.shown_as.get(field.name, field.name)
            for field in self.model._meta.concrete_fields
            if not field.auto_created and field.name not in excluded
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)
