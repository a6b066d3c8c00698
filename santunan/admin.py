from django import forms
from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from santunan.admin_display import EMPTY, ReadOnlyAdmin, moment, money, readable
from santunan.background import TASK_LABELS
from santunan.fields import MoneyField
from santunan.holidays import day_problem, parse_day, source_from_name
from santunan.models import (
    AccessLog,
    BackgroundTask,
    BenefitPolicy,
    Claim,
    ClaimDocument,
    ClaimEvent,
    DocumentKind,
    Holiday,
    Status,
)
from santunan.rules import RULE_FIELDS, deadline_words, payout_choices, policy_problems
from santunan.spreadsheets import SafeExportMixin
from santunan.templatetags.santunan_tags import action_label

__all__ = ["ReadOnlyAdmin"]


DOCUMENT_CHOICES = [
    (value, _("Buku tabungan ahli waris (hanya untuk transfer)"))
    if value == DocumentKind.BANK_BOOK
    else (value, label)
    for value, label in DocumentKind.choices
]


class BenefitPolicyForm(forms.ModelForm):
    """The documents as check boxes; every rule checked by santunan.rules.policy_problems."""

    required_documents = forms.MultipleChoiceField(
        label=_("dokumen wajib"),
        choices=DOCUMENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    optional_documents = forms.MultipleChoiceField(
        label=_("dokumen pilihan (bila ada)"),
        choices=DOCUMENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Ditawarkan untuk diunggah, tetapi tidak menghalangi pengajuan."),
    )

    amount = MoneyField(label=_("besaran santunan (Rp)"))

    class Meta:
        model = BenefitPolicy
        fields = ("name", *RULE_FIELDS)

    def clean(self):
        data = super().clean()
        if self.instance.pk and self._rules_changed() and self._used_now():
            raise forms.ValidationError(
                _(
                    "Sementara Anda mengubahnya, klaim telah diajukan dengan kebijakan ini, "
                    "jadi aturannya tidak dapat diubah lagi. Untuk aturan baru, tambahkan "
                    "kebijakan baru dengan tanggal berlakunya."
                )
            )
        candidate = BenefitPolicy()
        for name in RULE_FIELDS:
            # A read-only field is not in the form: its stored value counts.
            value = data.get(name) if name in self.fields else getattr(self.instance, name)
            setattr(candidate, name, value)
        for field, problems in policy_problems(candidate).items():
            for problem in problems:
                self.add_error(field if field in self.fields else None, problem)
        return data

    def _rules_changed(self) -> bool:
        return any(name in self.fields for name in self.changed_data if name in RULE_FIELDS)

    def _used_now(self) -> bool:
        # The admin saves inside a transaction: the row stays locked until it commits,
        # so a submission that takes this policy waits for the change or comes first.
        locked = BenefitPolicy.objects.select_for_update().filter(pk=self.instance.pk)
        return bool(list(locked.values_list("pk", flat=True))) and self.instance.claims.exists()


@admin.register(BenefitPolicy)
class BenefitPolicyAdmin(admin.ModelAdmin):
    form = BenefitPolicyForm
    list_display = (
        "name",
        "effective_from",
        "amount_rupiah",
        "deadline_rule",
        "payout",
        "service_days",
        "claim_count",
    )
    fieldsets = [
        (_("Peraturan"), {"fields": ("name", "effective_from", "amount")}),
        (
            _("Batas pengajuan"),
            {"fields": ("deadline_days", "deadline_in_working_days", "deadline_from")},
        ),
        (
            _("Dokumen"),
            {"fields": ("required_documents", "optional_documents", "death_documents_either")},
        ),
        (_("Cara pembayaran yang ditawarkan"), {"fields": ("cash_offered", "transfer_offered")}),
        (_("Uji kemiskinan"), {"fields": ("poor_decile_max", "sktm_accepted")}),
        (_("Janji layanan"), {"fields": ("service_days",)}),
    ]

    # Read-only, the document lists show their names rather than their codes.
    SHOWN_AS = {"required_documents": "required_names", "optional_documents": "optional_names"}

    def _in_use(self, obj) -> bool:
        return obj is not None and obj.claims.exists()

    def get_readonly_fields(self, request, obj=None):
        # A claim keeps the rules it was submitted under: once a claim uses this policy,
        # its rules are fixed, and a new regulation is a new policy with its own date.
        if self._in_use(obj):
            # The lists' own names too: the admin then drops the form's check boxes.
            return (*RULE_FIELDS, *self.SHOWN_AS.values())
        return ()

    def get_fieldsets(self, request, obj=None):
        if not self._in_use(obj):
            return self.fieldsets
        return [
            (title, {"fields": tuple(self.SHOWN_AS.get(f, f) for f in options["fields"])})
            for title, options in self.fieldsets
        ]

    @admin.display(description=_("dokumen wajib"))
    def required_names(self, obj):
        return readable(obj.required_documents, "kind")

    @admin.display(description=_("dokumen pilihan (bila ada)"))
    def optional_names(self, obj):
        return readable(obj.optional_documents, "kind")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET" and obj.claims.exists():
            messages.info(
                request,
                _(
                    "Kebijakan ini sudah dipakai klaim, jadi aturannya tidak dapat diubah lagi. "
                    "Untuk aturan baru, tambahkan kebijakan baru dengan tanggal berlakunya."
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("besaran santunan"), ordering="amount")
    def amount_rupiah(self, obj):
        return money(obj.amount)

    @admin.display(description=_("batas pengajuan"))
    def deadline_rule(self, obj):
        return deadline_words(obj)

    @admin.display(description=_("cara pembayaran"))
    def payout(self, obj):
        return ", ".join(str(label) for _value, label in payout_choices(obj))

    @admin.display(description=_("jumlah klaim"))
    def claim_count(self, obj):
        return obj.claims.count()


class HolidayDateWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            raise ValueError(_("Tanggal wajib diisi."))
        if problem := day_problem(value):
            raise ValueError(problem)
        return parse_day(value)


class HolidayResource(SafeExportMixin, resources.ModelResource):
    """One year's days at a time is `load_holidays YEAR FILE.csv`; here, a preview of
    any rows, each added or renamed by its date."""

    date = fields.Field(attribute="date", column_name="tanggal", widget=HolidayDateWidget())
    name = fields.Field(attribute="name", column_name="keterangan")

    class Meta:
        model = Holiday
        import_id_fields = ("date",)
        fields = ("date", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def before_save_instance(self, instance, row, **kwargs):
        # An imported day is the office's, as with `load_holidays`: no automatic load
        # changes it afterwards.
        instance.source = source_from_name(instance.name)
        super().before_save_instance(instance, row, **kwargs)


@admin.register(Holiday)
class HolidayAdmin(ImportExportModelAdmin):
    """The office adds its cuti bersama and regional days here; the national days come
    from the built-in calendar (`load_national_holidays`) or the year's file."""

    resource_classes = [HolidayResource]
    list_display = ("date", "name", "source")
    list_filter = ("source",)
    date_hierarchy = "date"

    def get_changeform_initial_data(self, request):
        # What an office adds by hand is most often collective leave.
        initial = super().get_changeform_initial_data(request)
        return {"source": Holiday.Source.COLLECTIVE_LEAVE, **initial}


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "desa", "amount_rupiah", "submitted_at", "due_date")
    list_filter = ("status",)
    search_fields = ("number",)
    exclude = ("deceased_nik", "deceased_kk", "heir_nik", "bank_account")
    shown_as = {"amount": "amount_rupiah", "extra_required_documents": "extra_documents"}

    @admin.display(description=_("besaran"), ordering="amount")
    def amount_rupiah(self, obj):
        return money(obj.amount)

    @admin.display(description=_("dokumen tambahan yang diwajibkan"))
    def extra_documents(self, obj):
        return readable(obj.extra_required_documents, "extra_required_documents")


def _status(value: str) -> str:
    return Status(value).label if value in Status.values else (value or EMPTY)


class ActionFilter(admin.SimpleListFilter):
    """The timeline's actions by their Indonesian labels, not their codes."""

    title = _("tindakan")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = (
            ClaimEvent.objects.filter(claim__is_practice=False)
            .values_list("action", flat=True)
            .distinct()
            .order_by()
        )
        return sorted(((a, action_label(a)) for a in actions), key=lambda c: str(c[1]))

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class RealClaimsOnly:
    """The lists of a claim's own rows (events, documents, access log) leave practice
    claims out, as Claim.objects does for the claims themselves (santunan/practice.py);
    the rows stay unfiltered in the models because the services read them through the
    claim, practice or not."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(claim__is_practice=False)


@admin.register(ClaimEvent)
class ClaimEventAdmin(RealClaimsOnly, ReadOnlyAdmin):
    list_display = ("claim", "action_name", "from_label", "to_label", "actor", "at")
    list_filter = (ActionFilter,)
    list_select_related = ("claim", "actor")
    shown_as = {
        "action": "action_name",
        "from_status": "from_label",
        "to_status": "to_label",
        "data": "details",
    }

    @admin.display(description=_("tindakan"), ordering="action")
    def action_name(self, obj):
        return action_label(obj.action)

    @admin.display(description=_("dari"))
    def from_label(self, obj):
        return _status(obj.from_status)

    @admin.display(description=_("menjadi"))
    def to_label(self, obj):
        return _status(obj.to_status)

    @admin.display(description=_("rincian"))
    def details(self, obj):
        return readable(obj.data)


@admin.register(ClaimDocument)
class ClaimDocumentAdmin(RealClaimsOnly, ReadOnlyAdmin):
    list_display = ("claim", "kind", "content_type", "size_readable", "uploaded_at", "superseded")
    exclude = ("file",)
    shown_as = {"size": "size_readable"}

    @admin.display(description=_("ukuran"), ordering="size")
    def size_readable(self, obj):
        return filesizeformat(obj.size)


# What was opened, as AccessLog.what records it ("lihat_dokumen:kk" names the document).
ACCESS_LABELS = {
    "lihat_klaim": _("melihat klaim"),
    "lihat_dokumen": _("melihat dokumen"),
    "bank_transfer_file": _("mengunduh berkas transfer bank"),
    "unduh_arsip": _("mengunduh arsip klaim"),
    "admin": _("membuka di administrasi"),
}


@admin.register(AccessLog)
class AccessLogAdmin(RealClaimsOnly, ReadOnlyAdmin):
    list_display = ("claim", "user", "what_label", "at")
    list_select_related = ("claim", "user")
    shown_as = {"what": "what_label"}

    @admin.display(description=_("yang dibuka"), ordering="what")
    def what_label(self, obj):
        action, _sep, detail = obj.what.partition(":")
        label = ACCESS_LABELS.get(action, action)
        if detail in DocumentKind.values:
            detail = DocumentKind(detail).label
        return f"{label}: {detail}" if detail else str(label)


# --- Background tasks (django-tasks), in place of the library's English admin ---

TASK_STATUS_LABELS = {
    TaskResultStatus.READY: _("Menunggu giliran"),
    TaskResultStatus.RUNNING: _("Sedang berjalan"),
    TaskResultStatus.FAILED: _("Gagal"),
    TaskResultStatus.SUCCESSFUL: _("Berhasil"),
}


class TaskStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(status.value, label) for status, label in TASK_STATUS_LABELS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(BackgroundTask)
class BackgroundTaskAdmin(ReadOnlyAdmin):
    list_display = ("task", "status_label", "enqueued", "started", "finished", "queue")
    list_filter = (TaskStatusFilter,)
    ordering = ["-enqueued_at"]
    fields = (
        "task",
        "status_label",
        "enqueued",
        "run_after_label",
        "started",
        "finished",
        "arguments",
        "result",
        "error_class",
        "traceback_text",
        "workers",
        "priority_label",
        "queue",
        "backend",
        "task_id",
    )

    @admin.display(description=_("tugas"), ordering="task_path")
    def task(self, obj):
        label = TASK_LABELS.get(obj.task_path)
        return format_html("{} <code>{}</code>", label, obj.task_path) if label else obj.task_path

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        return TASK_STATUS_LABELS.get(obj.status, obj.status)

    @admin.display(description=_("masuk antrean"), ordering="enqueued_at")
    def enqueued(self, obj):
        return moment(obj.enqueued_at)

    @admin.display(description=_("dijalankan setelah"))
    def run_after_label(self, obj):
        # The library stores "no delay" as the largest date it can.
        return EMPTY if obj.run_after == get_date_max() else moment(obj.run_after)

    @admin.display(description=_("mulai"), ordering="started_at")
    def started(self, obj):
        return moment(obj.started_at)

    @admin.display(description=_("selesai"), ordering="finished_at")
    def finished(self, obj):
        return moment(obj.finished_at)

    @admin.display(description=_("argumen"))
    def arguments(self, obj):
        return readable(obj.args_kwargs)

    @admin.display(description=_("hasil"))
    def result(self, obj):
        return readable(obj.return_value)

    @admin.display(description=_("jenis kesalahan"))
    def error_class(self, obj):
        return obj.exception_class_path or EMPTY

    @admin.display(description=_("jejak kesalahan"))
    def traceback_text(self, obj):
        return format_html("<pre>{}</pre>", obj.traceback) if obj.traceback else EMPTY

    @admin.display(description=_("pekerja"))
    def workers(self, obj):
        return readable(obj.worker_ids)

    @admin.display(description=_("prioritas"))
    def priority_label(self, obj):
        return obj.priority

    @admin.display(description=_("antrean"), ordering="queue_name")
    def queue(self, obj):
        return obj.queue_name

    @admin.display(description=_("backend"))
    def backend(self, obj):
        return obj.backend_name

    @admin.display(description=_("ID tugas"))
    def task_id(self, obj):
        return obj.pk


from santunan.finance import admin as _finance_admin  # noqa: E402,F401  registers the payout models
