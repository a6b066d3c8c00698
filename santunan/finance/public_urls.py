"""The public verification page behind the QR code on each printed letter."""

from django.urls import path

from santunan.finance import views

app_name = "finance_public"
urlpatterns = [path("<str:token>/", views.verify, name="verify")]
