"""A sending process killed after the gateway accepted a message but before the database
recorded it, then run again, delivers no second copy: real processes, the fake gateway
on 127.0.0.1 answering slowly so the kill lands in that gap."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from notifications.models import Message, State
from tests.santunan.factories import submitted_claim
from tests.system.stack import free_port

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def log_of(url: str) -> list[dict]:
    with urllib.request.urlopen(f"{url}/log", timeout=5) as response:
        return json.loads(response.read())["entries"]


def wait_for(condition, what: str, limit: float = 60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if result := condition():
                return result
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_between_the_gateway_answer_and_the_database_sends_no_second_copy(
    operator_a, tmp_path
):
    message = Message.objects.get(claim=submitted_claim(operator_a))
    port = free_port()
    gateway_url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PUBLIC_BASE_URL"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=database_url(),
        NOTIFY_GATEWAY_URL=gateway_url,
        NOTIFY_GATEWAY_TOKEN="uji-token",
        NOTIFY_CALLBACK_SECRET="uji",
        PYTHONUNBUFFERED="1",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    gateway = subprocess.Popen(
        [*manage, "run_fake_sms_gateway", "--port", str(port), "--slow", "120",
         "--no-callbacks", "--log", str(tmp_path / "gateway.log")],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: log_of(gateway_url) is not None, "the gateway")
        sender = subprocess.Popen(
            [*manage, "send_messages"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(
            lambda: any(e["event"] == "accepted" for e in log_of(gateway_url)),
            "the gateway to accept the message",
        )
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=30)

        message.refresh_from_db()
        assert message.state == State.SENDING and message.attempts == 1

        # Restarted once the lease of the dead process is over.
        again = subprocess.run(
            [*manage, "send_messages"], env={**env, "NOTIFY_SENDING_LEASE": "0"}, cwd=ROOT,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr

        message.refresh_from_db()
        assert message.state == State.SENT and message.gateway_id == "fake-1"
        entries = log_of(gateway_url)
        assert [e["event"] for e in entries if e.get("reference") == message.reference] == [
            "accepted",
            "lookup",
        ]
        # The log file holds the same record for a person to read.
        assert (tmp_path / "gateway.log").read_text().count('"accepted"') == 1
    finally:
        gateway.terminate()
        gateway.wait(timeout=30)
