from django.urls import path

from santunan import views, views_archive, views_practice, views_village

app_name = "santunan"
# Claims are addressed by their database id only: no NIK or name ever appears in a URL.
urlpatterns = [
    path("desa/", views.desa_home, name="desa_home"),
    path("desa/statistik/", views_village.desa_statistics_page, name="desa_statistics"),
    path("desa/klaim/baru/", views.claim_new, name="claim_new"),
    path("desa/klaim/<int:pk>/almarhum/", views.claim_deceased, name="claim_deceased"),
    path("desa/klaim/<int:pk>/ahli-waris/", views.claim_heir, name="claim_heir"),
    path("desa/klaim/<int:pk>/dokumen/", views.claim_documents, name="claim_documents"),
    path("desa/klaim/<int:pk>/periksa/", views.claim_review, name="claim_review"),
    path("desa/klaim/<int:pk>/ajukan/", views.claim_submit, name="claim_submit"),
    path("desa/klaim/<int:pk>/batalkan/", views.claim_cancel, name="claim_cancel"),
    path("klaim/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("klaim/<int:pk>/dokumen/<int:document_pk>/", views.claim_document, name="claim_document"),
    path("klaim/<int:pk>/verifikasi/", views.claim_verify, name="claim_verify"),
    path(
        "klaim/<int:pk>/verifikasi/konfirmasi/",
        views.claim_verify_confirm,
        name="claim_verify_confirm",
    ),
    path("klaim/<int:pk>/kembalikan/", views.claim_return, name="claim_return"),
    path("klaim/<int:pk>/tolak/", views.claim_reject, name="claim_reject"),
    path("klaim/<int:pk>/setujui/", views.claim_approve, name="claim_approve"),
    path(
        "klaim/<int:pk>/kembalikan-ke-verifikator/",
        views.claim_send_back,
        name="claim_send_back",
    ),
    path("verifikasi/", views.verifikator_home, name="verifikator_home"),
    path("verifikasi/pilihan-desa/", views.desa_choices, name="desa_choices"),
    path("persetujuan/", views.approver_home, name="approver_home"),
    path("persetujuan/setujui/", views.approve_many, name="approve_many"),
    path("tanpa-peran/", views.no_role, name="no_role"),
    path("arsip/", views_archive.archive, name="archive"),
    path("arsip/unduh/", views_archive.archive_export, name="archive_export"),
    # Mode latihan: the official's own practice claims, never real work.
    path("latihan/", views_practice.practice_home, name="practice_home"),
    path("latihan/mulai/", views_practice.practice_start, name="practice_start"),
    path("latihan/atur-ulang/", views_practice.practice_reset, name="practice_reset"),
    path("latihan/<int:pk>/", views_practice.practice_claim, name="practice_claim"),
    path("latihan/<int:pk>/cetak/", views_practice.practice_letter, name="practice_letter"),
    path(
        "latihan/<int:pk>/dokumen/<int:document_pk>/",
        views_practice.practice_document,
        name="practice_document",
    ),
    path("latihan/<int:pk>/<slug:action>/", views_practice.practice_act, name="practice_act"),
]
