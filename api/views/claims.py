"""Claims through the API: the same selectors and services as the web pages, the same
roles per action (santunan/views.py's role_required), the same door (claim_for_user:
404 for a claim one may not see)."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api.idempotency import idempotent
from api.pagination import DueFirst, LongestWaitingFirst, NewestFirst
from api.permissions import role
from api.serializers import (
    LIST_COLUMNS,
    ClaimDetailSerializer,
    ClaimListSerializer,
    ClaimWriteSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    ReasonSerializer,
    VerifySerializer,
    list_rows,
    page_of,
)
from api.views.base import (
    IDEMPOTENCY_PARAMETER,
    IF_MATCH_PARAMETER,
    PROBLEM,
    ApiView,
    ClaimApiView,
    claim_response,
    ip_of,
    lock_matching,
)
from santunan.access import record_access
from santunan.models import LATE_DOCUMENT_STATUSES, Status
from santunan.selectors import (
    approval_queue,
    verification_queue,
    village_claims,
)
from santunan.services import (
    approve_claim,
    attach_document,
    cancel_claim,
    complete_documents,
    create_claim,
    reject_claim,
    return_claim,
    send_back_claim,
    submit_claim,
    update_claim,
    verify_claim,
)
from santunan.uploads import document_response
from villages.roles import Role

ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM, 429: PROBLEM}
CLAIM_PAGE = page_of(ClaimListSerializer)


def _validated(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ListFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)


def _filters(serializer_class, request) -> dict:
    params = {k: v for k, v in request.query_params.items() if k in serializer_class().fields}
    serializer = serializer_class(data=params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _claim_page(view, request, queryset, paginator_class):
    """A cursor page of list rows (masked, no heir data) read as plain values."""
    paginator = paginator_class()
    page = paginator.paginate_queryset(queryset.values(*LIST_COLUMNS), request, view=view)
    return paginator.get_paginated_response(list_rows(page))


class ClaimsView(ApiView):
    """The claims the caller may see (a village sees its desa's; Dinas Sosial every
    claim that left its village), newest first; and creating a draft."""

    def get_permissions(self):
        extra = [role(Role.OPERATOR_DESA)()] if self.request.method == "POST" else []
        return super().get_permissions() + extra

    @extend_schema(
        operation_id="claims_list",
        parameters=[
            ListFilter,
            OpenApiParameter("cursor", str),
            OpenApiParameter("page_size", int),
        ],
        responses={200: CLAIM_PAGE, **ERRORS},
    )
    def get(self, request):
        filters = _filters(ListFilter, request)
        claims = village_claims(request.user)
        if filters.get("status"):
            claims = claims.filter(status=filters["status"])
        return _claim_page(self, request, claims, NewestFirst)

    @extend_schema(
        operation_id="claims_create",
        request=ClaimWriteSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ClaimDetailSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request):
        data = _validated(ClaimWriteSerializer, request, context={"creating": True})
        claim = create_claim(user=request.user, data=data, ip=ip_of(request))
        return claim_response(
            request, claim, status=201, headers={"Location": f"/api/v1/claims/{claim.pk}/"}
        )


class ClaimDetailView(ClaimApiView):
    @extend_schema(operation_id="claims_retrieve", responses={200: ClaimDetailSerializer, **ERRORS})
    def get(self, request, pk: int):
        return claim_response(request, self.claim)

    def get_permissions(self):
        extra = [role(Role.OPERATOR_DESA)()] if self.request.method == "PATCH" else []
        return super().get_permissions() + extra

    @extend_schema(
        operation_id="claims_update",
        request=ClaimWriteSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={200: ClaimDetailSerializer, 412: PROBLEM, 428: PROBLEM, **ERRORS},
    )
    def patch(self, request, pk: int):
        claim = self.claim
        data = _validated(ClaimWriteSerializer, request)
        with transaction.atomic():
            lock_matching(request, claim)
            claim = update_claim(user=request.user, claim_id=claim.pk, data=data, ip=ip_of(request))
        return claim_response(request, claim)


class DocumentsView(ClaimApiView):
    parser_classes = [MultiPartParser, FormParser]

    def get_permissions(self):
        return super().get_permissions() + [role(Role.OPERATOR_DESA)()]

    @extend_schema(
        operation_id="claims_documents_create",
        description=(
            "Unggah satu dokumen. Draf atau klaim yang dikembalikan: setiap jenis yang "
            "ditawarkan kebijakan (dokumen sejenis yang lama diganti). Klaim yang sedang "
            "diperiksa Dinas Sosial (status submitted atau verified): hanya jenis yang "
            "diwajibkan dan belum ada (lihat required_documents dengan present=false, "
            "biasanya diminta pemeriksaan registri); klaim tetap di antrean, ditandai "
            "dilengkapi desa (documents_completed_at), dan pemeriksaan registri diulang. "
            "Jenis lain ditolak dengan 422."
        ),
        request={"multipart/form-data": DocumentUploadSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: DocumentSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request, pk: int):
        claim = self.claim
        data = _validated(DocumentUploadSerializer, request)
        if claim.status in LATE_DOCUMENT_STATUSES:
            # With Dinas Sosial: the late-documents rule (the service checks it again
            # under the lock, so a claim that moved meanwhile gets that rule's answer).
            [document] = complete_documents(
                user=request.user,
                claim_id=claim.pk,
                uploads={data["kind"]: data["file"]},
                ip=ip_of(request),
            )
        else:
            document = attach_document(
                user=request.user,
                claim_id=claim.pk,
                kind=data["kind"],
                upload=data["file"],
                ip=ip_of(request),
            )
        return Response(DocumentSerializer(document).data, status=201)


class DocumentFileView(ClaimApiView):
    @extend_schema(
        operation_id="claims_documents_download",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
            **ERRORS,
        },
    )
    def get(self, request, pk: int, document_pk: int):
        claim = self.claim
        document = get_object_or_404(claim.documents, pk=document_pk)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        record_access(request, claim, f"lihat_dokumen:{document.kind}")
        extension = document.file.name.rsplit(".", 1)[-1]
        return document_response(
            handle, content_type=document.content_type, filename=f"{document.kind}.{extension}"
        )


def _transition_view(name: str, roles: tuple, body, call, description: str | None = None):
    """One POST per transition: the web page's roles, the service's rules."""

    class TransitionView(ClaimApiView):
        def get_permissions(self):
            return super().get_permissions() + [role(*roles)()]

        @extend_schema(
            operation_id=f"claims_{name.replace('-', '_')}",
            description=description,
            request=body,
            parameters=[IDEMPOTENCY_PARAMETER],
            responses={200: ClaimDetailSerializer, **ERRORS},
        )
        @idempotent
        def post(self, request, pk: int):
            claim = self.claim
            data = _validated(body, request) if body else {}
            call(user=request.user, claim_id=claim.pk, ip=ip_of(request), **data)
            return claim_response(request, claim)

    TransitionView.__name__ = TransitionView.__qualname__ = f"{name.title().replace('-', '')}View"
    return TransitionView


SubmitView = _transition_view("submit", (Role.OPERATOR_DESA,), None, submit_claim)
CancelView = _transition_view("cancel", (Role.OPERATOR_DESA,), ReasonSerializer, cancel_claim)
VerifyView = _transition_view("verify", (Role.VERIFIKATOR,), VerifySerializer, verify_claim)
ReturnView = _transition_view("return", (Role.VERIFIKATOR,), ReasonSerializer, return_claim)
RejectView = _transition_view(
    "reject", (Role.VERIFIKATOR, Role.APPROVER), ReasonSerializer, reject_claim
)
ApproveView = _transition_view("approve", (Role.APPROVER,), None, approve_claim)
SendBackView = _transition_view(
    "send-back",
    (Role.APPROVER,),
    ReasonSerializer,
    send_back_claim,
    description=(
        "Pejabat penyetuju mengembalikan klaim terverifikasi ke antrean verifikator "
        "dengan alasan (wajib, paling sedikit 5 huruf); desa tidak dilibatkan. Tidak "
        "untuk klaim yang diverifikasi oleh pemanggil sendiri."
    ),
)


class QueueFilter(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(s, s.label) for s in (Status.SUBMITTED, Status.VERIFIED)], required=False
    )
    kecamatan = serializers.CharField(max_length=20, required=False)
    desa = serializers.CharField(max_length=20, required=False)
    overdue = serializers.BooleanField(required=False)


class VerificationQueueView(ApiView):
    """The verifier's queue with the web page's filters. No name or NIK search here:
    a query string ends up in access logs, and a NIK must not."""

    def get_permissions(self):
        return super().get_permissions() + [role(Role.VERIFIKATOR)()]

    @extend_schema(
        operation_id="queue_verification",
        parameters=[
            QueueFilter,
            OpenApiParameter("cursor", str),
            OpenApiParameter("page_size", int),
        ],
        responses={200: CLAIM_PAGE, **ERRORS},
    )
    def get(self, request):
        filters = _filters(QueueFilter, request)
        queue = verification_queue(
            kecamatan=filters.get("kecamatan", ""),
            desa=filters.get("desa", ""),
            status=filters.get("status", ""),
            overdue=filters.get("overdue", False),
        ).select_related("desa")
        return _claim_page(self, request, queue, DueFirst)


class ApprovalQueueView(ApiView):
    def get_permissions(self):
        return super().get_permissions() + [role(Role.APPROVER)()]

    @extend_schema(
        operation_id="queue_approval",
        parameters=[OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)],
        responses={200: CLAIM_PAGE, **ERRORS},
    )
    def get(self, request):
        return _claim_page(self, request, approval_queue(), LongestWaitingFirst)
