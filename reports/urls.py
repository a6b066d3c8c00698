from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("laporan/", views.reports, name="reports"),
    path("laporan/daftar/", views.runs, name="runs"),
    path("laporan/<int:pk>/unduh/", views.download, name="download"),
    path("pemakaian/", views.usage, name="usage"),
]
