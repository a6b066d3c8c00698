from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("dua-langkah/daftar/", views.enrol, name="enrol"),
    path("dua-langkah/", views.verify, name="verify"),
    path("atur-ulang/<uidb64>/<token>/", views.reset, name="reset"),
    path("atur-ulang/selesai/", views.reset_done, name="reset_done"),
]
