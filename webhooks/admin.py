import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from santunan.models import Status
from webhooks import services
from webhooks.models import Delivery, DeliveryStatus, Endpoint

URL_FIELD = Endpoint._meta.get_field("url")


class EndpointForm(forms.ModelForm):
    # An address typed without a scheme is taken as https.
    url = forms.URLField(
        label=capfirst(URL_FIELD.verbose_name),
        help_text=URL_FIELD.help_text,
        max_length=URL_FIELD.max_length,
        assume_scheme="https",
        widget=AdminURLFieldWidget(),
    )

    class Meta:
        model = Endpoint
        fields = ("url", "description", "active")


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    """Register an address; its secret is generated on saving and shown on its page,
    to be passed to whoever runs the receiver."""

    form = EndpointForm
    list_display = ("url", "description", "active", "pending", "created_at")
    list_filter = ("active",)
    readonly_fields = ("secret_shown", "created_by", "created_at")
    actions = ["rotate_secret"]

    def get_fields(self, request, obj=None):
        fields = ["url", "description", "active"]
        return fields + list(self.readonly_fields) if obj else fields

    @admin.display(description=_("kunci rahasia"))
    def secret_shown(self, obj):
        return format_html(
            "<code>{}</code><br><small>{}</small>",
            obj.secret,
            _(
                "Berikan kunci ini kepada pengelola sistem penerima; dengan kunci ini "
                "penerima memeriksa tanda tangan setiap kiriman."
            ),
        )

    @admin.display(description=_("menunggu"))
    def pending(self, obj):
        return obj.deliveries.filter(status=DeliveryStatus.PENDING).count()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        resumed = change and "active" in form.changed_data and obj.active
        super().save_model(request, obj, form, change)
        if resumed:
            services.resume_endpoint(endpoint_id=obj.pk)

    def response_add(self, request, obj, post_url_continue=None):
        # Straight to the new address's page, where its secret is shown.
        self.message_user(
            request,
            gettext("Alamat webhook didaftarkan. Salin kunci rahasianya di bawah ini."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:webhooks_endpoint_change", args=[obj.pk]))

    @admin.action(description=_("Buat kunci rahasia baru"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            services.rotate_secret(endpoint_id=endpoint.pk)
        self.message_user(
            request,
            gettext(
                "Kunci rahasia baru dibuat untuk %(count)d alamat; berikan kepada pengelola "
                "penerima sebelum kiriman berikutnya."
            )
            % {"count": queryset.count()},
            messages.WARNING,
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log, read-only: a delivery changes only through the worker, and
    the "retry now" action."""

    list_display = (
        "created_at",
        "endpoint",
        "claim_number",
        "sequence",
        "change",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    )
    list_filter = ("status", "endpoint", "event_type")
    search_fields = ("claim__number", "public_id")
    list_select_related = ("endpoint",)
    actions = ["retry_now"]
    fields = (
        "public_id",
        "endpoint",
        "claim_number",
        "sequence",
        "event_type",
        "status",
        "attempts",
        "next_attempt_at",
        "sending_since",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
        "body",
    )
    readonly_fields = fields

    @admin.display(description=_("nomor klaim"))
    def claim_number(self, obj):
        return obj.payload.get("claim_number") or f"#{obj.claim_id}"

    @admin.display(description=_("perubahan status"))
    def change(self, obj):
        labels = dict(Status.choices)
        old, new = obj.payload.get("old_status"), obj.payload.get("new_status")
        return f"{labels.get(old, old)} → {labels.get(new, new)}"

    @admin.display(description=_("isi yang dikirim"))
    def body(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, sort_keys=True))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("webhooks.change_delivery")

    @admin.action(description=_("Kirim ulang sekarang"), permissions=["retry"])
    def retry_now(self, request, queryset):
        count = services.retry_now(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            gettext(
                "%(count)d pengiriman dijadwalkan sekarang (yang sudah terkirim tidak "
                "dikirim ulang)."
            )
            % {"count": count},
            messages.SUCCESS,
        )
