"""A webhook receiver on 127.0.0.1, as the regency's dashboard would run one: it keeps
every request it gets (headers and the raw body) and answers what the test asks for
(200 by default; a list of statuses to give first; a slow answer; a redirect)."""

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(self, port: int = 0, host: str = "127.0.0.1"):
        self.received: list[Received] = []
        self.answers: list[int] = []  # given first, one per request; then 200
        self.retry_after: str | None = None
        self.location: str | None = None  # sent with a 3xx answer
        self.slow = 0.0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.received.append(
                        Received(self.path, {k: v for k, v in self.headers.items()}, body)
                    )
                    status = receiver.answers.pop(0) if receiver.answers else 200
                if receiver.slow:
                    time.sleep(receiver.slow)
                try:
                    self.send_response(status)
                    if receiver.retry_after:
                        self.send_header("Retry-After", receiver.retry_after)
                    if receiver.location and 300 <= status < 400:
                        self.send_header("Location", receiver.location)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting (its timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}"

    def start(self) -> "Receiver":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
