"""The users list in the administration: people with their roles (in Bahasa Indonesia,
each with what it does) and, for village officials, their desa, instead of Django's
hundreds of "Can add …" permissions. Roles are declared in code (villages/roles.py) and
re-applied after every migrate, so their groups are shown here, never edited.

The administrator's account actions: unlock a locked-out login, issue a one-time
password reset link, and let someone enrol a new authenticator."""

import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Case, Value, When
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ActivationCode
from accounts.services import forget_second_factor, reset_link
from accounts.throttle import unlock_account
from villages.models import OperatorAssignment
from villages.roles import Role

logger = logging.getLogger("accounts")
User = get_user_model()

# What each role does, in a sentence, for whoever gives someone a role.
ROLE_DESCRIPTIONS = {
    Role.OPERATOR_DESA: gettext_lazy(
        "Mengajukan dan melengkapi klaim santunan warga satu desa/kelurahan; hanya melihat "
        "klaim desanya sendiri."
    ),
    Role.VERIFIKATOR: gettext_lazy(
        "Memeriksa klaim dengan dokumen dan registri, lalu memverifikasi, mengembalikan "
        "atau menolaknya; memuat data registri."
    ),
    Role.APPROVER: gettext_lazy(
        "Menyetujui atau menolak klaim yang sudah diverifikasi (tidak untuk klaim yang ia "
        "verifikasi sendiri). Masuk dengan kode autentikator."
    ),
    Role.BENDAHARA: gettext_lazy(
        "Menyusun batch pembayaran, mencetak surat, mencatat pembayaran dan rekonsiliasi. "
        "Masuk dengan kode autentikator."
    ),
    Role.ADMINISTRATOR: gettext_lazy(
        "Mengelola pengguna, penugasan operator, wilayah dan identitas kantor di "
        "administrasi ini. Masuk dengan kode autentikator."
    ),
}


# Roles in the order of the work: village, verifier, approver, treasurer, administrator.
ROLE_ORDER = Case(
    *(When(name=role, then=Value(rank)) for rank, role in enumerate(Role.values)),
    default=Value(len(Role.values)),
)


def role_name(group: Group) -> str:
    return str(Role(group.name).label) if group.name in Role.values else group.name


