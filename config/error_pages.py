"""The site's own "not found" page in development too.

With DEBUG on, Django answers an unknown address with its technical page (English, the
list of URL patterns) instead of the 404 page users get. `make run` is where a newcomer
first meets the service, so there the site's page is shown as well; a developer who wants
Django's page sets DEBUG_TECHNICAL_404=1. Without DEBUG Django already shows the site's
page, and this middleware does nothing."""

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve
from django.views.defaults import page_not_found


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
