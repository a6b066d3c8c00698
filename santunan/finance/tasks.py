"""Background work of the finance pages (django-tasks; `manage.py db_worker` runs it).
Tasks take primary keys and are queued after the transaction commits."""

from django_tasks import task

from santunan.finance import documents


@task()
def render_batch_documents(batch_id: int) -> int:
    """Render every changed document of a batch; running twice renders nothing new."""
    return documents.render_batch_documents(batch_id)
