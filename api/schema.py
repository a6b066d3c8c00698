"""Adjustments to the generated OpenAPI document."""

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
