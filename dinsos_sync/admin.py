from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportModelAdmin

from dinsos_sync.files import COLUMNS
from dinsos_sync.models import Finding, ImportProblem, RegistryCheck, RegistryPerson, Snapshot


class ReadOnly(admin.ModelAdmin):
    """Snapshots, checks and findings change only through the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnly):
    list_display = (
        "pk",
        "source",
        "status",
        "received_on",
        "rows_loaded",
        "rows_refused",
        "created_at",
    )
    list_filter = ("source", "status")


@admin.register(ImportProblem)
class ImportProblemAdmin(ReadOnly):
    list_display = ("snapshot", "line", "message")
    list_filter = ("snapshot",)


class RegistryPersonResource(resources.ModelResource):
    """Small corrections to a loaded snapshot (a misspelt name, a wrong desa code) with
    django-import-export's preview; whole extracts go through `import_registry`."""

    class Meta:
        model = RegistryPerson
        import_id_fields = ("snapshot", "nik")
        # The same columns the bulk import writes, under their snapshot.
        fields = ("snapshot", *COLUMNS)
        skip_unchanged = True
        report_skipped = False


@admin.register(RegistryPerson)
class RegistryPersonAdmin(ImportExportModelAdmin):
    resource_classes = [RegistryPersonResource]
    list_display = ("masked_nik", "name", "snapshot", "desa_code", "decile", "alive")
    list_filter = ("snapshot",)
    # Exact NIK only: searching by fragments of personal numbers is not needed here.
    search_fields = ("=nik",)
    show_full_result_count = False

    @admin.display(description="NIK")
    def masked_nik(self, obj):
        from santunan.identity import mask_number

        return mask_number(obj.nik)


@admin.register(RegistryCheck)
class RegistryCheckAdmin(ReadOnly):
    list_display = ("claim", "status", "attempts", "checked_at", "last_error")
    list_filter = ("status",)


@admin.register(Finding)
class FindingAdmin(ReadOnly):
    list_display = ("claim", "severity", "code", "message", "created_at")
    list_filter = ("severity", "code")
