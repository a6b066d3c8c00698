"""The office's identity, officials and budget account codes: edited by the
administrator here. A change takes effect from its date; add a new record rather than
editing an old one, so letters already printed keep what they printed."""

from django.contrib import admin

from office.models import BudgetAccount, Letterhead, Official


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    list_display = ("valid_from", "office", "address", "phone", "email")


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ("position", "name", "nip", "valid_from", "valid_to")
    list_filter = ("position",)
    search_fields = ("name", "nip")


@admin.register(BudgetAccount)
class BudgetAccountAdmin(admin.ModelAdmin):
    list_display = ("year", "code", "name")
