"""A stand-in for a registry's HTTP API, served from a snapshot file on loopback, so
the demo and the tests speak real HTTP without the internet. Switches make it slow,
fail with 500, answer 429 or send broken JSON; they can be flipped while it runs."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from dinsos_sync.files import RowChecker, RowSource
from dinsos_sync.records import Person


def load_persons(
    path: Path | str, source: str, *, known_desa: set[str], regency_code: str
) -> dict[str, Person]:
    """The good rows of a registry file, by NIK (bad rows are skipped)."""
    checker = RowChecker(source, known_desa=known_desa, regency_code=regency_code)
    persons = {}
    for line, cells in RowSource(Path(path), source).rows():
        row = checker.check(line, cells)
        if type(row) is tuple:
            persons[row[0]] = Person.from_row(row)
    return persons


class FakeRegistry(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        persons: dict[str, Person],
        *,
        token: str = "",
        port: int = 0,
        slow: float = 0.0,
        fail: int = 0,
        rate_limit: int = 0,
        retry_after: int = 1,
        broken_json: bool = False,
        trickle: float = 0.0,
        huge_mb: float = 0.0,
        wrong_person: bool = False,
        altered: dict[str, dict] | None = None,
    ):
        super().__init__(("127.0.0.1", port), _Handler)
        self.persons, self.token = persons, token
        # fail / rate_limit: how many of the next requests answer 500 / 429 (-1: all).
        self.slow, self.fail, self.rate_limit = slow, fail, rate_limit
        self.retry_after, self.broken_json = retry_after, broken_json
        # trickle: seconds between the bytes of an answer; huge_mb: answer this many MB
        # of JSON (sent without Content-Length, so only reading tells its size);
        # wrong_person: answer with another person's record than the one asked.
        self.trickle, self.huge_mb, self.wrong_person = trickle, huge_mb, wrong_person
        # altered: per NIK, fields of its JSON answer replaced as they are sent (a
        # status word the installation has not mapped, a decile out of range).
        self.altered = altered or {}
        self.in_flight = self.most_in_flight = 0
        self.requests = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> "FakeRegistry":
        threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up mid-answer (a deadline, a size cap) is expected here.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def json_of(self, person: Person) -> dict:
        return {**person.to_json(), **self.altered.get(person.nik, {})}

    def take(self, switch: str) -> bool:
        """Use up one request of a counted switch (500 or 429)."""
        with self.lock:
            left = getattr(self, switch)
            if left == 0:
                return False
            if left > 0:
                setattr(self, switch, left - 1)
            return True


class _Handler(BaseHTTPRequestHandler):
    server: FakeRegistry

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        # Quiet: the request line of GET /persons/{nik} holds a NIK.
        return

    def _send(self, status: int, body, headers: dict | None = None) -> None:
        self._leave()
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        if self.server.huge_mb and status == 200:
            return self._send_huge()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.server.trickle:
            for index in range(len(raw)):
                self.wfile.write(raw[index : index + 1])
                self.wfile.flush()
                time.sleep(self.server.trickle)
        else:
            self.wfile.write(raw)

    def _send_huge(self) -> None:
        """A valid JSON answer of huge_mb megabytes, written in pieces and closed at the
        end (HTTP/1.0, no Content-Length), so the client cannot know its size up front."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        piece = b'"' + b"x" * (1 << 20) + b'",'
        try:
            self.wfile.write(b'{"found": [], "missing": [], "padding": [')
            for _ in range(int(self.server.huge_mb)):
                self.wfile.write(piece)
            self.wfile.write(b'""]}')
        except OSError:
            pass  # the client stopped reading, as it should

    def _answer(self, respond) -> None:
        server = self.server
        with server.lock:
            server.requests += 1
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        self._in_flight = True
        try:
            self._answer_counted(respond)
        finally:
            self._leave()

    def _leave(self) -> None:
        """The request stops counting as in flight once its answer starts: the client may
        send its next request as soon as it has read this one, before this thread would
        get back here, and two requests would then seem to overlap."""
        if getattr(self, "_in_flight", False):
            self._in_flight = False
            with self.server.lock:
                self.server.in_flight -= 1

    def _answer_counted(self, respond) -> None:
        server = self.server
        if server.slow:
            time.sleep(server.slow)
        if server.token and self.headers.get("Authorization") != f"Bearer {server.token}":
            return self._send(401, {"error": "unauthorized"})
        if server.take("fail"):
            return self._send(500, {"error": "internal error"})
        if server.take("rate_limit"):
            return self._send(
                429, {"error": "too many requests"}, {"Retry-After": str(server.retry_after)}
            )
        status, body = respond()
        if server.broken_json and status == 200:
            return self._send(200, b'{"found": [{"nik": "33')
        return self._send(status, body)

    def do_GET(self):  # noqa: N802 - the stdlib's name
        def respond():
            parts = self.path.strip("/").split("/")
            if len(parts) != 2 or parts[0] != "persons":
                return 404, {"error": "not found"}
            person = self.server.persons.get(parts[1])
            if self.server.wrong_person:
                person = self._someone_else(parts[1])
            return (200, self.server.json_of(person)) if person else (404, {"error": "not found"})

        self._answer(respond)

    def _someone_else(self, nik: str) -> Person:
        others = [p for n, p in self.server.persons.items() if n != nik]
        if others:
            return others[0]
        # A registry of one person still has a neighbour to mix up.
        return Person(
            nik=nik[:12] + f"{(int(nik[12:]) % 9999) + 1:04d}",
            name="ORANG LAIN",
            birth_date=None,
            alive=True,
        )

    def do_POST(self):  # noqa: N802 - the stdlib's name
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)

        def respond():
            if self.path.rstrip("/") != "/persons/lookup":
                return 404, {"error": "not found"}
            try:
                niks = json.loads(raw)["nik"]
            except (ValueError, KeyError, TypeError):
                return 400, {"error": 'body must be {"nik": [...]}'}
            if not isinstance(niks, list) or len(niks) > 100:
                return 400, {"error": "at most 100 nik"}
            persons = self.server.persons
            if self.server.wrong_person and niks:
                # The first NIK asked is answered with somebody else's record.
                other = self._someone_else(niks[0])
                return 200, {
                    "found": [other.to_json()]
                    + [persons[n].to_json() for n in niks[1:] if n in persons],
                    "missing": [n for n in niks[1:] if n not in persons],
                }
            return 200, {
                "found": [self.server.json_of(persons[n]) for n in niks if n in persons],
                "missing": [n for n in niks if n not in persons],
            }

        self._answer(respond)
