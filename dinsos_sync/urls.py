app_name = "dinsos_sync"
urlpatterns: list = []
