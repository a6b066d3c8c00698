"""The OpenAPI document generates cleanly, is built once per process however many ask
at once, and its documentation page is served from this site's own static files."""

import json
import re
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from api.schema import SchemaView
from tests.system.stack import Stack


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


def test_the_schema_is_built_once_per_language_and_served_the_same_again(db):
    client = Client()

    first = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    again = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    english = client.get("/api/v1/schema/?lang=en")
    unknown = client.get("/api/v1/schema/?lang=xx")

    assert first.status_code == again.status_code == english.status_code == 200
    assert first.content == again.content
    assert json.loads(first.content)["info"]["title"] == "e-Santunan API"
    assert first["Content-Disposition"] == 'inline; filename="e-Santunan API.json"'
    assert unknown.status_code == 200 and unknown.content == client.get("/api/v1/schema/").content
    assert set(SchemaView._built) <= {"id", "en"}
    assert "/api/v1/schema/" not in json.loads(first.content)["paths"]


CONCURRENT_REQUESTS = 12


@pytest.mark.system
def test_concurrent_first_requests_to_a_fresh_gunicorn_all_get_the_schema(tmp_path):
    """All at once, as after a start or a worker recycled by max_requests: drf-spectacular
    building the document twice at once answered some of them 500."""
    stack = Stack(tmp_path / "stack")
    try:
        stack.manage("migrate", "--noinput")
        stack.start_gunicorn(workers=1, threads=CONCURRENT_REQUESTS)
        start = threading.Barrier(CONCURRENT_REQUESTS)

        def fetch(_number: int) -> tuple[int, bytes]:
            start.wait()
            try:
                with urllib.request.urlopen(f"{stack.url}/api/v1/schema/", timeout=120) as answer:
                    return answer.status, answer.read()
            except urllib.error.HTTPError as error:
                return error.code, error.read()

        with ThreadPoolExecutor(CONCURRENT_REQUESTS) as pool:
            answers = list(pool.map(fetch, range(CONCURRENT_REQUESTS)))

        assert [status for status, _body in answers] == [200] * CONCURRENT_REQUESTS
        assert len({body for _status, body in answers}) == 1
        assert b"/api/v1/claims/" in answers[0][1]
        assert "Traceback" not in stack.log("web")
    finally:
        stack.stop()
