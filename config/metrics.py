"""Prometheus metrics at /metrics, for whoever holds METRICS_TOKEN.

Requests by view, method and status come from django-prometheus's middleware; the
figures below are read from the database at each scrape, so every app server answers
the same and none keeps state: the background queue (length, age of the oldest task
waiting), the messages outbox (notifications) and the claims by state. Counts only,
never a person.

With several gunicorn workers each keeps its own request counters; set
PROMETHEUS_MULTIPROC_DIR to an empty directory (gunicorn.conf.py clears dead workers'
files) and every scrape adds them up, whichever worker answers."""

import hmac
import os

import prometheus_client
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Min
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from notifications.models import Message
from notifications.models import State as MessageState
from santunan.models import Claim, Status


def queue_figures() -> dict[str, tuple[int, float]]:
    """Per queue: tasks ready to run now and seconds the oldest of them has waited."""
    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    figures = {}
    for row in ready.values("queue_name").annotate(count=Count("pk")).order_by():
        queue = ready.filter(queue_name=row["queue_name"])
        # A task without run_after waits since it was queued; one with run_after
        # since that moment came (or since it was queued, if later).
        since = [
            queue.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"],
            queue.exclude(run_after=get_date_max())
            .aggregate(at=Min(Greatest("enqueued_at", "run_after")))["at"],
        ]
        oldest = min(at for at in since if at is not None)
        figures[row["queue_name"]] = (row["count"], max((now - oldest).total_seconds(), 0.0))
    return figures


class DatabaseCollector:
    """Read at each scrape: queue, outbox and claims, as counted in the database."""

    def describe(self):
        return []  # figures are only known at scrape time

    def collect(self):
        length = GaugeMetricFamily(
            "esantunan_task_queue_length", "Background tasks ready to run", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "esantunan_task_oldest_ready_age_seconds",
            "How long the oldest task ready to run has waited",
            labels=["queue"],
        )
        figures = queue_figures()
        for queue in settings.TASKS["default"].get("QUEUES", ["default"]):
            figures.setdefault(queue, (0, 0.0))
        for queue, (count, seconds) in sorted(figures.items()):
            length.add_metric([queue], count)
            age.add_metric([queue], seconds)
        yield length
        yield age

        running = GaugeMetricFamily(
            "esantunan_tasks_running", "Background tasks being run by a worker now"
        )
        running.add_metric([], DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count())
        yield running

        outbox = GaugeMetricFamily(
            "esantunan_outbox_messages",
            "Messages to heirs, villages and staff not yet handed to the gateway",
            labels=["state"],
        )
        backlog = dict(
            Message.objects.filter(state__in=[MessageState.QUEUED, MessageState.SENDING])
            .values_list("state")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for state in (MessageState.QUEUED, MessageState.SENDING):
            outbox.add_metric([state.value], backlog.get(state.value, 0))
        yield outbox

        claims = GaugeMetricFamily("esantunan_claims", "Claims by workflow state", labels=["state"])
        counts = dict(Claim.objects.values_list("status").annotate(count=Count("pk")).order_by())
        for state in Status:
            claims.add_metric([state.value], counts.get(state.value, 0))
        yield claims


def exposition() -> bytes:
    """The whole page: request metrics (from every worker process when
    PROMETHEUS_MULTIPROC_DIR is set) and the database figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = prometheus_client.REGISTRY
    database = prometheus_client.CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return prometheus_client.generate_latest(requests) + prometheus_client.generate_latest(database)


@login_not_required
@never_cache
def metrics(request):
    """404 while METRICS_TOKEN is unset (the page does not exist), 401 without the
    token as `Authorization: Bearer …`."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("401 Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=prometheus_client.CONTENT_TYPE_LATEST)
