"""Payout records in the admin, read only: they change through the finance services,
whose audit events would be skipped by an edit here."""

from django.contrib import admin

from santunan.admin import ReadOnlyAdmin
from santunan.models import BankResultUpload, Budget, Payment, PayoutBatch


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "payout_method", "status", "letter_date", "signer_name")
    list_filter = ("status", "payout_method", "year")
    search_fields = ("number",)
    exclude = ("render_error",)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("claim", "method", "result", "amount", "paid_on", "recorded_by")
    list_filter = ("result", "method")
    exclude = ("receipt_scan",)


@admin.register(BankResultUpload)
class BankResultUploadAdmin(ReadOnlyAdmin):
    list_display = ("batch", "uploaded_at", "uploaded_by", "paid", "failed")
    exclude = ("file",)


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("year", "allocation", "updated_by", "updated_at")
