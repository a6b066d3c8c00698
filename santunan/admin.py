from django.contrib import admin

from santunan.models import AccessLog, BenefitPolicy, Claim, ClaimDocument, ClaimEvent, Holiday


@admin.register(BenefitPolicy)
class BenefitPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "effective_from", "amount", "deadline_days", "service_days")


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Claims change only through the workflow services, never through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "desa", "submitted_at", "due_date")
    list_filter = ("status",)
    search_fields = ("number",)
    exclude = ("deceased_nik", "deceased_kk", "heir_nik", "bank_account")


@admin.register(ClaimEvent)
class ClaimEventAdmin(ReadOnlyAdmin):
    list_display = ("claim", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action",)


@admin.register(ClaimDocument)
class ClaimDocumentAdmin(ReadOnlyAdmin):
    list_display = ("claim", "kind", "content_type", "size", "uploaded_at", "superseded")
    exclude = ("file",)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("claim", "user", "what", "at")


from santunan.finance import admin as _finance_admin  # noqa: E402,F401  registers the payout models
