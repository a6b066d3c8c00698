"""Payout records in the admin, read only: they change through the finance services,
whose audit events would be skipped by an edit here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from santunan.admin_display import ReadOnlyAdmin, money, problem_list
from santunan.models import BankResultUpload, Budget, BudgetChange, Payment, PayoutBatch


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "payout_method", "status", "letter_date", "signer_name")
    list_filter = ("status", "payout_method", "year")
    search_fields = ("number",)
    exclude = ("render_error",)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("claim", "method", "result", "amount_rupiah", "paid_on", "recorded_by")
    list_filter = ("result", "method")
    list_select_related = ("claim", "recorded_by")
    # Scans are opened through the finance pages, which log each look.
    exclude = ("receipt_scan", "power_of_attorney")
    shown_as = {"amount": "amount_rupiah"}

    @admin.display(description=_("jumlah"), ordering="amount")
    def amount_rupiah(self, obj):
        return money(obj.amount)


@admin.register(BankResultUpload)
class BankResultUploadAdmin(ReadOnlyAdmin):
    list_display = ("batch", "uploaded_at", "uploaded_by", "paid", "failed", "problem_count")
    exclude = ("file",)
    shown_as = {"problems": "problem_rows"}

    @admin.display(description=_("baris bermasalah"))
    def problem_rows(self, obj):
        return problem_list(obj.problems)

    @admin.display(description=_("jumlah baris bermasalah"))
    def problem_count(self, obj):
        return len(obj.problems or [])


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("year", "allocation_rupiah", "updated_by", "updated_at")
    shown_as = {"allocation": "allocation_rupiah"}

    @admin.display(description=_("pagu"), ordering="allocation")
    def allocation_rupiah(self, obj):
        return money(obj.allocation)


@admin.register(BudgetChange)
class BudgetChangeAdmin(ReadOnlyAdmin):
    list_display = ("budget", "old_allocation", "new_allocation", "changed_by", "changed_at")
    list_filter = ("budget__year",)
