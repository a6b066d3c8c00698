from django.urls import path

from santunan import views

app_name = "santunan"
urlpatterns = [
    path("desa/", views.desa_home, name="desa_home"),
    path("verifikasi/", views.verifikator_home, name="verifikator_home"),
    path("persetujuan/", views.approver_home, name="approver_home"),
    path("tanpa-peran/", views.no_role, name="no_role"),
]
