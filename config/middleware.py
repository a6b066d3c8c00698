"""The interface language: Bahasa Indonesia for everyone unless the person chose
another one in the footer.

Django's LocaleMiddleware follows the browser's Accept-Language, and many office PCs
and phones in Indonesia run an English browser: their users got an English interface
they never asked for. Here the choice is the person's: their saved preference once
logged in, else the cookie set by the footer's language buttons, else Indonesian."""

from django.conf import settings
from django.utils import translation

from villages.selectors import language_of


def chosen_language(request) -> str:
    available = dict(settings.LANGUAGES)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        saved = language_of(user)
        if saved in available:
            return saved
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in available:
        return cookie
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
