"""Finance reads for the treasurer: batches, their letters and payments. The same
selectors and the same letter rendering (ensure_document) as /keuangan/."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.pagination import NewestFirst
from api.permissions import role
from api.serializers import page_of
from api.views.base import PROBLEM, ApiView
from santunan.access import record_access
from santunan.finance import selectors
from santunan.finance.documents import ensure_document
from santunan.identity import mask_name
from santunan.models import DocumentType, Payment, PayoutBatch, PayoutDocument
from villages.roles import Role

ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 429: PROBLEM}
PAGING = [OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)]


class BatchSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    claim_count = serializers.IntegerField(read_only=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = PayoutBatch
        fields = [
            "id",
            "number",
            "year",
            "letter_date",
            "payout_method",
            "status",
            "status_label",
            "claim_count",
            "total",
            "created_at",
            "signed_at",
            "disbursed_at",
            "closed_at",
        ]

    def get_total(self, batch) -> int:
        return int(batch.total or 0)


class BatchItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    claim_id = serializers.IntegerField()
    claim_number = serializers.CharField(source="claim.number")
    heir_name = serializers.SerializerMethodField()
    amount = serializers.IntegerField()
    outcome = serializers.CharField()

    def get_heir_name(self, item) -> str:
        # Masked as in every list; the letters themselves carry the full name.
        return mask_name(item.claim.heir_name)


class BatchDetailSerializer(BatchSerializer):
    items = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "items", "documents"]

    def get_items(self, batch) -> list[dict]:
        return BatchItemSerializer(selectors.batch_items(batch), many=True).data

    def get_documents(self, batch) -> list[str]:
        """The batch's own letters, each downloadable at letters/<kind>/."""
        return [DocumentType.PAYMENT_ORDER.value, DocumentType.NOMINATIVE_LIST.value]


class PaymentSerializer(serializers.ModelSerializer):
    claim_number = serializers.CharField(source="claim.number", read_only=True)
    batch = serializers.IntegerField(source="item.batch_id", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "claim_id",
            "claim_number",
            "batch",
            "method",
            "result",
            "amount",
            "paid_on",
            "bank_reference",
            "failure_reason",
            "recorded_at",
        ]


BATCH_PAGE = page_of(BatchSerializer)
PAYMENT_PAGE = page_of(PaymentSerializer)


class FinanceView(ApiView):
    def get_permissions(self):
        return super().get_permissions() + [role(Role.BENDAHARA)()]


class BatchesView(FinanceView):
    @extend_schema(
        operation_id="finance_batches_list",
        parameters=PAGING,
        responses={200: BATCH_PAGE, **ERRORS},
    )
    def get(self, request):
        paginator = NewestFirst()
        page = paginator.paginate_queryset(selectors.batches(), request, view=self)
        return paginator.get_paginated_response(BatchSerializer(page, many=True).data)


class BatchDetailView(FinanceView):
    @extend_schema(
        operation_id="finance_batches_retrieve", responses={200: BatchDetailSerializer, **ERRORS}
    )
    def get(self, request, pk: int):
        batch = get_object_or_404(selectors.batches(), pk=pk)
        return Response(BatchDetailSerializer(batch).data)


class LetterView(FinanceView):
    """A batch's letter (payment order, nominative list) or one claim's receipt, rendered
    first if its data changed: the web page's download, behind the same role."""

    @extend_schema(
        operation_id="finance_letters_download",
        parameters=[OpenApiParameter("claim", int, description="Klaim, untuk dokumen per klaim")],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **ERRORS},
    )
    def get(self, request, pk: int, kind: str):
        batch = get_object_or_404(PayoutBatch.objects.select_related("created_by"), pk=pk)
        claim_pk = request.query_params.get("claim")
        if claim_pk is not None and not claim_pk.isdigit():
            raise Http404
        claim_pk = int(claim_pk) if claim_pk else None
        per_batch = kind in (DocumentType.PAYMENT_ORDER, DocumentType.NOMINATIVE_LIST)
        if kind not in DocumentType.values or per_batch != (claim_pk is None):
            raise Http404
        try:
            doc = ensure_document(batch=batch, kind=kind, claim_id=claim_pk)
        except PayoutDocument.DoesNotExist:
            raise Http404 from None
        if doc.claim_id:
            record_access(request, doc.claim, f"unduh {kind}")
        name = f"{kind}-{doc.number}".replace("/", "-") + ".pdf"
        return FileResponse(
            doc.file.open("rb"), content_type="application/pdf", filename=name, as_attachment=True
        )


class PaymentsView(FinanceView):
    @extend_schema(
        operation_id="finance_payments_list",
        parameters=PAGING,
        responses={200: PAYMENT_PAGE, **ERRORS},
    )
    def get(self, request):
        payments = Payment.objects.select_related("claim", "item")
        paginator = NewestFirst()
        page = paginator.paginate_queryset(payments, request, view=self)
        return paginator.get_paginated_response(PaymentSerializer(page, many=True).data)
