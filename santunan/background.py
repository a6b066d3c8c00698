"""Background work (django-tasks: letters, registry checks, registry imports) as the
administration shows it.

The task table belongs to django_tasks_db, whose admin is English and whose model
options cannot be changed without a migration in that third-party app. A proxy model
here names it in Bahasa Indonesia and lets santunan/admin.py register an Indonesian,
read-only admin in place of the library's. Imported by santunan/models.py so Django
registers it with this app."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

# The project's tasks by their import path, as a person would name them.
TASK_LABELS = {
    "santunan.finance.tasks.render_batch_documents": _("Membuat dokumen batch pembayaran"),
    "dinsos_sync.tasks.check_claim": _("Memeriksa klaim di registri"),
    "dinsos_sync.tasks.check_open_claims": _("Memeriksa ulang semua klaim terbuka"),
    "dinsos_sync.tasks.import_registry_file": _("Memuat berkas registri"),
    "dinsos_sync.tasks.watch_load": _("Mengawasi pemuatan berkas registri"),
    "notifications.tasks.deliver_message": _("Mengirim pesan ke ahli waris atau desa"),
    "webhooks.tasks.deliver_webhook": _("Mengabarkan perubahan status ke sistem lain"),
    "reports.tasks.build_report_task": _("Menyusun laporan"),
}


class BackgroundTask(DBTaskResult):
    class Meta:
        proxy = True
        verbose_name = _("tugas latar")
        verbose_name_plural = _("tugas latar")

    def __str__(self) -> str:
        return str(TASK_LABELS.get(self.task_path, self.task_path))
