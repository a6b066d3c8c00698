from django.urls import path

from santunan.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.home, name="home"),
]
