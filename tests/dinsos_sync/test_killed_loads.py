"""A registry load whose process died is found, marked failed and its rows removed,
by the next import or by the worker's watcher; the previous snapshot stays active."""

import os
import signal
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dinsos_sync import services
from dinsos_sync.errors import SyncError
from dinsos_sync.models import RegistryPerson, Snapshot
from dinsos_sync.tasks import watch_load
from tests.dinsos_sync.conftest import HEIR_NIK, person


def half_loaded(*, pid: int, host: str | None = None, heartbeat=None) -> Snapshot:
    """A load as a killed process leaves it: 'loading', owned by `pid`, rows written."""
    snapshot = Snapshot.objects.create(
        source="population",
        status=Snapshot.Status.LOADING,
        received_on=timezone.localdate(),
        owner_host=host if host is not None else socket.gethostname(),
        owner_pid=pid,
        heartbeat_at=heartbeat or timezone.now(),
    )
    RegistryPerson.objects.bulk_create(
        RegistryPerson(
            snapshot_id=snapshot.pk,
            nik=f"332501120350{n:04d}",
            name="X",
            birth_date="1950-03-12",
            sex="L",
        )
        for n in range(1, 51)
    )
    return snapshot


@pytest.fixture
def killed_pid():
    """The id of a real process that was killed with SIGKILL (and reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    return child.pid


def test_a_load_killed_with_sigkill_is_failed_and_its_rows_gone_after_the_next_import(
    load_registry, killed_pid, client_for, verifikator
):
    previous = load_registry("population", [person("population")])
    killed = half_loaded(pid=killed_pid)

    load_registry("population", [person("population"), person("population", nik=HEIR_NIK)])

    killed.refresh_from_db()
    assert killed.status == Snapshot.Status.FAILED and "prosesnya mati" in killed.message
    assert not RegistryPerson.objects.filter(snapshot_id=killed.pk).exists()
    previous.refresh_from_db()
    assert previous.status == Snapshot.Status.SUPERSEDED
    page = client_for(verifikator).get(reverse("dinsos_sync:snapshot", args=[killed.pk]))
    assert "Gagal" in page.content.decode() and "Sedang dimuat" not in page.content.decode()


def test_the_worker_fails_a_load_whose_heartbeat_stopped_on_another_machine(db, settings):
    stale = timezone.now() - timedelta(seconds=settings.REGISTRY_LOAD_HEARTBEAT + 60)
    snapshot = half_loaded(pid=os.getpid(), host="mesin-lain", heartbeat=stale)

    assert watch_load.call(snapshot.pk) == Snapshot.Status.FAILED

    assert not RegistryPerson.objects.filter(snapshot_id=snapshot.pk).exists()


def test_a_running_load_with_a_fresh_heartbeat_is_left_alone(db):
    snapshot = half_loaded(pid=os.getpid())

    assert services.fail_abandoned_loads() == 0

    snapshot.refresh_from_db()
    assert snapshot.status == Snapshot.Status.LOADING
    assert RegistryPerson.objects.filter(snapshot_id=snapshot.pk).count() == 50


def test_a_load_declared_dead_while_running_stops_and_removes_its_rows(load_registry, monkeypatch):
    monkeypatch.setattr(services, "BATCH_ROWS", 1)

    def declared_dead(snapshot):
        Snapshot.objects.filter(pk=snapshot.pk).update(status=Snapshot.Status.FAILED)

    rows = [person("population"), person("population", nik=HEIR_NIK)]
    with pytest.raises(SyncError):
        load_registry("population", rows, on_progress=declared_dead)

    assert not RegistryPerson.objects.exists()
    assert Snapshot.objects.get().status == Snapshot.Status.FAILED


def test_a_load_records_its_owner_and_heartbeat(load_registry):
    snapshot = load_registry("population", [person("population")])

    assert snapshot.owner_pid == os.getpid() and snapshot.owner_host == socket.gethostname()
    assert snapshot.heartbeat_at is not None
