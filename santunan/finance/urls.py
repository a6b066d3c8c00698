from django.urls import path

from santunan.finance import printing, views

app_name = "finance"
urlpatterns = [
    path("", views.home, name="home"),
    path("jadwalkan/", views.schedule, name="schedule"),
    path("gagal/<int:claim_pk>/jadwalkan-ulang/", views.reopen, name="reopen"),
    path("anggaran/", views.budget, name="budget"),
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
    path("batch/<int:pk>/tanda-tangan/", views.sign, name="sign"),
    path("batch/<int:pk>/cairkan/", views.disburse, name="disburse"),
    path("batch/<int:pk>/tutup/", views.close, name="close"),
    path("batch/<int:pk>/keluarkan/<int:claim_pk>/", views.remove, name="remove"),
    path("batch/<int:pk>/dokumen/", views.render_documents, name="render_documents"),
    path("batch/<int:pk>/dokumen/kemajuan/", views.render_progress, name="render_progress"),
    path("batch/<int:pk>/cetak/surat.pdf", printing.print_letters, name="print_letters"),
    path("batch/<int:pk>/cetak/surat.zip", printing.download_zip, name="letters_zip"),
    path("batch/<int:pk>/dokumen/<str:kind>/", views.document, name="document"),
    path(
        "batch/<int:pk>/dokumen/<str:kind>/<int:claim_pk>/", views.document, name="claim_document"
    ),
    path("batch/<int:pk>/transfer.csv", views.transfer_file, name="transfer_file"),
    path("batch/<int:pk>/hasil-bank/", views.bank_result, name="bank_result"),
    path("batch/<int:pk>/tunai/<int:claim_pk>/", views.cash_payment, name="cash_payment"),
    path("hasil-bank/<int:pk>/", views.bank_result_detail, name="bank_result_detail"),
    path("pembayaran/<int:pk>/kuitansi/", views.receipt_scan, name="receipt_scan"),
    path("pembayaran/<int:pk>/surat-kuasa/", views.power_of_attorney, name="power_of_attorney"),
]
