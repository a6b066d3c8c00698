from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from villages.roles import ROLE_HOME, Role, primary_role
from villages.selectors import current_regency
from villages.services import set_user_language


@login_not_required
@never_cache
def healthz(request):
    """Liveness for load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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

