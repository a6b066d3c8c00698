import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_tasks_db.models import DBTaskResult

from config.metrics import queue_figures
from filestore.storage import check_storage
from villages.roles import ROLE_HOME, Role, primary_role
from villages.selectors import current_regency
from villages.services import set_user_language

logger = logging.getLogger(__name__)


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def _check_worker() -> dict:
    """The background worker is alive when it finished a task lately, or when nothing
    has waited for it long: a quiet night with an empty queue is not a failure, a task
    left waiting longer than HEALTH_WORKER_MAX_AGE while nothing finishes is."""
    max_age = settings.HEALTH_WORKER_MAX_AGE
    now = timezone.now()
    last = DBTaskResult.objects.aggregate(at=Max("finished_at"))["at"]
    waited = max((seconds for _count, seconds in queue_figures().values()), default=0.0)
    fresh = last is not None and (now - last).total_seconds() <= max_age
    return {
        "status": "ok" if fresh or waited <= max_age else "error",
        "last_task_finished": last.isoformat() if last else None,
        "oldest_waiting_seconds": round(waited, 1),
    }


def _check_storage() -> dict:
    """Documents can be stored where they are kept (a HEAD on the bucket, or a writable
    folder): filestore's own check, which writes nothing."""
    return {"status": check_storage()}


HEALTH_CHECKS = {"database": _check_database, "worker": _check_worker, "storage": _check_storage}


@login_not_required
@never_cache
def healthz(request):
    """For monitoring and load balancers: each part with its own status, 200 when all
    are ok, 503 otherwise. Public, so it says nothing but states and times (an error's
    text could name a host or a path: it goes to the log, not here)."""
    checks = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            checks[name] = check()
        except Exception:
            logger.exception("Health check %s failed", name)
            checks[name] = {"status": "error"}
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def home(request):
    """Send each user to the home page of their role."""
    role = primary_role(request.user)
    if role is None:
        return redirect("santunan:no_role")
    if role == Role.ADMINISTRATOR and not current_regency().set_up:
        # First run: the administrator chooses the regency before anything else.
        return redirect("villages:setup")
    return redirect(ROLE_HOME[role])


@login_not_required
@require_POST
def choose_language(request):
    """The footer's language buttons: a cookie for this browser (Django's own view)
    and, once logged in, the person's preference for every device."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        set_user_language(user=request.user, language=language)
    return response

