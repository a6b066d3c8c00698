"""Background posting (django-tasks; `manage.py db_worker` runs it). A task takes the
delivery's primary key, is queued after the transaction commits and may run twice:
services.deliver posts only a delivery that is due, in turn and not taken."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from webhooks import services


@task()
def deliver_webhook(delivery_id: int) -> str:
    delay = services.deliver_webhook(delivery_id)
    if delay is None:
        return "done"
    services._enqueue(delivery_id, run_after=timezone.now() + timedelta(seconds=delay))
    return "retry"
