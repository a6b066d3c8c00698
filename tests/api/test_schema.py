"""The OpenAPI document generates cleanly and its documentation page is served from
this site's own static files."""

import re

import yaml
from django.core.management import call_command
from django.test import Client


def test_the_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/claims/{id}/submit/" in schema["paths"]
    create = schema["paths"]["/api/v1/claims/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in create["parameters"])
    assert "application/problem+json" in create["responses"]["400"]["content"]


def test_the_schema_and_documentation_need_no_login_and_no_other_site(db):
    client = Client()

    assert client.get("/api/v1/schema/").status_code == 200
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.content.decode())
    assert sources
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
