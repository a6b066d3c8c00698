"""Background sending (django-tasks; `manage.py db_worker` runs it). Tasks take the
message's primary key, are queued after the transaction commits and may run twice:
deliver_message sends only a message that is due and not taken."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from notifications import services


@task()
def deliver_message(message_id: int) -> str:
    delay = services.deliver_message(message_id)
    if delay is None:
        return "done"
    services._enqueue(message_id, run_after=timezone.now() + timedelta(seconds=delay))
    return "retry"
