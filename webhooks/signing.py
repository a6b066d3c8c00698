"""The signature on every webhook delivery, in one header:

    Santunan-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{raw body}")>

The timestamp is inside what is signed, so a captured request cannot be replayed
later than the receiver's tolerance, and the raw body is signed byte for byte, so a
receiver must verify before parsing the JSON.

This module uses only the standard library: a receiver written in Python can copy
`verify_signature` as it is (docs/ti/webhook.md)."""

import hashlib
import hmac
import time


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The Santunan-Signature header value for `body` at `timestamp` (now if None)."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    secret: str, header: str, body: bytes, tolerance: int = 300, now: float | None = None
) -> bool:
    """True when `header` (the Santunan-Signature value) signs exactly `body` (the raw
    request body, bytes) with `secret`, and its timestamp is within `tolerance` seconds
    of now. Anything malformed is simply False."""
    timestamp, signatures = None, []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    signed = f"{timestamp}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
