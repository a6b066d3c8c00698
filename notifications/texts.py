"""The wording of each message, in Bahasa Indonesia (heirs and villages read it on any
phone). The administrator may replace a text in KindSetting; placeholders in braces are
filled from the claim. No text may carry a NIK or the deceased's name: the placeholders
offer neither, and a 16-digit number inside a reason is masked before sending."""

import re
import string

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.models import Audience, Kind

DEFAULTS: dict[tuple[str, str], str] = {
    (Kind.SUBMITTED, Audience.HEIR): (
        "Klaim santunan {nomor} diterima {kantor}. Cek status di {tautan} dengan "
        "nomor klaim & 4 angka akhir HP ini."
    ),
    (Kind.RETURNED, Audience.HEIR): (
        "Klaim {nomor} dikembalikan ke desa untuk dilengkapi; desa sedang memperbaikinya. "
        "Status: {tautan}"
    ),
    (Kind.RETURNED, Audience.VILLAGE): (
        "Klaim {nomor} dikembalikan {kantor}: {alasan}. Perbaiki lalu ajukan lagi."
    ),
    (Kind.APPROVED, Audience.HEIR): (
        "Klaim {nomor} disetujui: santunan {jumlah}. Kami kabari lagi saat uang siap. "
        "Status: {tautan}"
    ),
    (Kind.SCHEDULED, Audience.HEIR): "Santunan {nomor} ({jumlah}) dijadwalkan. {cara}",
    (Kind.PAID, Audience.HEIR): (
        "Santunan {nomor} sebesar {jumlah} dibayar {tanggal}. Simpan SMS ini sebagai tanda "
        "terima. {kantor}"
    ),
    (Kind.REJECTED, Audience.HEIR): (
        "Klaim {nomor} ditolak: {alasan}. Tanyakan ke kantor desa atau {kantor}."
    ),
    (Kind.REJECTED, Audience.VILLAGE): "Klaim {nomor} ditolak {kantor}: {alasan}",
    (Kind.PAYMENT_FAILED, Audience.HEIR): (
        "Transfer santunan {nomor} gagal. {kantor} akan menjadwalkan ulang atau desa "
        "menghubungi Anda. Status: {tautan}"
    ),
    (Kind.DEADLINE, Audience.VILLAGE): (
        "Draf klaim santunan #{draf} tinggal {hari} hari sebelum batas pengajuan "
        "({batas}). Lengkapi dan ajukan di e-Santunan."
    ),
    (Kind.DIGEST, Audience.VERIFIER): (
        "{jumlah_klaim} klaim santunan lewat janji layanan hari ini. Buka antrean "
        "verifikasi e-Santunan."
    ),
    (Kind.ACTIVATION, Audience.OFFICIAL): (
        "Akun e-Santunan Anda: {nama_pengguna}. Aktifkan & pilih kata sandi di "
        "{tautan_aktivasi} (sekali pakai, {hari} hari)"
    ),
    # Not replaceable by the administrator's wording (accounts/password_reset.py): the
    # code and the warning must be in it.
    (Kind.PASSWORD_RESET, Audience.ACCOUNT): (
        "Kode atur ulang kata sandi e-Santunan akun {nama_pengguna}: {kode}. Berlaku "
        "{menit} menit, sekali pakai. Jangan berikan kode ini kepada siapa pun."
    ),
}

# What each placeholder means, for the administrator's form.
PLACEHOLDERS = {
    "nomor": _("nomor klaim"),
    "kantor": _("nama kantor"),
    "tautan": _("alamat halaman cek status"),
    "alasan": _("alasan pengembalian/penolakan"),
    "jumlah": _("besaran santunan"),
    "cara": _("cara pengambilan (tunai/transfer)"),
    "tanggal": _("tanggal bayar"),
    "draf": _("nomor draf"),
    "hari": _("sisa hari"),
    "batas": _("batas pengajuan"),
    "jumlah_klaim": _("jumlah klaim"),
    "nama_pengguna": _("nama pengguna akun baru"),
    "tautan_aktivasi": _("tautan aktivasi akun baru"),
    "kode": _("kode atur ulang kata sandi"),
    "menit": _("masa berlaku kode (menit)"),
}

SAMPLE = {
    "nomor": "SKM-2026-000123",
    "kantor": "Dinas Sosial",
    "tautan": "https://santunan.batangkab.go.id/cek-klaim/",
    "alasan": "foto KK buram, unggah ulang",
    "jumlah": "Rp1.000.000",
    "cara": "Ambil tunai di Dinas Sosial, Senin-Jumat 08.00-14.00; bawa KTP asli & KK.",
    "tanggal": "3 Maret 2026",
    "draf": "512",
    "hari": "7",
    "batas": "10 Maret 2026",
    "jumlah_klaim": "4",
    "nama_pengguna": "op.silurah",
    "tautan_aktivasi": "https://santunan.batangkab.go.id/akun/aktivasi/k/ABCD-EFGH-JK/",
    "kode": "482913",
    "menit": "15",
}

# GSM 03.38 basic set (and the extension characters, which take two places).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")
NIK_LIKE = re.compile(r"\d{16}")


def default_text(kind: str, audience: str) -> str:
    return DEFAULTS.get((kind, audience), "")


def placeholders_in(template: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name}


def template_problem(template: str) -> str | None:
    """Why an administrator's text cannot be used, or None."""
    try:
        names = placeholders_in(template)
    except ValueError:
        return str(_("Kurung kurawal { } tidak berpasangan."))
    unknown = sorted(names - set(PLACEHOLDERS))
    if unknown:
        return str(_("Tempat isian tidak dikenal: %(names)s.")) % {"names": ", ".join(unknown)}
    return None


def render(template: str, values: dict[str, str]) -> str:
    """Fill a template; a placeholder without a value becomes empty, and anything that
    looks like a NIK is masked."""
    filled = template.format_map({name: values.get(name, "") for name in PLACEHOLDERS})
    return NIK_LIKE.sub("****", re.sub(r"\s+", " ", filled).strip())


def sms_length(text: str) -> tuple[int, int, bool]:
    """(characters as the network counts them, SMS parts, fits GSM-7). GSM-7: 160 in
    one SMS, 153 per part of a longer one; otherwise UCS-2: 70 and 67."""
    if set(text) <= GSM7_BASIC | GSM7_EXTENDED:
        length = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        parts = 1 if length <= 160 else -(-length // 153)
        return length, parts, True
    length = len(text)
    return length, 1 if length <= 70 else -(-length // 67), False


def cash_instructions() -> str:
    return (
        f"Ambil tunai di {settings.OFFICE_NAME}, {settings.OFFICE_ADDRESS}, "
        f"{settings.NOTIFY_CASH_HOURS}; bawa KTP asli & KK."
    )


def transfer_instructions() -> str:
    return "Uang ditransfer ke rekening Anda; tidak perlu datang."
