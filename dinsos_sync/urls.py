from django.urls import path

from dinsos_sync import views

app_name = "dinsos_sync"
urlpatterns = [
    path("", views.home, name="home"),
    path("snapshot/<int:pk>/", views.snapshot_detail, name="snapshot"),
    path("snapshot/<int:pk>/petakan/", views.snapshot_map, name="snapshot_map"),
    path("snapshot/<int:pk>/progres/", views.snapshot_progress, name="snapshot_progress"),
    path("snapshot/<int:pk>/baris-ditolak.csv", views.snapshot_problems, name="snapshot_problems"),
    path("periksa-ulang/", views.crosscheck_all, name="crosscheck_all"),
    path("pemetaan-nilai/", views.value_mapping, name="values"),
    path("laporan/<str:report>.<str:fmt>", views.report, name="report"),
    path("templat/<str:source>.<str:fmt>", views.template_download, name="template"),
]
