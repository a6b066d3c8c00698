from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportExportModelAdmin

from dinsos_sync.files import COLUMNS
from dinsos_sync.models import (
    Finding,
    ImportProblem,
    RegistryCheck,
    RegistryPerson,
    Snapshot,
    ValueMapping,
)
from santunan.admin_display import LoggedOpeningMixin, ReadOnlyAdmin, readable
from santunan.identity import mask_number, normalise_number
from santunan.spreadsheets import SafeExportMixin


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "source",
        "status",
        "received_on",
        "rows_loaded",
        "rows_refused",
        "created_at",
    )
    list_filter = ("source", "status")

    @admin.display(description=_("nomor"), ordering="pk")
    def number(self, obj):
        return obj.pk


@admin.register(ImportProblem)
class ImportProblemAdmin(ReadOnlyAdmin):
    list_display = ("snapshot", "line", "message")
    list_filter = ("snapshot",)


class RegistryPersonResource(SafeExportMixin, resources.ModelResource):
    """Small corrections to a loaded snapshot (a misspelt name, a wrong desa code) with
    django-import-export's preview; whole extracts go through `import_registry`."""

    class Meta:
        model = RegistryPerson
        import_id_fields = ("snapshot", "nik")
        # The same columns the bulk import writes, under their snapshot.
        fields = ("snapshot", *COLUMNS)
        skip_unchanged = True
        report_skipped = False

    def before_import_row(self, row, **kwargs):
        # The admin is one more entry for identity numbers: the same normal form as the
        # claim form and the registry client, or the row never matches a claim's NIK.
        for column in ("nik", "kk"):
            if row.get(column):
                row[column] = normalise_number(row[column])


@admin.register(RegistryPerson)
class RegistryPersonAdmin(LoggedOpeningMixin, ImportExportModelAdmin):
    resource_classes = [RegistryPersonResource]
    list_display = ("masked_nik", "name", "snapshot", "desa_code", "decile", "alive")
    list_filter = ("snapshot",)
    # No search box: a search is a GET, and a NIK in the address lands in access logs
    # and browser history. A person is looked up from the claim's registry page.
    show_full_result_count = False

    @admin.display(description="NIK")
    def masked_nik(self, obj):
        return mask_number(obj.nik)


@admin.register(RegistryCheck)
class RegistryCheckAdmin(ReadOnlyAdmin):
    list_display = ("claim", "status", "attempts", "checked_at", "last_error")
    list_filter = ("status",)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("claim", "severity", "code", "sentence", "created_at")
    list_filter = ("severity", "code")
    shown_as = {"params": "details"}

    @admin.display(description=_("keterangan"))
    def sentence(self, obj):
        return obj.message

    @admin.display(description=_("rincian"))
    def details(self, obj):
        return readable(obj.params)


@admin.register(ValueMapping)
class ValueMappingAdmin(admin.ModelAdmin):
    """The regency's own words in registry columns; the upload page adds them too."""

    list_display = ("source", "column", "value", "meaning", "created_by", "created_at")
    list_filter = ("source", "column")
    search_fields = ("value",)
    fields = ("source", "column", "value", "meaning")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
