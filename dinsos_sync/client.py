"""A client for a registry's HTTP API (issue 4):

    GET  /persons/{nik}      → 200 person JSON, or 404
    POST /persons/lookup     {"nik": [...]} (at most 100) → {"found": [...], "missing": [...]}

with `Authorization: Bearer <token>`. Timeouts and 5xx answers are retried with
exponential backoff, a 429 waits for its Retry-After, and an answer that is not the
promised JSON is refused. Log lines name the source and the reason, never a NIK."""

import http.client
import json
import logging
import time
from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dinsos_sync.errors import RegistryUnavailable, SyncError
from dinsos_sync.records import MalformedPerson, Person, person_from_json

logger = logging.getLogger(__name__)

LOOKUP_LIMIT = 100


class RegistryClient:
    def __init__(
        self,
        *,
        source: str,
        base_url: str,
        token: str,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        max_retry_after: float | None = None,
    ):
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise SyncError(_("Alamat registri tidak sah: %(url)s") % {"url": base_url})
        self.source = source
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.prefix = parts.path.rstrip("/")
        self.token = token
        self.connect_timeout = (
            connect_timeout if connect_timeout is not None else settings.REGISTRY_CONNECT_TIMEOUT
        )
        self.read_timeout = (
            read_timeout if read_timeout is not None else settings.REGISTRY_READ_TIMEOUT
        )
        self.retries = retries if retries is not None else settings.REGISTRY_RETRIES
        self.backoff = backoff if backoff is not None else settings.REGISTRY_BACKOFF
        self.max_retry_after = (
            max_retry_after if max_retry_after is not None else settings.REGISTRY_MAX_RETRY_AFTER
        )

    @classmethod
    def for_source(cls, source: str) -> "RegistryClient | None":
        """The configured client of a source, or None when it has no API."""
        prefix = source.upper()
        url = getattr(settings, f"{prefix}_REGISTRY_URL", "")
        if not url:
            return None
        return cls(
            source=source, base_url=url, token=getattr(settings, f"{prefix}_REGISTRY_TOKEN", "")
        )

    # --- the API -----------------------------------------------------------------------

    def get_person(self, nik: str) -> Person | None:
        status, data = self._request("GET", f"/persons/{nik}", label="GET /persons/<nik>")
        if status == 404:
            return None
        try:
            return person_from_json(data)
        except MalformedPerson as exc:
            raise self._malformed("GET /persons/<nik>", str(exc)) from None

    def lookup(self, niks: Iterable[str]) -> dict[str, Person]:
        """The persons found among `niks`, asked in batches of at most 100."""
        wanted = list(dict.fromkeys(niks))
        found: dict[str, Person] = {}
        for start in range(0, len(wanted), LOOKUP_LIMIT):
            batch = wanted[start : start + LOOKUP_LIMIT]
            _status, data = self._request(
                "POST", "/persons/lookup", body={"nik": batch}, label="POST /persons/lookup"
            )
            if not (
                isinstance(data, dict)
                and isinstance(data.get("found"), list)
                and isinstance(data.get("missing"), list)
            ):
                raise self._malformed("POST /persons/lookup", "no found/missing lists")
            try:
                people = [person_from_json(item) for item in data["found"]]
            except MalformedPerson as exc:
                raise self._malformed("POST /persons/lookup", str(exc)) from None
            asked = set(batch)
            found.update((person.nik, person) for person in people if person.nik in asked)
        return found

    # --- transport ---------------------------------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        connection = kind(self.host, self.port, timeout=self.connect_timeout)
        connection.connect()
        # http.client has one timeout; after connecting, the socket gets the read one.
        connection.sock.settimeout(self.read_timeout)
        return connection

    def _request(self, method: str, path: str, *, label: str, body: dict | None = None):
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            attempt += 1
            wait = self.backoff * 2 ** (attempt - 1)
            try:
                connection = self._connection()
                try:
                    connection.request(method, self.prefix + path, body=payload, headers=headers)
                    response = connection.getresponse()
                    status, raw = response.status, response.read()
                    retry_after = response.getheader("Retry-After")
                finally:
                    connection.close()
            except TimeoutError:
                reason = "timeout"
            except (ConnectionError, OSError, http.client.HTTPException) as exc:
                reason = f"connection failed ({type(exc).__name__})"
            else:
                if status == 429:
                    reason = "429 too many requests"
                    wait = self._retry_after(retry_after, default=wait)
                elif status >= 500:
                    reason = f"HTTP {status}"
                elif status in (401, 403):
                    logger.error(
                        "registry %s: %s refused the token (HTTP %s)", self.source, label, status
                    )
                    raise RegistryUnavailable(
                        _("Registri menolak token akses; hubungi administrator.")
                    )
                elif status == 404 and method == "GET":
                    return status, None
                elif status != 200:
                    raise self._malformed(label, f"unexpected HTTP {status}")
                else:
                    try:
                        return status, json.loads(raw)
                    except (ValueError, UnicodeDecodeError) as exc:
                        raise self._malformed(
                            label, f"invalid JSON ({type(exc).__name__})"
                        ) from None
            if attempt > self.retries or wait > self.max_retry_after:
                logger.warning(
                    "registry %s: %s gave up after %d attempts: %s",
                    self.source,
                    label,
                    attempt,
                    reason,
                )
                raise RegistryUnavailable(
                    _("Registri %(source)s tidak menjawab (%(reason)s).")
                    % {"source": self.source, "reason": reason}
                )
            logger.info(
                "registry %s: %s attempt %d failed (%s); retrying in %.1f s",
                self.source,
                label,
                attempt,
                reason,
                wait,
            )
            time.sleep(wait)

    def _retry_after(self, value: str | None, *, default: float) -> float:
        if not value:
            return default
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
        except (TypeError, ValueError):
            return default

    def _malformed(self, label: str, reason: str) -> RegistryUnavailable:
        logger.error("registry %s: %s refused a malformed answer: %s", self.source, label, reason)
        return RegistryUnavailable(
            _("Jawaban registri %(source)s tidak sah; pemeriksaan diulang nanti.")
            % {"source": self.source}
        )
