"""An API caller per role: a token issued through the service and a test client that
sends it."""

import json
import uuid

import pytest
from django.test import Client

from api.services import issue_token


class ApiClient:
    """Django's test client speaking JSON with a bearer token and a fresh
    Idempotency-Key on each POST unless one is given."""

    def __init__(self, key: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path, data=None, *, key: str | None = None, headers=None, multipart=False):
        headers = {**self.headers, "Idempotency-Key": key or uuid.uuid4().hex, **(headers or {})}
        if multipart:
            return self.client.post(path, data or {}, headers=headers)
        return self.client.post(
            path, json.dumps(data or {}), content_type="application/json", headers=headers
        )

    def patch(self, path, data, *, etag: str | None = None, raw: str | None = None):
        headers = dict(self.headers)
        if etag is not None:
            headers["If-Match"] = etag
        body = raw if raw is not None else json.dumps(data)
        return self.client.patch(path, body, content_type="application/json", headers=headers)


@pytest.fixture
def api_for(db):
    def make(user, **kwargs):
        _token, key = issue_token(user=user, name="uji", **kwargs)
        return ApiClient(key)

    return make


def json_body(data: dict) -> dict:
    """A claim as the API takes it: dates as ISO 8601 strings."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
