"""The one HTTP call of this app: POST a signed JSON body to a receiver.

Short timeouts, nothing but http/https (checked when the address is registered), and
no redirect followed: a receiver that moves says so with its new address in the
administration, not by bouncing signed data to a host nobody registered. A 3xx is a
failed attempt like a 5xx. Nothing the receiver answers is kept except the status
code, so no personal data or receiver internals end up in the delivery log."""

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass

USER_AGENT = "e-Santunan-Webhooks/1"


@dataclass
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""
    retry_after: float | None = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx code


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Outcome:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status, retry_after = error.code, _retry_after(error.headers)
        error.close()
        if 300 <= status < 400:
            return Outcome(
                ok=False, status_code=status, error=f"HTTP {status}: pengalihan tidak diikuti"
            )
        return Outcome(
            ok=False, status_code=status, error=f"HTTP {status}", retry_after=retry_after
        )
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or isinstance(error, TimeoutError):
            return Outcome(ok=False, error=f"batas waktu {timeout:g} detik habis")
        return Outcome(ok=False, error=f"penerima tidak terjangkau: {reason}"[:300])
    if 200 <= status < 300:
        return Outcome(ok=True, status_code=status)
    return Outcome(ok=False, status_code=status, error=f"HTTP {status}")


def _retry_after(headers) -> float | None:
    value = headers.get("Retry-After") if headers else None
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
