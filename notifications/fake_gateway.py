"""A gateway that speaks the contract of notifications/gateway.py, for development and
tests. It sends nothing: it remembers each message by idempotency key, answers a
repeated key with the first id, posts signed delivery reports to the callback URL, and
keeps a log of what it received (GET /log, and a JSON-lines file when asked).

Switches (command-line flags, or POST /control with the same names as JSON):
  slow: seconds to wait after accepting and before answering
  fail_500 / fail_429: answer that many next requests with 500 / 429 (Retry-After: 1)
  duplicate_callbacks: post every delivery report twice
  callbacks: post delivery reports at all (on by default)
A number whose last four digits are 0000, or that is not +62 followed by 8–13 digits,
is refused with 422 invalid_number."""

import itertools
import json
import re
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from notifications.gateway import sign

VALID = re.compile(r"^\+62\d{8,13}$")


class FakeGateway:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "",
        secret: str = "",
        log_path: str = "",
        **switches,
    ):
        self.token, self.secret, self.log_path = token, secret, log_path
        self.switches = {
            "slow": 0.0,
            "fail_500": 0,
            "fail_429": 0,
            "duplicate_callbacks": False,
            "callbacks": True,
        }
        self.switches.update({k: v for k, v in switches.items() if v is not None})
        self.messages: dict[str, dict] = {}
        self.entries: list[dict] = []
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeGateway":
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def log(self, **entry) -> None:
        entry["at"] = time.time()
        with self.lock:
            self.entries.append(entry)
        if self.log_path:
            with open(self.log_path, "a", encoding="utf-8") as out:
                out.write(json.dumps(entry) + "\n")

    def accepted(self) -> list[dict]:
        with self.lock:
            return [e for e in self.entries if e["event"] == "accepted"]

    def _take_failure(self) -> int | None:
        with self.lock:
            for name, status in (("fail_500", 500), ("fail_429", 429)):
                if self.switches[name] > 0:
                    self.switches[name] -= 1
                    return status
        return None

    def _callback(self, message: dict) -> None:
        if not message.get("callback_url") or not self.switches["callbacks"]:
            return
        body = json.dumps(
            {"id": message["id"], "reference": message["reference"], "status": "delivered"}
        ).encode()
        times = 2 if self.switches["duplicate_callbacks"] else 1
        for _ in range(times):
            request = urllib.request.Request(
                message["callback_url"],
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "X-Signature": sign(body, self.secret),
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    self.log(
                        event="callback", reference=message["reference"], status=response.status
                    )
            except Exception as error:  # the report is best effort, like a real gateway's
                self.log(event="callback_failed", reference=message["reference"], error=str(error))

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, data: dict, headers: dict | None = None) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self) -> bool:
                if gateway.token and self.headers.get("Authorization") != f"Bearer {gateway.token}":
                    self._answer(401, {"error": "unauthorized"})
                    return False
                return True

            def _body(self) -> dict:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    data = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return {}
                return data if isinstance(data, dict) else {}

            def do_GET(self):
                if self.path == "/log":
                    with gateway.lock:
                        return self._answer(200, {"entries": list(gateway.entries)})
                if not self._authorised():
                    return
                if self.path.startswith("/messages/"):
                    reference = self.path.removeprefix("/messages/")
                    gateway.log(event="lookup", reference=reference)
                    with gateway.lock:
                        message = gateway.messages.get(reference)
                    if message:
                        return self._answer(200, {"id": message["id"], "status": "accepted"})
                    return self._answer(404, {"error": "not_found"})
                self._answer(404, {"error": "not_found"})

            def do_POST(self):
                if self.path == "/control":
                    with gateway.lock:
                        gateway.switches.update(self._body())
                        return self._answer(200, dict(gateway.switches))
                if self.path != "/messages" or not self._authorised():
                    return (
                        self._answer(404, {"error": "not_found"})
                        if self.path != "/messages"
                        else None
                    )
                data = self._body()
                reference = self.headers.get("Idempotency-Key", "")
                if not reference:
                    return self._answer(400, {"error": "idempotency_key_required"})
                failure = gateway._take_failure()
                if failure:
                    gateway.log(event=f"refused_{failure}", reference=reference)
                    headers = {"Retry-After": "1"} if failure == 429 else {}
                    return self._answer(failure, {"error": "try_later"}, headers)
                to = str(data.get("to", ""))
                if not VALID.match(to) or to.endswith("0000"):
                    gateway.log(event="invalid_number", reference=reference)
                    return self._answer(422, {"error": "invalid_number"})
                with gateway.lock:
                    message = gateway.messages.get(reference)
                    duplicate = message is not None
                    if not duplicate:
                        message = {
                            "id": f"fake-{next(gateway.ids)}",
                            "reference": reference,
                            "callback_url": data.get("callback_url", ""),
                        }
                        gateway.messages[reference] = message
                gateway.log(
                    event="duplicate" if duplicate else "accepted",
                    reference=reference,
                    id=message["id"],
                    to=to,
                    channel=data.get("channel"),
                    sender=data.get("sender"),
                    text=data.get("text"),
                )
                if gateway.switches["slow"]:
                    time.sleep(float(gateway.switches["slow"]))
                self._answer(
                    200, {"id": message["id"], "status": "accepted", "duplicate": duplicate}
                )
                if not duplicate:
                    threading.Thread(target=gateway._callback, args=(message,), daemon=True).start()

        return Handler
