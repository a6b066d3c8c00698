"""The public verification page behind the QR code on each printed letter, and the
form that leads there from the code printed under it."""

from django.urls import path

from santunan.finance import views

app_name = "finance_public"
urlpatterns = [
    path("", views.verify_code, name="code"),
    path("<str:token>/", views.verify, name="verify"),
]
