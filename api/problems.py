"""Every refusal as application/problem+json (RFC 9457): type, title, status, detail in
the caller's language, and for validation an `errors` member with each field's
problems. Types are relative URIs under /api/v1/problems/, described in docs/ti/api.md."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from api.services import TokenError
from santunan.services import ClaimError

PROBLEM_TYPE = "/api/v1/problems/"
CONTENT_TYPE = "application/problem+json"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale-etag"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "if-match-required"


class IdempotencyProblem(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency-key-reused"


class MissingIdempotencyKey(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "idempotency-key-required"


def problem(
    *, status_code: int, kind: str, title: str, detail: str, headers=None, **extra
) -> Response:
    body = {
        "type": PROBLEM_TYPE + kind,
        "title": title,
        "status": status_code,
        "detail": detail,
        **extra,
    }
    response = Response(body, status=status_code, content_type=CONTENT_TYPE, headers=headers)
    return response


def _field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail flattened to {"field": [messages]}; errors not about
    one field go under "non_field_errors"."""
    found: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for inner, messages in _field_errors(value, name).items():
                found.setdefault(inner, []).extend(messages)
    elif isinstance(detail, list):
        for item in detail:
            if isinstance(item, dict | list):
                for inner, messages in _field_errors(item, prefix).items():
                    found.setdefault(inner, []).extend(messages)
            else:
                found.setdefault(prefix or "non_field_errors", []).append(str(item))
    else:
        found.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return found


TITLES = {
    400: gettext_lazy("Permintaan tidak valid"),
    401: gettext_lazy("Perlu autentikasi"),
    403: gettext_lazy("Tidak diizinkan"),
    404: gettext_lazy("Tidak ditemukan"),
    405: gettext_lazy("Metode tidak diizinkan"),
    406: gettext_lazy("Format jawaban tidak tersedia"),
    409: gettext_lazy("Konflik"),
    412: gettext_lazy("Data sudah berubah"),
    413: gettext_lazy("Berkas terlalu besar"),
    415: gettext_lazy("Jenis isi tidak didukung"),
    422: gettext_lazy("Tidak dapat diproses"),
    428: gettext_lazy("Perlu If-Match"),
    429: gettext_lazy("Terlalu banyak permintaan"),
}


def handle_exception(exc, context) -> Response | None:
    """DRF's EXCEPTION_HANDLER."""
    if isinstance(exc, ClaimError):
        return problem(
            status_code=422,
            kind="claim-refused",
            title=_("Tindakan ditolak"),
            detail=exc.message,
            problems=[str(p) for p in exc.problems],
        )
    if isinstance(exc, TokenError):
        return problem(
            status_code=422, kind="token-refused", title=_("Tindakan ditolak"), detail=exc.message
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Tidak ditemukan."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    code = exc.status_code
    title = str(TITLES.get(code, _("Kesalahan")))
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        return problem(
            status_code=code,
            kind="validation",
            title=_("Data tidak valid"),
            detail=_("Periksa isian yang disebut di `errors`."),
            errors=errors,
            headers=headers,
        )
    kind = {
        400: "bad-request",
        401: "not-authenticated",
        403: "forbidden",
        404: "not-found",
        405: "method-not-allowed",
        406: "not-acceptable",
        415: "unsupported-media-type",
        429: "throttled",
    }.get(code, getattr(exc, "default_code", "error"))
    if isinstance(exc, PreconditionFailed | PreconditionRequired | IdempotencyProblem):
        kind = exc.default_code
    if isinstance(exc, MissingIdempotencyKey):
        kind = exc.default_code
    detail = exc.detail
    if isinstance(detail, list | dict):
        detail = " ".join(sum(_field_errors(detail).values(), []))
    return problem(status_code=code, kind=kind, title=title, detail=str(detail), headers=headers)
