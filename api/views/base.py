"""What every API view shares: the claim door, ETags and the detail payload."""

import hashlib

from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.response import Response
from rest_framework.views import APIView

from api.problems import PreconditionFailed, PreconditionRequired
from api.serializers import ClaimDetailSerializer, ProblemSerializer
from santunan.access import client_ip, record_access
from santunan.models import EDITABLE_STATUSES, OPEN_STATUSES, Claim, DocumentKind
from santunan.selectors import claim_for_user, claim_timeline, current_documents
from santunan.services import (
    claim_warnings,
    document_problems,
    document_reasons,
    lock_claim,
    required_documents,
    submission_problems,
)
from villages.roles import DINSOS_ROLES, has_role

TRANSITIONS = (
    "submit",
    "cancel",
    "verify",
    "return_to_village",
    "reject",
    "approve",
    "send_back",
)
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="Kunci unik per permintaan (mis. UUID); permintaan ulang dengan kunci sama "
    "mendapat jawaban yang sama tanpa efek kedua.",
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="ETag klaim dari jawaban GET/PATCH terakhir.",
)
PROBLEM = OpenApiResponse(ProblemSerializer, description="Problem details (RFC 9457)")


# Defaults come from REST_FRAMEWORK in config/settings.py. Said in a comment: the
# documentation page would show a docstring here as the description of every operation
# whose view has none of its own.
class ApiView(APIView):
    pass


class ClaimApiView(ApiView):
    """A view about one claim: after the role check and before the body is read, the
    claim goes through claim_for_user, so a claim one may not see is 404 whatever was
    sent (as in the web pages, where the role comes first and then the door)."""

    claim: Claim

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.claim = claim_for_user(request.user, kwargs["pk"])


def ip_of(request) -> str | None:
    return client_ip(request._request if hasattr(request, "_request") else request)


def etag_of(claim: Claim) -> str:
    """Changes whenever the draft is saved (updated_at) or its status moves."""
    raw = f"{claim.pk}:{claim.updated_at.isoformat()}:{claim.status}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def lock_matching(request, claim: Claim) -> Claim:
    """The claim locked for the rest of the transaction, if the caller's If-Match names
    its current version: compared under the lock, so two devices sending the same old
    ETag cannot both pass."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired(
            _(
                "Kirim header If-Match berisi ETag klaim (dari jawaban GET terakhir) "
                "agar perubahan dari perangkat lain tidak tertimpa."
            )
        )
    locked = lock_claim(claim.pk)
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" not in wanted and etag_of(locked) not in wanted:
        raise PreconditionFailed(
            _(
                "Klaim sudah diubah sejak Anda memuatnya. Muat ulang klaim, periksa "
                "perubahannya, lalu kirim lagi dengan ETag yang baru."
            )
        )
    return locked


def detail_payload(request, claim: Claim) -> dict:
    user = request.user
    present = current_documents(claim)
    reasons = document_reasons(claim)
    labels = dict(DocumentKind.choices)
    claim.current_documents = list(present.values())
    claim.required_documents = [
        {
            "kind": kind,
            "label": str(labels.get(kind, kind)),
            "present": kind in present,
            "reasons": reasons.get(kind, []),
        }
        for kind in required_documents(claim)
    ]
    # What the web shows: the review's full list while the village edits, the missing
    # documents once the claim is with Dinas Sosial.
    if claim.status in EDITABLE_STATUSES:
        claim.problems = submission_problems(claim)
    elif claim.status in OPEN_STATUSES:
        claim.problems = document_problems(claim)
    else:
        claim.problems = []
    claim.warnings = claim_warnings(claim)
    claim.timeline = list(claim_timeline(claim))
    claim.findings = []
    if has_role(user, *DINSOS_ROLES):
        # Registry findings quote registry data: for Dinas Sosial only, as on the web.
        from dinsos_sync.selectors import claim_findings

        claim.findings = [
            {"code": f.code, "severity": f.severity, "message": f.message}
            for f in claim_findings(claim).findings
        ]
    claim.allowed_actions = [
        name
        for name in TRANSITIONS
        if can_proceed(getattr(claim, name)) and has_transition_perm(getattr(claim, name), user)
    ]
    return ClaimDetailSerializer(claim).data


def claim_response(request, claim: Claim, *, status: int = 200, headers=None) -> Response:
    """The claim as its reader may see it, with its ETag; the view is logged like the
    web's claim page (UU 27/2022 accountability)."""
    claim = claim_for_user(request.user, claim.pk)
    record_access(request, claim, "lihat_klaim")
    response = Response(detail_payload(request, claim), status=status, headers=headers)
    response["ETag"] = etag_of(claim)
    return response
