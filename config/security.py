"""Middleware that protects every page: request bodies too large to read, and responses
that carry personal data kept out of caches."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from config.middleware import chosen_language


def body_limit(path: str) -> int:
    """Registry extracts are big files; everything else is a form or a few documents."""
    if path.startswith("/registri/"):
        return settings.MAX_REGISTRY_UPLOAD_BYTES
    return settings.MAX_REQUEST_BYTES


class RequestSizeLimitMiddleware:
    """Refuse a body larger than the limit from its Content-Length, before Django (or
    the CSRF check, which parses the form) reads a byte of it: a 60 MB upload must not
    be received in full only to be refused. 413 with a page in the person's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.path)
        if length > limit:
            with translation.override(chosen_language(request)):
                if request.path.startswith("/api/"):
                    response = _api_too_large(limit)
                else:
                    page = render_to_string("413.html", {"limit_mb": limit // (1024 * 1024)})
                    response = HttpResponse(page, status=413)
            # The unread body stays on the socket: the connection cannot be reused.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def _api_too_large(limit: int) -> HttpResponse:
    """The API's callers read problem+json (RFC 9457), not a page."""
    import json

    body = {
        "type": "/api/v1/problems/too-large",
        "title": _("Berkas terlalu besar"),
        "status": 413,
        "detail": _("Permintaan lebih besar dari %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
    }
    return HttpResponse(json.dumps(body), status=413, content_type="application/problem+json")


class NoStoreMiddleware:
    """Everything a logged-in person is shown may carry personal data (claim pages with
    full NIKs, documents, letters, exports): no browser, proxy or shared office PC keeps
    a copy. Static files are served before this by WhiteNoise and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
