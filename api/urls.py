"""The API under /api/v1/. Every view is marked login_not_required: the API
authenticates its own callers (bearer tokens), and LoginRequiredMiddleware would send
them to the login page instead of answering 401."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularSwaggerSplitView

from api.schema import SchemaView
from api.views import areas, claims, finance

app_name = "api"


def view(cls, **initkwargs):
    return login_not_required(cls.as_view(**initkwargs))


@csrf_exempt  # answers 404 to every method; it changes nothing
@login_not_required
def not_found(request, rest: str = ""):
    """Any other address under /api/v1/ (a negative id, a typo): a problem, not a page."""
    body = {
        "type": "/api/v1/problems/not-found",
        "title": _("Tidak ditemukan"),
        "status": 404,
        "detail": _("Alamat API ini tidak ada."),
    }
    return JsonResponse(body, status=404, content_type="application/problem+json")


@csrf_exempt  # changes nothing, whatever the method
@login_not_required
def root(request):
    """The API's own address names where it is described, for a person or a program
    that starts there: the documentation page and the OpenAPI document (also as Link
    headers, RFC 8631). It needs no token and says nothing about any claim."""
    if request.method not in ("GET", "HEAD"):
        body = {
            "type": "/api/v1/problems/method-not-allowed",
            "title": _("Metode tidak diizinkan"),
            "status": 405,
            "detail": _("Alamat ini hanya dapat dibaca (GET)."),
        }
        response = JsonResponse(body, status=405, content_type="application/problem+json")
        response["Allow"] = "GET, HEAD"
        return response
    docs = request.build_absolute_uri(reverse("api:docs"))
    schema = request.build_absolute_uri(reverse("api:schema"))
    body = {
        "title": "e-Santunan API",
        "version": "1",
        "detail": _(
            "Semua alamat API memerlukan token (Authorization: Bearer …); "
            "dokumentasinya ada di alamat berikut."
        ),
        "documentation": docs,
        "schema": schema,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Link"] = f'<{docs}>; rel="service-doc", <{schema}>; rel="service-desc"'
    return response


urlpatterns = [
    path("", root, name="root"),
    path("claims/", view(claims.ClaimsView), name="claims"),
    path("claims/queue/", view(claims.VerificationQueueView), name="verification_queue"),
    path("claims/approval-queue/", view(claims.ApprovalQueueView), name="approval_queue"),
    path("claims/<int:pk>/", view(claims.ClaimDetailView), name="claim"),
    path("claims/<int:pk>/documents/", view(claims.DocumentsView), name="claim_documents"),
    path(
        "claims/<int:pk>/documents/<int:document_pk>/",
        view(claims.DocumentFileView),
        name="claim_document",
    ),
    path("claims/<int:pk>/submit/", view(claims.SubmitView), name="claim_submit"),
    path("claims/<int:pk>/cancel/", view(claims.CancelView), name="claim_cancel"),
    path("claims/<int:pk>/verify/", view(claims.VerifyView), name="claim_verify"),
    path("claims/<int:pk>/return/", view(claims.ReturnView), name="claim_return"),
    path("claims/<int:pk>/reject/", view(claims.RejectView), name="claim_reject"),
    path("claims/<int:pk>/approve/", view(claims.ApproveView), name="claim_approve"),
    path("claims/<int:pk>/send-back/", view(claims.SendBackView), name="claim_send_back"),
    path("finance/batches/", view(finance.BatchesView), name="batches"),
    path("finance/batches/<int:pk>/", view(finance.BatchDetailView), name="batch"),
    path(
        "finance/batches/<int:pk>/letters/<str:kind>/",
        view(finance.LetterView),
        name="batch_letter",
    ),
    path("finance/payments/", view(finance.PaymentsView), name="payments"),
    path("areas/kecamatan/", view(areas.KecamatanView), name="kecamatan"),
    path("areas/desa/", view(areas.DesaView), name="desa"),
    path("policy/", view(areas.PolicyView), name="policy"),
    path("letters/<str:token>/", view(areas.LetterCheckView), name="letter_check"),
    path("reports/summary/", view(areas.SummaryView), name="summary"),
    path(
        "schema/",
        view(SchemaView, authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        view(
            SpectacularSwaggerSplitView,
            url_name="api:schema",
            authentication_classes=[],
            permission_classes=[],
        ),
        name="docs",
    ),
    # Last: whatever no pattern above matched.
    re_path(r"^(?P<rest>.*)$", not_found),
]
