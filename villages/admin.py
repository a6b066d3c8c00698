from django import forms
from django.contrib import admin
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget

from santunan.spreadsheets import SafeExportMixin
from villages.models import Desa, Kecamatan, OperatorAssignment, UserPreference


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
