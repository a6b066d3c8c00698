"""The one HTTP call of this app: POST a signed JSON body to a receiver.

Through the outbound guard (config/outbound.py), which decides where this service may
connect: the receiver's name is looked up once at every attempt, each address judged
(no loopback, private, link-local or metadata address unless its network is listed in
WEBHOOK_ALLOWED_NETWORKS, some never), and the connection made to the judged address.
Short timeouts, and no redirect followed: a receiver that moves says so with its new
address in the administration, not by bouncing signed data to a host nobody registered.
A 3xx is a failed attempt like a 5xx. Nothing the receiver answers is kept except the
status code, so no personal data or receiver internals end up in the delivery log."""

import http.client
from dataclasses import dataclass

from config import outbound

USER_AGENT = "e-Santunan-Webhooks/1"


@dataclass
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""
    retry_after: float | None = None


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    try:
        answer = outbound.request(
            url,
            policy=outbound.webhook_policy(),
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
            body=body,
            timeout=timeout,
            max_bytes=0,  # only the status is kept
        )
    except outbound.OutboundRefused as refused:
        return Outcome(ok=False, error=f"alamat ditolak: {refused.reason}"[:300])
    except TimeoutError:
        return Outcome(ok=False, error=f"batas waktu {timeout:g} detik habis")
    except (OSError, http.client.HTTPException) as error:
        return Outcome(ok=False, error=f"penerima tidak terjangkau: {error}"[:300])
    status = answer.status
    if 200 <= status < 300:
        return Outcome(ok=True, status_code=status)
    if answer.redirect:
        return Outcome(
            ok=False, status_code=status, error=f"HTTP {status}: pengalihan tidak diikuti"
        )
    return Outcome(
        ok=False, status_code=status, error=f"HTTP {status}", retry_after=_retry_after(answer)
    )


def _retry_after(answer: outbound.Answer) -> float | None:
    value = answer.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
