from django.urls import path

from api import pages

app_name = "api_tokens"
urlpatterns = [
    path("", pages.tokens, name="list"),
    path("<int:pk>/cabut/", pages.revoke, name="revoke"),
]
