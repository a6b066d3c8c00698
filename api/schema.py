"""The OpenAPI document: built once per process and language, and adjusted."""

import threading

from django.conf import settings
from django.utils import translation
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
from rest_framework.response import Response

PROBLEM_CONTENT = "application/problem+json"


def problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every refusal is problem+json (RFC 9457),
    whatever status it carries, so each operation documents its 4xx answers with that
    media type and a `default` for the rest (405, 406, 413, 415 can answer any call)."""
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, response in list(responses.items()):
                if str(code).startswith("4"):
                    response["content"] = {PROBLEM_CONTENT: {"schema": problem_ref}}
            responses.setdefault(
                "default",
                {
                    "description": "Problem details (RFC 9457)",
                    "content": {PROBLEM_CONTENT: {"schema": problem_ref}},
                },
            )
    return result


class SchemaView(SpectacularAPIView):
    """GET /api/v1/schema/, built once per process and language and then served from
    memory.

    drf-spectacular's generation is not safe to run twice at once: it loads its
    extensions into class attributes on first use, and concurrent first requests (a
    server start, a worker recycled by max_requests) failed with 500s while another
    thread was half-way through. One lock makes the first request build it while the
    others wait, then all read the same document; the document only changes with the
    code, that is with a new process. The language comes from `?lang=` (drf-spectacular's
    parameter) when it is one of the site's, else the request's, so the cache holds one
    document per language at most."""

    _lock = threading.Lock()
    _built: dict[str, dict] = {}

    @extend_schema(**SCHEMA_KWARGS)  # as the parent's: left out of the document itself
    def get(self, request, *args, **kwargs):
        language = request.GET.get("lang")
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language()
        with translation.override(language):
            document = self._document(request, language)
        renderer, _media_type = self.perform_content_negotiation(request, force=True)
        filename = f"{spectacular_settings.TITLE or 'schema'}.{renderer.format}"
        return Response(
            data=document, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )

    def _document(self, request, language: str) -> dict:
        with self._lock:
            if language not in self._built:
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=self.api_version, patterns=self.patterns
                )
                self._built[language] = generator.get_schema(
                    request=request, public=self.serve_public
                )
            return self._built[language]


def _register_extensions() -> None:
    from drf_spectacular.extensions import OpenApiAuthenticationExtension

    class BearerTokenScheme(OpenApiAuthenticationExtension):
        target_class = "api.authentication.BearerTokenAuthentication"
        name = "bearer"

        def get_security_definition(self, auto_schema):
            return {
                "type": "http",
                "scheme": "bearer",
                "description": "Token API: esk_<awalan>_<rahasia>, dibuat di /akun/token-api/.",
            }


_register_extensions()
