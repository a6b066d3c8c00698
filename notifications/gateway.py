"""The HTTP contract with the SMS/WhatsApp gateway (any provider behind a small adapter
speaks it; `manage.py run_fake_sms_gateway` implements it for development and tests).

    POST {NOTIFY_GATEWAY_URL}/messages
      Authorization: Bearer {NOTIFY_GATEWAY_TOKEN}
      Idempotency-Key: {reference}
      {"to": "+6281234567890", "channel": "sms" | "whatsapp", "sender": NOTIFY_SENDER_ID,
       "text": "...", "reference": "{reference}", "callback_url": "{PUBLIC_BASE_URL}/pesan/status/"}
    → 200/201/202 {"id": "<gateway id>", "status": "accepted"}; the same Idempotency-Key
      again answers with the first id and sends nothing new.
    → 400/422 {"error": "invalid_number" | "..."}: permanent, never retried.
    → 429 (Retry-After: seconds), 5xx, timeouts, refused connections: retried later.

    GET {NOTIFY_GATEWAY_URL}/messages/{reference}
    → 200 {"id": ..., "status": ...} when the gateway holds that message, 404 if not.

Delivery reports come back as POST {PUBLIC_BASE_URL}/pesan/status/ with a JSON body
{"id": ..., "reference": ..., "status": "delivered" | "failed", "error": "..."} and the
header X-Signature: sha256=<hex HMAC-SHA256 of the raw body with NOTIFY_CALLBACK_SECRET>.
"""

import hashlib
import hmac
import http.client
import json
import logging
from dataclasses import dataclass

from django.conf import settings

from config import outbound

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = {408, 425, 429}
MAX_ANSWER_BYTES = 64 * 1024  # the contract's answers are a few fields


@dataclass
class Outcome:
    ok: bool
    gateway_id: str = ""
    retryable: bool = False
    retry_after: float | None = None
    error: str = ""


def configured() -> bool:
    return bool(settings.NOTIFY_GATEWAY_URL)


def callback_url() -> str:
    return f"{settings.PUBLIC_BASE_URL}/pesan/status/"


def sign(body: bytes, secret: str | None = None) -> str:
    secret = settings.NOTIFY_CALLBACK_SECRET if secret is None else secret
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, header: str) -> bool:
    # Without a configured secret no callback can be trusted.
    if not settings.NOTIFY_CALLBACK_SECRET or not header:
        return False
    return hmac.compare_digest(sign(body), header.strip())


def _request(method: str, path: str, *, body: dict | None = None, reference: str = ""):
    headers = {
        "Accept": "application/json",
        "Authorization": f"Bearer {settings.NOTIFY_GATEWAY_TOKEN}",
    }
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if reference:
        headers["Idempotency-Key"] = reference
    # Through the outbound guard (config/outbound.py): the gateway's address is the
    # installation's own setting, trusted for loopback and private networks but never
    # link-local or metadata ones, reached at the address looked up once, and a redirect
    # is an answer like any other (a failure), never followed.
    answer = outbound.request(
        settings.NOTIFY_GATEWAY_URL.rstrip("/") + path,
        policy=outbound.configured_policy(),
        method=method,
        headers=headers,
        body=data,
        timeout=settings.NOTIFY_GATEWAY_TIMEOUT,
        max_bytes=MAX_ANSWER_BYTES,
    )
    return answer.status, _json(answer.body), answer.headers


def _json(raw: bytes) -> dict:
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def send(*, reference: str, to: str, channel: str, text: str) -> Outcome:
    payload = {
        "to": to,
        "channel": channel,
        "sender": settings.NOTIFY_SENDER_ID,
        "text": text,
        "reference": reference,
        "callback_url": callback_url(),
    }
    try:
        status, data, headers = _request("POST", "/messages", body=payload, reference=reference)
    except outbound.OutboundRefused as refused:
        # A setting pointing somewhere no call may go; retried, so that messages are
        # sent once the setting is corrected.
        logger.error("SMS gateway address refused: %s", refused.code)
        return Outcome(
            ok=False, retryable=True, error=f"alamat gateway ditolak: {refused.reason}"[:300]
        )
    except (OSError, http.client.HTTPException) as error:
        return Outcome(ok=False, retryable=True, error=f"gateway tidak terjangkau: {error}"[:300])
    if 200 <= status < 300 and data.get("id"):
        return Outcome(ok=True, gateway_id=str(data["id"]))
    error = f"HTTP {status} {data.get('error', '')}".strip()
    if 300 <= status < 400:
        error = f"HTTP {status}: pengalihan tidak diikuti"
    if status >= 500 or status in RETRYABLE_STATUSES or 200 <= status < 300:
        return Outcome(
            ok=False, retryable=True, retry_after=_retry_after(headers), error=error[:300]
        )
    return Outcome(ok=False, retryable=False, error=error[:300])


def lookup(reference: str) -> str | None:
    """The gateway's id for a message it already holds, None when it has none. Asked
    before sending again a message whose earlier attempt never got its answer back."""
    try:
        status, data, _headers = _request("GET", f"/messages/{reference}")
    except (outbound.OutboundRefused, OSError, http.client.HTTPException):
        return None
    if status == 200 and data.get("id"):
        return str(data["id"])
    return None


def _retry_after(headers) -> float | None:
    value = headers.get("Retry-After") if headers else None
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
