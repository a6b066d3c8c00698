"""Background work (django-tasks; `manage.py db_worker` runs it). Tasks take primary
keys, are queued after the transaction commits, and may safely run twice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from dinsos_sync import services

logger = logging.getLogger(__name__)


@task()
def check_claim(claim_id: int, attempt: int = 1) -> str:
    """Cross-check one claim; while a registry is down, try again later with a
    doubling delay (2, 4, 8 … minutes) up to REGISTRY_CHECK_ATTEMPTS times."""
    summary = services.check_claims(claim_ids=[claim_id])
    if not summary.pending:
        return "done"
    if attempt < settings.REGISTRY_CHECK_ATTEMPTS and check_claim.get_backend().supports_defer:
        retry_at = timezone.now() + timedelta(minutes=2**attempt)
        check_claim.using(run_after=retry_at).enqueue(claim_id, attempt + 1)
        logger.info(
            "registry check of claim %s pending; attempt %d at %s",
            claim_id,
            attempt + 1,
            retry_at.isoformat(),
        )
    return "pending"


@task()
def check_open_claims() -> dict:
    summary = services.check_claims(claim_ids=services.open_claim_ids())
    return {
        "checked": summary.checked,
        "pending": summary.pending,
        "findings": summary.findings,
        "reasons": summary.reasons,
        "unknown_words": summary.unknown_words,
    }


@task()
def import_registry_file(snapshot_id: int) -> str:
    return services.import_uploaded(snapshot_id).status


@task()
def watch_load(snapshot_id: int) -> str:
    """A registry load's watcher: fails it when its process died, looks again later
    while it runs, and stops once it ended."""
    from dinsos_sync.models import Snapshot

    services.fail_abandoned_loads()
    status = Snapshot.objects.filter(pk=snapshot_id).values_list("status", flat=True).first()
    if status == Snapshot.Status.LOADING and watch_load.get_backend().supports_defer:
        run_at = timezone.now() + timedelta(seconds=settings.REGISTRY_LOAD_HEARTBEAT)
        watch_load.using(run_after=run_at).enqueue(snapshot_id)
    return status or "gone"
