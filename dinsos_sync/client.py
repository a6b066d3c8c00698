"""A client for a registry's HTTP API (issue 4, hardened in issue 10):

    GET  /persons/{nik}      → 200 person JSON, or 404
    POST /persons/lookup     {"nik": [...]} (at most 100) → {"found": [...], "missing": [...]}

with `Authorization: Bearer <token>`. Timeouts and 5xx answers are retried with
exponential backoff, a 429 waits for its Retry-After, and an answer that is not the
promised JSON is refused. A person whose status word is unknown, or whose decile is out
of range, is kept with that field empty (as a file row is) and the word is counted in
`unknown` for the value-mapping page. Every call has an overall deadline (retries and
slow bodies included) and every answer a size cap, read in pieces so a huge one is never
held in memory. An answer about other people than those asked is a registry error, never a
fact about a claim. Log lines name the source and the reason, never a NIK."""

import http.client
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from config import outbound
from dinsos_sync.errors import RegistryUnavailable, SyncError
from dinsos_sync.records import MalformedPerson, Person, person_from_json
from dinsos_sync.values import Vocabulary

logger = logging.getLogger(__name__)

LOOKUP_LIMIT = 100
READ_PIECE = 64 * 1024


class _GiveUp(Exception):
    """Not worth another attempt (the call's deadline passed, the answer is too big)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


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
        call_deadline: float | None = None,
        max_response_bytes: int | None = None,
        concurrency: int | None = None,
        vocabulary: Vocabulary | None = None,
    ):
        # The address comes from the installation's settings: trusted for loopback and
        # private networks, never for link-local, metadata or multicast ones, and called
        # through the outbound guard (config/outbound.py) like every outbound request.
        self.policy = outbound.configured_policy()
        try:
            outbound.parse(base_url, self.policy)
        except outbound.OutboundRefused:
            raise SyncError(_("Alamat registri tidak sah: %(url)s") % {"url": base_url}) from None
        self.source = source
        self.base_url = base_url.rstrip("/")
        self.token = token

        def option(value, name):
            return value if value is not None else getattr(settings, name)

        self.connect_timeout = option(connect_timeout, "REGISTRY_CONNECT_TIMEOUT")
        self.read_timeout = option(read_timeout, "REGISTRY_READ_TIMEOUT")
        self.retries = option(retries, "REGISTRY_RETRIES")
        self.backoff = option(backoff, "REGISTRY_BACKOFF")
        self.max_retry_after = option(max_retry_after, "REGISTRY_MAX_RETRY_AFTER")
        self.call_deadline = option(call_deadline, "REGISTRY_CALL_DEADLINE")
        self.max_response_bytes = option(max_response_bytes, "REGISTRY_MAX_RESPONSE_BYTES")
        self.concurrency = max(1, option(concurrency, "REGISTRY_CONCURRENCY"))
        self.vocabulary = vocabulary or Vocabulary.builtin(source)
        # (column, word) → persons answered with a word the vocabulary does not know,
        # over this client's calls; filled by the lookup threads under the lock.
        self.unknown: Counter = Counter()
        self._unknown_lock = threading.Lock()

    @classmethod
    def for_source(cls, source: str) -> "RegistryClient | None":
        """The configured client of a source, or None when it has no API. It reads
        values with the regency's value mapping (read here, before any thread starts)."""
        prefix = source.upper()
        url = getattr(settings, f"{prefix}_REGISTRY_URL", "")
        if not url:
            return None
        from dinsos_sync.selectors import vocabulary_for

        return cls(
            source=source,
            base_url=url,
            token=getattr(settings, f"{prefix}_REGISTRY_TOKEN", ""),
            vocabulary=vocabulary_for(source),
        )

    # --- the API -----------------------------------------------------------------------

    def get_person(self, nik: str, *, deadline: float | None = None) -> Person | None:
        label = "GET /persons/<nik>"
        status, data = self._request("GET", f"/persons/{nik}", label=label, deadline=deadline)
        if status == 404:
            return None
        seen: Counter = Counter()
        try:
            person = person_from_json(data, self.vocabulary, seen)
        except MalformedPerson as exc:
            raise self._malformed(label, str(exc)) from None
        if person.nik != nik:
            # Another person's record is no answer about this one (a false "found").
            raise self._malformed(label, "answer is about another nik")
        self._note_unknown(label, seen)
        return person

    def lookup(self, niks: Iterable[str], *, deadline: float | None = None) -> dict[str, Person]:
        """The persons found among `niks`, asked in batches of at most 100 with at most
        `concurrency` batches in flight. Any batch that fails fails the whole lookup: a
        partial answer would turn the unasked part into false "not found" findings.
        `deadline` (a time.monotonic() value) ends every call early, e.g. a run's budget."""
        wanted = list(dict.fromkeys(niks))
        batches = [wanted[i : i + LOOKUP_LIMIT] for i in range(0, len(wanted), LOOKUP_LIMIT)]
        found: dict[str, Person] = {}
        seen: Counter = Counter()
        if len(batches) <= 1 or self.concurrency == 1:
            for batch in batches:
                found.update(self._lookup_batch(batch, deadline, seen))
            self._note_unknown("POST /persons/lookup", seen)
            return found
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(batches))) as pool:
            futures = [pool.submit(self._lookup_batch, batch, deadline, seen) for batch in batches]
            done, pending = wait(futures, return_when=FIRST_EXCEPTION)
            for future in pending:
                future.cancel()
            for future in futures:
                if future.done() and not future.cancelled() and future.exception():
                    raise future.exception()
            for future in futures:
                found.update(future.result())
        self._note_unknown("POST /persons/lookup", seen)
        return found

    def _lookup_batch(
        self, batch: list[str], deadline: float | None, seen: Counter
    ) -> dict[str, Person]:
        label = "POST /persons/lookup"
        _status, data = self._request(
            "POST", "/persons/lookup", body={"nik": batch}, label=label, deadline=deadline
        )
        if not (
            isinstance(data, dict)
            and isinstance(data.get("found"), list)
            and isinstance(data.get("missing"), list)
        ):
            raise self._malformed(label, "no found/missing lists")
        words: Counter = Counter()
        try:
            people = [person_from_json(item, self.vocabulary, words) for item in data["found"]]
        except MalformedPerson as exc:
            raise self._malformed(label, str(exc)) from None
        missing = data["missing"]
        if not all(isinstance(nik, str) for nik in missing):
            raise self._malformed(label, "missing holds something else than nik strings")
        # Every NIK asked must come back exactly once, found or missing, and nothing
        # else: a record of someone not asked, a NIK left out or answered twice means
        # the registry mixed people up, and no finding may rest on such an answer.
        answered = sorted([person.nik for person in people] + missing)
        if answered != sorted(batch):
            raise self._malformed(
                label,
                f"answer does not cover the {len(batch)} nik asked exactly once "
                f"({len(people)} found, {len(missing)} missing)",
            )
        # Counted only for an answer that is used: a refused one is asked again.
        with self._unknown_lock:
            seen.update(words)
        return {person.nik: person for person in people}

    def _note_unknown(self, label: str, seen: Counter) -> None:
        """Log each unknown word of one call once, naming the column and the word (a
        registry's vocabulary, not personal data; never a NIK or a name)."""
        for (column, raw), count in sorted(seen.items()):
            logger.warning(
                "registry %s: %s answered %d person(s) with the unknown word %r in column %s; "
                "kept with the field empty until the word is mapped",
                self.source,
                label,
                count,
                raw,
                column,
            )
        with self._unknown_lock:
            self.unknown.update(seen)

    # --- transport ---------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        label: str,
        body: dict | None = None,
        deadline: float | None = None,
    ):
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        # The per-read timeout alone lets a server trickling one byte a second hold a
        # call for ever; the call as a whole ends at this moment.
        ends = time.monotonic() + self.call_deadline
        if deadline is not None:
            ends = min(ends, deadline)
        attempt = 0
        while True:
            attempt += 1
            wait_for = self.backoff * 2 ** (attempt - 1)
            try:
                status, raw, retry_after = self._exchange(method, path, payload, headers, ends)
            except _GiveUp as exc:
                logger.warning(
                    "registry %s: %s gave up on attempt %d: %s",
                    self.source,
                    label,
                    attempt,
                    exc.reason,
                )
                raise RegistryUnavailable(
                    _("Registri %(source)s tidak menjawab (%(reason)s).")
                    % {"source": self.source, "reason": exc.reason}
                ) from None
            except TimeoutError:
                reason = "timeout"
            except (ConnectionError, OSError, http.client.HTTPException) as exc:
                reason = f"connection failed ({type(exc).__name__})"
            else:
                if status == 429:
                    reason = "429 too many requests"
                    wait_for = self._retry_after(retry_after, default=wait_for)
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
            out_of_time = time.monotonic() + wait_for >= ends
            if attempt > self.retries or wait_for > self.max_retry_after or out_of_time:
                if out_of_time and attempt <= self.retries:
                    reason = f"{reason}; deadline reached"
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
                wait_for,
            )
            time.sleep(wait_for)

    def _exchange(self, method, path, payload, headers, ends: float):
        """One request and its whole answer, read in pieces within the deadline."""
        remaining = ends - time.monotonic()
        if remaining <= 0:
            raise _GiveUp("deadline reached")
        try:
            # One lookup per attempt; the connection goes to the address it judged.
            target = outbound.resolve(self.base_url + path, self.policy)
        except outbound.OutboundRefused as refused:
            raise _GiveUp(f"address refused ({refused.code})") from None
        connection = outbound.connection(
            target, self.policy, timeout=min(self.connect_timeout, remaining)
        )
        try:
            connection.connect()
            sock = connection.sock

            def arm() -> None:
                # http.client has one timeout; each read gets what is left of the call.
                left = ends - time.monotonic()
                if left <= 0:
                    raise _GiveUp("deadline reached")
                sock.settimeout(min(self.read_timeout, left))

            arm()
            connection.request(method, target.path, body=payload, headers=headers)
            response = connection.getresponse()
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
                raise _GiveUp(f"answer larger than {self.max_response_bytes} bytes")
            pieces, size = [], 0
            while True:
                arm()
                try:
                    piece = response.read1(READ_PIECE)
                except TimeoutError:
                    if ends - time.monotonic() <= 0.05:
                        raise _GiveUp("deadline reached") from None
                    raise
                if not piece:
                    break
                size += len(piece)
                if size > self.max_response_bytes:
                    raise _GiveUp(f"answer larger than {self.max_response_bytes} bytes")
                pieces.append(piece)
            return response.status, b"".join(pieces), response.getheader("Retry-After")
        finally:
            connection.close()

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
