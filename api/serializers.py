"""What the API reads and writes. Input serializers only check types and shapes; every
rule about a claim stays in santunan.services (the same functions the web forms call),
so the API cannot accept what the web refuses."""

import copy

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from santunan.identity import mask_number
from santunan.models import Claim, ClaimDocument, ClaimEvent, DocumentKind
from santunan.services import EDITABLE_FIELDS
from villages.models import Desa, Kecamatan


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know: a misspelt field must not be silently dropped."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Kirim sebuah objek JSON.")]})
        errors = {name: [_("Isian ini tidak dikenal.")] for name in set(data) - set(self.fields)}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            # Every field's problem in one answer, the unknown ones with the rest.
            raise serializers.ValidationError({**error.detail, **errors}) from None
        if errors:
            raise serializers.ValidationError(errors)
        return value


# For answers only: a ModelSerializer works out its fields from the model on every
# instance (labels, choices, validators), some milliseconds a request. Worked out once
# per class, each instance gets its own copy, as DRF copies declared fields; the labels
# stay lazy, so the language is still the request's. (A comment, not a docstring: the
# OpenAPI document would take it as each serializer's description.)
class BuiltOnce:

    def get_fields(self):
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)


class ClaimWriteSerializer(StrictSerializer, serializers.ModelSerializer):
    """The fields the village fills; every one optional in a draft (the review lists
    what is still missing)."""

    class Meta:
        model = Claim
        fields = EDITABLE_FIELDS

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
            field.validators = []  # the services own the rules
            if isinstance(field, serializers.CharField | serializers.ChoiceField):
                field.allow_blank = True
            if isinstance(field, serializers.DateField):
                field.allow_null = True
        # Typed numbers may carry separators the services remove (as in the web form).
        for name in ("deceased_nik", "heir_nik", "deceased_kk", "bank_account"):
            fields[name].max_length = 40
        if self.context.get("creating"):
            # As the web form's first step: a draft starts with the deceased's name.
            from santunan.forms import DeceasedForm
            from santunan.rules import policy_in_force

            form = DeceasedForm(policy=policy_in_force(timezone.localdate()))
            message = form.fields["deceased_name"].error_messages["required"]
            name = fields["deceased_name"]
            name.required, name.allow_blank = True, False
            name.error_messages["required"] = name.error_messages["blank"] = message
        return fields


class DesaSerializer(BuiltOnce, serializers.ModelSerializer):
    kecamatan = serializers.CharField(source="kecamatan.name", read_only=True)

    class Meta:
        model = Desa
        fields = ["code", "name", "kind", "kecamatan"]


class KecamatanSerializer(BuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Kecamatan
        fields = ["code", "name"]


class ClaimListSerializer(BuiltOnce, serializers.ModelSerializer):
    """A row of a list: the NIK masked as the web lists show it, no heir data."""

    deceased_nik = serializers.SerializerMethodField()
    desa = serializers.CharField(source="desa.code", read_only=True)
    desa_name = serializers.CharField(source="desa.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "desa",
            "desa_name",
            "deceased_name",
            "deceased_nik",
            "death_date",
            "created_at",
            "submitted_at",
            "due_date",
            "documents_completed_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_deceased_nik(self, claim: Claim) -> str:
        return mask_number(claim.deceased_nik)


# The rows of the lists, read with .values(): a list of 50 claims built as dicts costs a
# fraction of 50 model instances through ClaimListSerializer, which stays as the schema.
LIST_COLUMNS = (
    "id",
    "number",
    "status",
    "desa_id",
    "desa__name",
    "deceased_name",
    "deceased_nik",
    "death_date",
    "created_at",
    "submitted_at",
    "due_date",
    "verified_at",
    "documents_completed_at",
)
_MOMENT, _DAY = serializers.DateTimeField(), serializers.DateField()


def list_rows(rows) -> list[dict]:
    labels = {value: str(label) for value, label in Claim._meta.get_field("status").choices}

    def moment(value):
        return _MOMENT.to_representation(value) if value else None

    def day(value):
        return value.isoformat() if value else None

    return [
        {
            "id": row["id"],
            "number": row["number"],
            "status": row["status"],
            "status_label": labels.get(row["status"], row["status"]),
            "desa": row["desa_id"],
            "desa_name": row["desa__name"],
            "deceased_name": row["deceased_name"],
            "deceased_nik": mask_number(row["deceased_nik"]),
            "death_date": day(row["death_date"]),
            "created_at": moment(row["created_at"]),
            "submitted_at": moment(row["submitted_at"]),
            "due_date": day(row["due_date"]),
            # The queue's mark: documents the village added since the claim's last step.
            "documents_completed_at": moment(row["documents_completed_at"]),
        }
        for row in rows
    ]


class DocumentSerializer(BuiltOnce, serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ClaimDocument
        fields = ["id", "kind", "kind_label", "content_type", "size", "sha256", "uploaded_at"]


class EventSerializer(BuiltOnce, serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ClaimEvent
        fields = ["at", "action", "from_status", "to_status", "reason", "actor"]

    @extend_schema_field(serializers.CharField())
    def get_actor(self, event: ClaimEvent) -> str:
        actor = event.actor
        return (actor.get_full_name() or actor.username) if actor else ""


class RequiredDocumentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    label = serializers.CharField()
    present = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()


class ClaimDetailSerializer(BuiltOnce, serializers.ModelSerializer):
    """The whole claim, for those claim_for_user lets see it."""

    desa = serializers.CharField(source="desa.code", read_only=True)
    desa_name = serializers.CharField(source="desa.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    documents = DocumentSerializer(many=True, read_only=True, source="current_documents")
    required_documents = RequiredDocumentSerializer(many=True, read_only=True)
    problems = serializers.ListField(child=serializers.CharField(), read_only=True)
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)
    timeline = EventSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    allowed_actions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "desa",
            "desa_name",
            "amount",
            *EDITABLE_FIELDS,
            "last_reason",
            "created_at",
            "updated_at",
            "first_submitted_at",
            "submitted_at",
            "due_date",
            "verified_at",
            "approved_at",
            "paid_at",
            "documents_completed_at",
            "documents",
            "required_documents",
            "problems",
            "warnings",
            "timeline",
            "findings",
            "allowed_actions",
        ]


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)


class VerifySerializer(StrictSerializer):
    override_reason = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=2000
    )


class DocumentUploadSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as every refusal is answered."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    problems = serializers.ListField(child=serializers.CharField(), required=False)


def page_of(serializer_class) -> type[serializers.Serializer]:
    """The schema of a cursor page of `serializer_class` rows."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return type(
        f"{name}PageSerializer",
        (serializers.Serializer,),
        {
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )
