from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config import docs_site, error_pages, metrics, views

admin.site.site_header = _("Administrasi e-Santunan")
admin.site.site_title = "e-Santunan"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("", views.home, name="home"),
    path(
        "akun/masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("akun/token-api/", include("api.page_urls")),
    path("akun/", include("accounts.urls")),
    # Choosing a language must work before login too.
    path("i18n/setlang/", views.choose_language, name="set_language"),
    path("wilayah/", include("villages.urls")),
    path("kantor/", include("office.urls")),
    path("", include("santunan.urls")),
    path("keuangan/", include("santunan.finance.urls")),
    path("cek-surat/", include("santunan.finance.public_urls")),
    path("registri/", include("dinsos_sync.urls")),
    path("dasbor/", include("reports.urls")),
    path("", include("notifications.urls")),
    path("api/v1/", include("api.urls")),
    # The guides and the IT pages (make docs), for everyone, without internet.
    path("panduan/", docs_site.serve, name="docs_site"),
    path("panduan/<path:path>", docs_site.serve, name="docs_site_page"),
    path("admin/", admin.site.urls),
]

# Error pages that render even when the request failed before it had a user, a session
# or a language (config/error_pages.py).
handler400 = error_pages.bad_request
handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error
