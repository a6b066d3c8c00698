from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("cek-klaim/", views.claim_status, name="status"),
    path("pesan/status/", views.delivery_report, name="delivery_report"),
    path(
        "klaim/<int:pk>/tolak/pratinjau-sms/",
        views.rejection_preview,
        name="rejection_preview",
    ),
]
