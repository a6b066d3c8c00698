from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from notifications import texts
from notifications.models import Audience, KindSetting, Message, RecipientChannel
from santunan.phones import phone_problem, to_e164

STAFF_AUDIENCE = {
    "deadline": Audience.VILLAGE,
    "digest": Audience.VERIFIER,
    "activation": Audience.OFFICIAL,
}


class KindSettingForm(forms.ModelForm):
    class Meta:
        model = KindSetting
        fields = ("kind", "enabled", "heir_text", "staff_text")

    def clean(self):
        data = super().clean()
        for name in ("heir_text", "staff_text"):
            value = data.get(name) or ""
            if value.strip() and (problem := texts.template_problem(value)):
                self.add_error(name, problem)
        return data


@admin.register(KindSetting)
class KindSettingAdmin(admin.ModelAdmin):
    """Switch a kind of message off (nothing of that kind is queued or sent while it
    is off) or change its wording; the preview shows the text with sample values and
    how many SMS it takes."""

    form = KindSettingForm
    list_display = ("kind", "enabled")
    list_editable = ("enabled",)
    readonly_fields = ("preview", "placeholders")

    @admin.display(description=_("pratinjau"))
    def preview(self, obj):
        if not obj or not obj.kind:
            return "—"
        from notifications.services import text_for

        rows = []
        for audience in (Audience.HEIR, STAFF_AUDIENCE.get(obj.kind, Audience.VILLAGE)):
            template = text_for(obj, audience)
            if not template:
                continue
            text = texts.render(template, texts.SAMPLE)
            length, parts, gsm = texts.sms_length(text)
            rows.append(
                (
                    Audience(audience).label,
                    text,
                    _("%(length)d karakter, %(parts)d SMS%(gsm)s")
                    % {"length": length, "parts": parts, "gsm": "" if gsm else " (Unicode)"},
                )
            )
        return format_html_join("", "<p><b>{}</b>: {}<br><small>{}</small></p>", rows)

    @admin.display(description=_("tempat isian"))
    def placeholders(self, obj):
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{{{}}}: {}</li>", texts.PLACEHOLDERS.items()),
        )


class RecipientChannelForm(forms.ModelForm):
    class Meta:
        model = RecipientChannel
        fields = ("phone", "channel")

    def clean_phone(self) -> str:
        value = to_e164(self.cleaned_data.get("phone") or "")
        if value is None:
            raise forms.ValidationError(phone_problem())
        return value


@admin.register(RecipientChannel)
class RecipientChannelAdmin(admin.ModelAdmin):
    form = RecipientChannelForm
    list_display = ("__str__", "channel")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The outbox, read-only: messages change only through the worker and the
    gateway's reports."""

    list_display = ("created_at", "kind", "audience", "claim", "channel", "state", "attempts")
    list_filter = ("state", "kind", "audience", "channel")
    search_fields = ("claim__number",)
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
