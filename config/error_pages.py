"""The error pages (400, 403, 404, 500 and a refused form token), and the site's own
"not found" page in development too.

Error pages render whatever state the request is in. A request can fail before the
middleware chain gave it a user, a session, a form token or a language: a foreign Host
header is refused by CommonMiddleware, before authentication. Django's handlers render
with the request's context processors, and the navigation reads `request.user`; the
page then failed in turn and a harmless 400 became a 500 with two tracebacks. The
handlers here fill in what the chain did not get to (an anonymous user, the language
of the cookie or the default) and then call Django's own.

With DEBUG on, Django answers an unknown address with its technical page (English, the
list of URL patterns) instead of the 404 page users get. `make run` is where a newcomer
first meets the service, so there the site's page is shown as well; a developer who wants
Django's page sets DEBUG_TECHNICAL_404=1. Without DEBUG Django already shows the site's
page, and this middleware does nothing."""

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation
from django.views import csrf, defaults


def _language(request) -> str:
    """The request's language, or the footer's cookie, or the default: no database, as
    the 500 page may be shown because the database is gone."""
    available = dict(settings.LANGUAGES)
    for language in (
        getattr(request, "LANGUAGE_CODE", None),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
    ):
        if language in available:
            return language
    return settings.LANGUAGE_CODE


def _whatever_the_request_got(view):
    @wraps(view)
    def handler(request, *args, **kwargs):
        if not hasattr(request, "user"):
            from django.contrib.auth.models import AnonymousUser

            request.user = AnonymousUser()
        with translation.override(_language(request)):
            return view(request, *args, **kwargs)

    return handler


# handler400 … handler500 (config/urls.py) and CSRF_FAILURE_VIEW (config/settings.py).
bad_request = _whatever_the_request_got(defaults.bad_request)
permission_denied = _whatever_the_request_got(defaults.permission_denied)
page_not_found = _whatever_the_request_got(defaults.page_not_found)
server_error = _whatever_the_request_got(defaults.server_error)
csrf_failure = _whatever_the_request_got(csrf.csrf_failure)


def _shows_technical_pages() -> bool:
    return settings.DEBUG and not settings.DEBUG_TECHNICAL_404


class NotFoundPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and _shows_technical_pages() and _unknown(request):
            # No pattern matched: Django's resolver answered before any view ran, with
            # its technical page. (A slash that was missing is redirected, not a 404.)
            return page_not_found(request, Resolver404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and _shows_technical_pages():
            return page_not_found(request, exception)
        return None


def _unknown(request) -> bool:
    try:
        resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return True
    return False
