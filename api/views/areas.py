"""Areas, the policy in force, the public letter check and figures for reporting."""

from django.db.models import Count, Sum
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.models import Scope
from api.pagination import ByCode
from api.serializers import DesaSerializer, KecamatanSerializer, page_of
from api.views.base import PROBLEM, ApiView
from santunan.finance.verification import verify_token
from santunan.models import BenefitPolicy, Claim, Status
from santunan.services import policy_on
from villages.models import Desa, Kecamatan
from villages.roles import DINSOS_ROLES, has_role

ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM, 429: PROBLEM}
PAGING = [OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)]
KECAMATAN_PAGE = page_of(KecamatanSerializer)
DESA_PAGE = page_of(DesaSerializer)


class KecamatanView(ApiView):
    @extend_schema(
        operation_id="areas_kecamatan_list",
        parameters=PAGING,
        responses={200: KECAMATAN_PAGE, **ERRORS},
    )
    def get(self, request):
        paginator = ByCode()
        page = paginator.paginate_queryset(Kecamatan.objects.all(), request, view=self)
        return paginator.get_paginated_response(KecamatanSerializer(page, many=True).data)


class DesaFilter(serializers.Serializer):
    kecamatan = serializers.CharField(max_length=20, required=False)


class DesaView(ApiView):
    @extend_schema(
        operation_id="areas_desa_list",
        parameters=[DesaFilter, *PAGING],
        responses={200: DESA_PAGE, **ERRORS},
    )
    def get(self, request):
        filters = DesaFilter(
            data={k: v for k, v in request.query_params.items() if k == "kecamatan"}
        )
        filters.is_valid(raise_exception=True)
        desa = Desa.objects.select_related("kecamatan")
        if kecamatan := filters.validated_data.get("kecamatan"):
            desa = desa.filter(kecamatan_id=kecamatan)
        paginator = ByCode()
        page = paginator.paginate_queryset(desa, request, view=self)
        return paginator.get_paginated_response(DesaSerializer(page, many=True).data)


class PolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = BenefitPolicy
        fields = [
            "name",
            "effective_from",
            "amount",
            "deadline_days",
            "deadline_in_working_days",
            "service_days",
            "poor_decile_max",
        ]


class PolicyView(ApiView):
    """The regulation in force today (amount in rupiah, deadlines in days)."""

    @extend_schema(operation_id="policy_current", responses={200: PolicySerializer, **ERRORS})
    def get(self, request):
        return Response(PolicySerializer(policy_on(timezone.localdate())).data)


class LetterCheckSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    reason = serializers.CharField()
    kind = serializers.CharField()
    number = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    amount = serializers.IntegerField()
    status = serializers.CharField()
    heir = serializers.CharField()
    count = serializers.IntegerField()


class LetterCheckView(ApiView):
    """The QR code's check, as the public page /cek-surat/ answers it: no login."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="letters_check",
        auth=[],
        responses={200: LetterCheckSerializer, 404: PROBLEM, 429: PROBLEM},
    )
    def get(self, request, token: str):
        return Response(LetterCheckSerializer(verify_token(token)).data)


class SummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_kecamatan = serializers.DictField(child=serializers.IntegerField())
    paid_amount = serializers.IntegerField()


class SummaryFilter(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class SummaryView(ApiView):
    """Counts for the regency's dashboards: claims that reached Dinas Sosial in a year,
    by status and by kecamatan, and the amount paid. Figures only, no personal data, so
    a reporting client (no role) may read them as well as Dinas Sosial."""

    @extend_schema(
        operation_id="reports_summary",
        parameters=[SummaryFilter],
        responses={200: SummarySerializer, **ERRORS},
    )
    def get(self, request):
        if not (request.auth.scope == Scope.REPORT or has_role(request.user, *DINSOS_ROLES)):
            raise PermissionDenied()
        filters = SummaryFilter(data={k: v for k, v in request.query_params.items() if k == "year"})
        filters.is_valid(raise_exception=True)
        year = filters.validated_data.get("year", timezone.localdate().year)
        claims = Claim.objects.filter(number__isnull=False, first_submitted_at__year=year).exclude(
            status=Status.DRAFT
        )
        by_status = dict(
            claims.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        by_kecamatan = dict(
            claims.order_by()
            .values_list("desa__kecamatan_id")
            .annotate(n=Count("pk"))
            .values_list("desa__kecamatan_id", "n")
        )
        paid = claims.filter(status=Status.PAID).aggregate(total=Sum("amount"))["total"] or 0
        return Response(
            SummarySerializer(
                {
                    "year": year,
                    "by_status": by_status,
                    "by_kecamatan": by_kecamatan,
                    "paid_amount": paid,
                }
            ).data
        )
