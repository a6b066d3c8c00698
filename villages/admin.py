from django import forms
from django.contrib import admin
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget

from santunan.spreadsheets import SafeExportMixin
from villages.models import (
    AreaChange,
    Desa,
    Kecamatan,
    OperatorAssignment,
    Regency,
    UserPreference,
)


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
    list_display = ("code", "name", "is_active")
    search_fields = ("code", "name")


@admin.register(Desa)
class DesaAdmin(ImportExportModelAdmin):
    resource_classes = [DesaResource]
    list_display = ("code", "name", "kind", "kecamatan", "is_active")
    list_filter = ("kind", "is_active", "kecamatan")
    search_fields = ("code", "name")


@admin.register(OperatorAssignment)
class OperatorAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "desa", "assigned_at")
    search_fields = ("user__username", "desa__name", "desa__code")
    autocomplete_fields = ("desa",)
    raw_id_fields = ("user",)


class UserPreferenceForm(forms.ModelForm):
    class Meta:
        model = UserPreference
        fields = ("user", "language", "phone")

    def clean_phone(self) -> str:
        # Stored as E.164 like the heirs' numbers, so the gateway gets one shape.
        from santunan.phones import phone_problem, to_e164

        value = (self.cleaned_data.get("phone") or "").strip()
        if value and (value := to_e164(value)) is None:
            raise forms.ValidationError(phone_problem())
        return value


@admin.register(UserPreference)
class UserPreferenceAdmin(admin.ModelAdmin):
    form = UserPreferenceForm
    list_display = ("user", "language", "phone")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by setup_regency and update_wilayah (or the first-run page)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("id", "slot")]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Regency)
class RegencyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "province_name", "set_up_at", "set_up_by")


@admin.register(AreaChange)
class AreaChangeAdmin(ReadOnlyAdmin):
    list_display = ("applied_at", "code", "level", "kind", "old_name", "new_name", "detail")
    list_filter = ("kind", "level", "source")
    search_fields = ("code", "old_name", "new_name")
