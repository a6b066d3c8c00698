import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.tasks import deliver_message
from tests.conftest import ROOT


def queue_task(*, waited: timedelta) -> DBTaskResult:
    result = DBTaskResult.objects.get(id=deliver_message.enqueue(0).id)
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=timezone.now() - waited)
    return result


@pytest.mark.django_db
def test_healthz_answers_200_with_each_part_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "worker": "ok",
        "storage": "ok",
    }


@pytest.mark.django_db
def test_an_idle_worker_with_nothing_waiting_is_healthy(client):
    body = client.get("/healthz").json()

    assert body["checks"]["worker"] == {
        "status": "ok",
        "last_task_finished": None,
        "oldest_waiting_seconds": 0.0,
    }


@pytest.mark.django_db
def test_a_task_waiting_past_the_limit_with_nothing_finished_fails_the_worker(client, settings):
    settings.HEALTH_WORKER_MAX_AGE = 600
    queue_task(waited=timedelta(minutes=11))

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["worker"]["status"] == "error"
    assert body["checks"]["worker"]["oldest_waiting_seconds"] >= 660
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_a_task_finished_lately_keeps_the_worker_healthy_behind_a_long_queue(client, settings):
    settings.HEALTH_WORKER_MAX_AGE = 600
    queue_task(waited=timedelta(minutes=30))
    done = queue_task(waited=timedelta(minutes=40))
    finished = timezone.now() - timedelta(minutes=2)
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL", finished_at=finished)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["last_task_finished"] == finished.isoformat()


@pytest.mark.django_db
def test_a_worker_silent_past_the_limit_fails_when_work_waits(client, settings):
    settings.HEALTH_WORKER_MAX_AGE = 600
    done = queue_task(waited=timedelta(hours=2))
    DBTaskResult.objects.filter(pk=done.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(hours=1)
    )
    queue_task(waited=timedelta(minutes=20))

    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_storage_that_cannot_be_written_fails_only_the_storage(client, settings, tmp_path):
    blocked = tmp_path / "media"
    blocked.write_text("a file where the folder should be")
    settings.MEDIA_ROOT = str(blocked)

    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["storage"] == {"status": "error"}
    assert checks["database"]["status"] == "ok"
    assert str(blocked) not in response.content.decode()


@pytest.mark.django_db
def test_the_storage_check_leaves_no_file_behind(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)

    client.get("/healthz")

    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_503_without_a_database(tmp_path):
    """A real server whose database URL points at a closed port."""
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nothing",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        status, body = None, b""
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            except urllib.error.HTTPError as answer:
                status, body = answer.code, answer.read()
                break
            except OSError:
                time.sleep(0.1)
        assert status == 503
        assert b'"database": {"status": "error"}' in body
        assert b'"storage": {"status": "ok"}' in body
    finally:
        server.terminate()
        server.wait(10)