def role_description(group: Group) -> str:
    return str(ROLE_DESCRIPTIONS.get(group.name, ""))


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """The roles as check boxes: each by its Indonesian name, with what it does."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, group: Group) -> str:
        description = role_description(group)
        return f"{role_name(group)} — {description}" if description else role_name(group)


class OperatorDesaInline(admin.StackedInline):
    model = OperatorAssignment
    fields = ("desa",)
    autocomplete_fields = ("desa",)
    max_num = 1
    verbose_name = gettext_lazy("desa/kelurahan (hanya untuk operator desa)")
    verbose_name_plural = gettext_lazy("desa/kelurahan (hanya untuk operator desa)")


class RoleFilter(admin.SimpleListFilter):
    title = gettext_lazy("peran")
    parameter_name = "peran"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


admin.site.unregister(User)
admin.site.unregister(Group)
# Devices are managed through the actions below, in Bahasa Indonesia; the libraries'
# own device lists (English, and showing secrets' metadata) are not offered.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(Group)
class RoleAdmin(admin.ModelAdmin):
    """The roles, read-only: their permissions are declared in villages/roles.py."""

    list_display = ("name_label", "description", "member_count")
    ordering = (ROLE_ORDER, "name")
    fields = ("name_label", "description", "members")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user_set")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("peran"), ordering="name")
    def name_label(self, group):
        return role_name(group)

    @admin.display(description=gettext_lazy("yang dikerjakan"))
    def description(self, group):
        return role_description(group)

    @admin.display(description=gettext_lazy("jumlah pengguna"))
    def member_count(self, group):
        return len(group.user_set.all())

    @admin.display(description=gettext_lazy("pengguna"))
    def members(self, group):
        people = sorted(user.username for user in group.user_set.all())
        return format_html_join(", ", "{}", ((name,) for name in people)) or "-"


@admin.register(User)
class AccountAdmin(UserAdmin):
    actions = ["unlock_login", "issue_reset_links", "forget_authenticator", "print_slips"]
    change_list_template = "accounts/admin_users_changelist.html"
    list_display = ("username", "full_name", "roles", "desa", "is_active")
    list_filter = (RoleFilter, "is_active")
    filter_horizontal = ()
    inlines = [OperatorDesaInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Data diri"), {"fields": ("first_name", "last_name", "email")}),
        (gettext_lazy("Peran"), {"fields": ("groups", "is_active", "is_staff", "is_superuser")}),
        (gettext_lazy("Waktu"), {"fields": ("last_login", "date_joined")}),
    )

    def get_urls(self):
        from django.urls import path

        from accounts.admin_import import import_officials_view, print_slips_view

        view = self.admin_site.admin_view
        return [
            path("impor-petugas/", view(import_officials_view), name="accounts_import_officials"),
            path("slip-aktivasi/", view(print_slips_view), name="accounts_print_slips"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("operator_assignment__desa")
            .prefetch_related("groups")
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs.update(
                form_class=RoleChoiceField,
                queryset=Group.objects.order_by(ROLE_ORDER, "name"),
                help_text=_("Satu orang dapat memegang lebih dari satu peran."),
            )
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label = _("Peran")
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("nama"))
    def full_name(self, user):
        return user.get_full_name() or "-"

    @admin.display(description=gettext_lazy("peran"))
    def roles(self, user):
        return ", ".join(sorted(role_name(group) for group in user.groups.all())) or "-"

    @admin.display(description=gettext_lazy("desa/kelurahan"))
    def desa(self, user):
        assignment = getattr(user, "operator_assignment", None)
        return str(assignment.desa) if assignment else "-"

    @admin.action(description=gettext_lazy("Buka kunci login"))
    def unlock_login(self, request, queryset):
        count = sum(unlock_account(username=user.username) for user in queryset)
        for user in queryset:
            logger.info("login unlocked: username=%r by=%r", user.username, request.user.username)
        self.message_user(
            request,
            _("Kunci login dibuka (%(count)d catatan percobaan dihapus).") % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Buat tautan atur ulang kata sandi"))
    def issue_reset_links(self, request, queryset):
        links = [(user, reset_link(user=user, request=request)) for user in queryset]
        for user, _link in links:
            logger.info(
                "password reset link issued: username=%r by=%r",
                user.username,
                request.user.username,
            )
        # Shown on a page, not in a message: the message would be kept in a cookie.
        response = TemplateResponse(
            request,
            "accounts/admin_reset_links.html",
            {
                **self.admin_site.each_context(request),
                "links": links,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                "title": _("Tautan atur ulang"),
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=gettext_lazy("Daftar ulang autentikator (ponsel hilang)"))
    def forget_authenticator(self, request, queryset):
        for user in queryset:
            forget_second_factor(user=user)
            logger.info(
                "authenticator removed: username=%r by=%r", user.username, request.user.username
            )
        self.message_user(
            request,
            _("Autentikator dihapus; pengguna mendaftarkannya lagi saat masuk berikutnya."),
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Cetak slip aktivasi (akun yang belum aktif)"))
    def print_slips(self, request, queryset):
        from accounts.admin_import import slips_response

        return slips_response(request, queryset)


@admin.register(ActivationCode)
class ActivationCodeAdmin(admin.ModelAdmin):
    """Who was given an activation code, by whom and when, and when and from where it
    was used: the record of each account's first login. Never the code itself (only its
    digest is kept, and that is not shown either)."""

    list_display = (
        "user",
        "channel",
        "issued_at",
        "issued_by",
        "expires_at",
        "used_at",
        "used_ip",
        "revoked_at",
    )
    list_filter = ("channel", ("used_at", admin.EmptyFieldListFilter))
    search_fields = ("user__username",)
    list_select_related = ("user", "issued_by")
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
