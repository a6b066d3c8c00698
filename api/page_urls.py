from django.urls import path

from api.views import tokens

app_name = "api_tokens"
urlpatterns = [
    path("", tokens.tokens, name="list"),
    path("<int:pk>/cabut/", tokens.revoke, name="revoke"),
]
