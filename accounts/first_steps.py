"""The first steps a new account is shown on its home page, per role, until the person
closes the list (UserPreference.first_steps_dismissed_at). Short on purpose: three or
four things to do, each a link to where it is done; the guide explains the rest."""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.help import GUIDES, guide_url
from villages.models import UserPreference
from villages.roles import Role, primary_role


@dataclass(frozen=True)
class Step:
    text: str
    url: str


# (what to do, the URL name where it is done); the role's guide is added last.
STEPS: dict[str, list[tuple[str, str]]] = {
    Role.OPERATOR_DESA: [
        (
            _("Coba satu klaim di mode latihan: tidak ada yang terkirim sungguhan."),
            "santunan:practice_home",
        ),
        (_("Ajukan klaim pertama untuk warga desa Anda yang meninggal."), "santunan:claim_new"),
        (
            _("Lihat statistik desa untuk klaim yang sudah diajukan dan dibayar."),
            "santunan:desa_statistics",
        ),
    ],
    Role.VERIFIKATOR: [
        (_("Coba memeriksa klaim di mode latihan."), "santunan:practice_home"),
        (_("Pastikan data registri (DTKS/DTSEN dan Dukcapil) sudah dimuat."), "dinsos_sync:home"),
        (_("Lihat desa mana yang belum memakai layanan ini."), "reports:usage"),
    ],
    Role.APPROVER: [
        (_("Buka daftar klaim terverifikasi yang menunggu persetujuan."), "santunan:approver_home"),
        (_("Lihat dasbor: jumlah klaim dan janji layanan."), "reports:dashboard"),
        (_("Coba menyetujui klaim di mode latihan."), "santunan:practice_home"),
    ],
    Role.BENDAHARA: [
        (_("Periksa pagu anggaran tahun ini."), "finance:budget"),
        (_("Buat batch pembayaran pertama dari klaim yang disetujui."), "finance:home"),
        (_("Coba alur pembayaran di mode latihan."), "santunan:practice_home"),
    ],
    Role.ADMINISTRATOR: [
        (_("Lengkapi persiapan kantor: identitas, pejabat, kode rekening."), "office:checklist"),
        (
            _("Buat akun operator desa sekaligus dari satu berkas."),
            "admin:accounts_import_officials",
        ),
        (_("Lihat desa mana yang belum memakai layanan ini."), "reports:usage"),
    ],
}


def first_steps(user) -> list[Step]:
    """The steps for the user's home role, or none once they closed the list."""
    role = primary_role(user)
    if role is None:
        return []
    dismissed = (
        UserPreference.objects.filter(user=user, first_steps_dismissed_at__isnull=False)
        .values_list("pk", flat=True)
        .exists()
    )
    if dismissed:
        return []
    steps = [Step(str(text), reverse(url_name)) for text, url_name in STEPS[role]]
    guide = GUIDES[role]
    steps.append(
        Step(str(_("Baca %(guide)s.") % {"guide": guide.title.lower()}), guide_url(guide.slug))
    )
    return steps


def dismiss_first_steps(*, user) -> None:
    with transaction.atomic():
        preference, _created = UserPreference.objects.select_for_update().get_or_create(user=user)
        if preference.first_steps_dismissed_at is None:
            preference.first_steps_dismissed_at = timezone.now()
            preference.save(update_fields=["first_steps_dismissed_at"])
