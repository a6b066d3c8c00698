from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from villages.roles import Role, roles_of
from villages.selectors import current_regency

# Every claim of every state and year, for everyone at Dinas Sosial.
ARCHIVE = ("santunan:archive", _("Arsip klaim"))
# The office's figures and reports, for everyone at Dinas Sosial.
DASHBOARD = ("reports:dashboard", _("Dasbor"))

# Mode latihan (santunan/practice.py), for every official who moves a claim: last, after
# their own work.
PRACTICE = ("santunan:practice_home", _("Mode latihan"))

# The navigation each role sees: its own work first.
NAVIGATION = {
    Role.OPERATOR_DESA: [
        ("santunan:desa_home", _("Klaim desa")),
        ("santunan:claim_new", _("Klaim baru")),
        PRACTICE,
    ],
    Role.VERIFIKATOR: [
        ("santunan:verifikator_home", _("Antrean verifikasi")),
        ("dinsos_sync:home", _("Data registri")),
        ARCHIVE,
        DASHBOARD,
        PRACTICE,
    ],
    Role.APPROVER: [("santunan:approver_home", _("Persetujuan")), ARCHIVE, DASHBOARD, PRACTICE],
    Role.BENDAHARA: [("finance:home", _("Pembayaran")), ARCHIVE, DASHBOARD, PRACTICE],
    Role.ADMINISTRATOR: [
        ("office:checklist", _("Persiapan")),
        ("villages:setup", _("Kabupaten/kota")),
        ("villages:list", _("Wilayah")),
        ARCHIVE,
        DASHBOARD,
        ("admin:index", _("Administrasi")),
    ],
}


def navigation(request):
    items, seen = [], set()
    for role in Role:
        if role not in roles_of(request.user):
            continue
        for url_name, label in NAVIGATION[role]:
            if url_name in seen:
                continue
            seen.add(url_name)
            items.append({"url": reverse(url_name), "label": label})
    return {
        "nav_items": items,
        "office_name": settings.OFFICE_NAME,
        "regency_name": current_regency().name,
    }
