"""The administrator's account actions on the users list: unlock a locked-out login,
issue a one-time password reset link, and let someone enrol a new authenticator."""

import logging

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import forget_second_factor, reset_link

logger = logging.getLogger("accounts")
User = get_user_model()

admin.site.unregister(User)
# Devices are managed through the actions below, in Bahasa Indonesia; the libraries'
# own device lists (English, and showing secrets' metadata) are not offered.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class AccountAdmin(UserAdmin):
    actions = ["unlock_login", "issue_reset_links", "forget_authenticator"]

    @admin.action(description=gettext_lazy("Buka kunci login"))
    def unlock_login(self, request, queryset):
        count = sum(axes_reset(username=user.username) for user in queryset)
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
