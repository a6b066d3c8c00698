"""The API under /api/v1/. Every view is marked login_not_required: the API
authenticates its own callers (bearer tokens), and LoginRequiredMiddleware would send
them to the login page instead of answering 401."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

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


urlpatterns = [
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
        view(SpectacularAPIView, authentication_classes=[], permission_classes=[]),
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
