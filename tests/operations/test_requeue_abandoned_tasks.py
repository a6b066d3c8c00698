"""Tasks a dead worker left "running" go back to the queue; a live worker's stay."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.tasks import deliver_message
from operations.services import requeue_abandoned_tasks, this_worker_id


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running_task(*, worker: str, started: timedelta = timedelta(seconds=5)) -> DBTaskResult:
    task = DBTaskResult.objects.get(id=deliver_message.enqueue(0).id)
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=timezone.now() - started, worker_ids=[worker]
    )
    return task


@pytest.mark.django_db
def test_a_task_of_a_worker_gone_from_this_machine_is_queued_again():
    task = running_task(worker=this_worker_id(dead_pid()))

    assert requeue_abandoned_tasks() == [str(task.pk)]

    task.refresh_from_db()
    assert task.status == "READY" and task.started_at is None


@pytest.mark.django_db
def test_a_task_of_a_live_worker_keeps_running():
    task = running_task(worker=this_worker_id())

    assert requeue_abandoned_tasks() == []
    task.refresh_from_db()
    assert task.status == "RUNNING"


@pytest.mark.django_db
def test_a_task_of_another_machine_waits_for_the_lease(settings):
    settings.TASK_RUNNING_LEASE = 3600
    recent = running_task(worker="server-2:4242", started=timedelta(minutes=5))
    old = running_task(worker="server-2:4243", started=timedelta(hours=2))

    assert requeue_abandoned_tasks() == [str(old.pk)]
    recent.refresh_from_db()
    assert recent.status == "RUNNING"


@pytest.mark.django_db
def test_finished_and_waiting_tasks_are_left_alone():
    waiting = DBTaskResult.objects.get(id=deliver_message.enqueue(0).id)
    done = running_task(worker=this_worker_id(dead_pid()))
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL", finished_at=timezone.now())

    assert requeue_abandoned_tasks() == []
    assert DBTaskResult.objects.get(pk=waiting.pk).status == "READY"


@pytest.mark.django_db(transaction=True)
def test_run_worker_requeues_then_runs_the_abandoned_task():
    task = running_task(worker=this_worker_id(dead_pid()))

    call_command("run_worker", "--batch", verbosity=0)

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.finished_at is not None
    assert task.worker_ids[-1] == this_worker_id()
