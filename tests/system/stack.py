"""The running service, as its users meet it: the web server, the background worker
and the fake registries as separate processes on a fresh database, started the way
`make run` starts them. Tests talk to it over HTTP only, like a browser.

On PostgreSQL (DATABASE_URL=postgres://…, as in CI) each stack gets a database of its
own on that server, dropped afterwards; otherwise a SQLite file in the test's folder."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
# Variables of the test run that must not leak into the service's processes.
DROPPED_ENV = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SECRET_KEY", "PUBLIC_BASE_URL"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StackError(AssertionError):
    pass


class Stack:
    def __init__(self, workdir: Path, **settings: str):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.database_url, self._drop_database = self._fresh_database()
        self.env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
        self.env.update(
            {
                "DEBUG": "1",
                "TEMPLATE_STRICT": "1",
                "DATABASE_URL": self.database_url,
                "DATA_DIR": str(workdir / "data"),
                "MEDIA_ROOT": str(workdir / "media"),
                "SECRET_KEY": "system-test-" + uuid.uuid4().hex,
                "PUBLIC_BASE_URL": self.url,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "PYTHONUNBUFFERED": "1",
                **settings,
            }
        )

    # --- database -------------------------------------------------------------------

    def _fresh_database(self) -> tuple[str, Callable[[], None]]:
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith("postgres"):
            return f"sqlite:///{self.workdir / 'esantunan.sqlite3'}", lambda: None
        import psycopg

        parsed = urlparse(base)
        name = f"esantunan_system_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        server = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return parsed._replace(path=f"/{name}").geturl(), drop

    # --- commands and processes ------------------------------------------------------

    def manage(self, *args: str, timeout: float = 900) -> str:
        """Run a management command to completion; its output, or a failure with it."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise StackError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def start(self, name: str, *args: str, module: str | None = None) -> subprocess.Popen:
        """A management command (or `python -m module …`) as a process of its own."""
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        command = ["-m", module] if module else ["manage.py"]
        process = subprocess.Popen(
            [sys.executable, *command, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )
        process.log = log
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start_web(self, name: str = "web", port: int | None = None) -> str:
        """The web server on its own port, as `make run` serves it; another name and
        port start one more app server on the same database. Its address."""
        port = port or self.port
        self.start(name, "runserver", "--noreload", f"127.0.0.1:{port}")
        url = f"http://127.0.0.1:{port}"
        self.wait_until(lambda: self._healthy(url), timeout=90, what=f"{name} to answer")
        return url

    def start_gunicorn(self, *, workers: int = 3, threads: int = 4) -> None:
        """The web server as production runs it: gunicorn with its configuration file,
        several processes and threads, so simultaneous requests really overlap."""
        self.start(
            "web", "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
            "--threads", str(threads), module="gunicorn",
        )
        self.wait_until(lambda: self._healthy(), timeout=90, what="gunicorn to answer")

    def start_worker(self) -> None:
        self.start("worker", "run_worker")

    def start_registry(self, source: str, path: Path, **options: str) -> str:
        """A registry's HTTP API serving `path`, on its own port; returns its URL."""
        port = free_port()
        extra = [f"--{k.replace('_', '-')}={v}" for k, v in options.items()]
        self.start(f"registry-{source}", "run_fake_registry", str(path), "--source", source,
                   "--port", str(port), *extra)
        url = f"http://127.0.0.1:{port}"
        self.wait_until(lambda: self._listening(port), timeout=60, what=f"the {source} registry")
        return url

    def _healthy(self, url: str | None = None) -> bool:
        self._check_alive()
        try:
            with urllib.request.urlopen(f"{url or self.url}/healthz", timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _listening(self, port: int) -> bool:
        self._check_alive()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise StackError(f"{name} stopped ({process.returncode}):\n{self.log(name)[-3000:]}")

    def wait_until(self, predicate: Callable[[], bool], *, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.3)
        raise StackError(f"Waited {timeout:.0f} s for {what}")

    # --- the worker's effects --------------------------------------------------------

    def query(self, code: str) -> object:
        """Evaluate a small read in the service's own environment (JSON back)."""
        script = (
            "import json, django; django.setup()\n"
            + code
            + "\nprint('RESULT=' + json.dumps(result, default=str))"
        )
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=self.env, capture_output=True,
            text=True, timeout=120,
        )
        match = re.search(r"^RESULT=(.*)$", result.stdout, re.M)
        if result.returncode != 0 or not match:
            raise StackError(f"query failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        return json.loads(match.group(1))

    def tasks(self) -> dict:
        """Tasks due now that the worker has not finished, and tasks that failed."""
        return self.query(
            "from django_tasks_db.models import DBTaskResult\n"
            "tasks = DBTaskResult.objects\n"
            "result = {\n"
            "  'waiting': tasks.ready().count() + tasks.running().count(),\n"
            "  'failed': list(tasks.failed().values_list('task_path', 'exception_class_path')),\n"
            "}"
        )

    def wait_for_worker(self, timeout: float = 300) -> None:
        """Until the worker has done everything due; a task that failed fails the test."""
        state = {}

        def idle() -> bool:
            self._check_alive()
            state.update(self.tasks())
            return state["waiting"] == 0

        self.wait_until(idle, timeout=timeout, what="the worker to finish its tasks")
        if state["failed"]:
            raise StackError(f"Tasks failed in the worker: {state['failed']}\n"
                             f"{self.log('worker')[-3000:]}")

    # --- stopping --------------------------------------------------------------------

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            process.log.close()
        self.processes.clear()
        self._drop_database()


def demo_passwords(output: str) -> dict[str, str]:
    """The demo accounts' passwords, as `create_demo_accounts` prints them once."""
    return dict(re.findall(r"^\s+(\S+)\s+(\S+)\s+\S", output.split(":", 1)[-1], re.M))


def demo_totp_secrets(output: str) -> dict[str, str]:
    """The TOTP secrets `create_demo_accounts` prints once (DEBUG only) for the roles
    that need a second factor, as "  username=BASE32"."""
    return dict(re.findall(r"^\s+(\w+)=([A-Z2-7]+)$", output, re.M))


def totp_code(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for `secret` (RFC 6238: HMAC-SHA1 of the
    30-second step, dynamically truncated to 6 digits). `steps_ahead=1` gives the next
    one, for a second login within the same 30 seconds (a code is accepted once)."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int(time.time()) // 30 + steps_ahead
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"
