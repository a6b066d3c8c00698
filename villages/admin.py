from django.contrib import admin
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget

from santunan.spreadsheets import SafeExportMixin
from villages.models import Desa, Kecamatan, OperatorAssignment


class KecamatanResource(SafeExportMixin, resources.ModelResource):
    class Meta:
        model = Kecamatan
        import_id_fields = ("code",)
        fields = ("code", "name")


class DesaResource(SafeExportMixin, resources.ModelResource):
    kecamatan = fields.Field(
        column_name="kecamatan", attribute="kecamatan", widget=ForeignKeyWidget(Kecamatan, "code")
    )

    class Meta:
        model = Desa
        import_id_fields = ("code",)
        fields = ("code", "name", "kind", "kecamatan")


@admin.register(Kecamatan)
class KecamatanAdmin(ImportExportModelAdmin):
    resource_classes = [KecamatanResource]
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Desa)
class DesaAdmin(ImportExportModelAdmin):
    resource_classes = [DesaResource]
    list_display = ("code", "name", "kind", "kecamatan")
    list_filter = ("kind", "kecamatan")
    search_fields = ("code", "name")


@admin.register(OperatorAssignment)
class OperatorAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "desa", "assigned_at")
    search_fields = ("user__username", "desa__name", "desa__code")
    autocomplete_fields = ("desa",)
    raw_id_fields = ("user",)
