"""The site's URLs plus one view that fails, to see the 500 page as users see it."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


@login_not_required
def failing_view(request):
    raise RuntimeError("secret detail: NIK 3325011203509820 in a traceback")


urlpatterns = [path("rusak/", failing_view), *site_urlpatterns]
