from django.urls import path

from villages import views, views_setup

app_name = "villages"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("desa/<str:code>/", views.desa_detail, name="desa_detail"),
    path("pengaturan/", views_setup.setup, name="setup"),
    path("pengaturan/pasang/", views_setup.setup_confirm, name="setup_confirm"),
    path("pengaturan/kantor/", views_setup.office_identity, name="office_identity"),
]
