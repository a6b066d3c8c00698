from django.urls import path

from accounts import views, views_activation, views_first_steps

app_name = "accounts"
urlpatterns = [
    path("dua-langkah/daftar/", views.enrol, name="enrol"),
    path("dua-langkah/", views.verify, name="verify"),
    path("atur-ulang/<uidb64>/<token>/", views.reset, name="reset"),
    path("atur-ulang/selesai/", views.reset_done, name="reset_done"),
    path("lupa-kata-sandi/", views.forgot, name="forgot"),
    path("lupa-kata-sandi/kode/", views.forgot_code, name="forgot_code"),
    path("aktivasi/", views_activation.activate, name="activate"),
    path("aktivasi/k/<str:code>/", views_activation.activate_link, name="activate_link"),
    path("langkah-pertama/tutup/", views_first_steps.dismiss, name="dismiss_first_steps"),
]
