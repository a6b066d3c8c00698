"""Tokens and clients in the administration. A token's key is never shown here (only
its prefix); the administrator revokes tokens with the list's action. A client is
added here (its dedicated user is created with it) and gets keys from
`manage.py issue_api_token`, which prints a key once."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiClient, ApiToken
from api.services import TokenError, create_client, revoke_token
from santunan.admin_display import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "prefix", "user", "scope", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("scope",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        # The revoke action needs it; every field stays read-only (ReadOnlyAdmin).
        return request.user.is_superuser

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_token(token_id=token.pk)
        count = queryset.count()
        self.message_user(
            request, ngettext("%d token dicabut.", "%d token dicabut.", count) % count
        )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "scope", "desa", "user", "created_at")
    list_filter = ("scope",)
    fields = ("name", "scope", "desa")

    def get_readonly_fields(self, request, obj=None):
        # The scope and desa decide the dedicated user's role: fixed once created.
        return ("name", "scope", "desa") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            client = create_client(name=obj.name, scope=obj.scope, desa=obj.desa)
        except TokenError as error:
            messages.error(request, error.message)
            return
        obj.pk, obj.user, obj.created_at = client.pk, client.user, client.created_at

    def has_delete_permission(self, request, obj=None):
        return False
