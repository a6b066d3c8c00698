from django.urls import path

from villages import views

app_name = "villages"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("desa/<str:code>/", views.desa_detail, name="desa_detail"),
]
