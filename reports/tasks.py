"""Background work of the reports (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from reports import services


@task()
def build_report_task(run_id: int) -> None:
    services.build_report(run_id)
