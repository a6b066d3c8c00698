"""Keeping the background queue whole when a worker dies.

django-tasks-db marks a task RUNNING when a worker takes it and finished when it ends;
a worker killed in between (SIGKILL, out of memory, power cut) leaves it RUNNING for
ever and nothing runs it again. Every task here may run twice (they take primary keys
and check state first), so such a task is put back in the queue: at once when the
worker that took it ran on this machine and its process is gone, or after
TASK_RUNNING_LEASE seconds when it ran elsewhere."""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def this_worker_id(pid: int | None = None) -> str:
    """host:pid, so that a later worker can tell whether this one is still alive."""
    return f"{socket.gethostname()[:40]}:{pid or os.getpid()}"


def _gone(worker_id: str) -> bool:
    host, _sep, pid = worker_id.rpartition(":")
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def requeue_abandoned_tasks() -> list[str]:
    """Put tasks left RUNNING by a dead worker back in the queue; their ids."""
    lease_over = timezone.now() - timedelta(seconds=settings.TASK_RUNNING_LEASE)
    requeued = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for task_id, started_at, worker_ids in running.values_list("pk", "started_at", "worker_ids"):
        worker = worker_ids[-1] if worker_ids else ""
        if not (_gone(worker) or (started_at and started_at < lease_over)):
            continue
        # Conditional: a worker that finishes it meanwhile, or a second worker starting
        # at the same moment, leaves the row alone and it is not requeued twice.
        if DBTaskResult.objects.filter(
            pk=task_id, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(status=TaskResultStatus.READY, started_at=None):
            logger.warning("Task %s left running by worker %s is queued again", task_id, worker)
            requeued.append(str(task_id))
    return requeued
