import secrets
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.policy import SECOND_FACTOR_ROLES
from villages.models import Desa
from villages.roles import Role
from villages.selectors import current_regency
from villages.services import assign_operator

DEMO_DESA = "33.25.01.2001"  # Silurah, Kec. Wonotunggal
DEMO_ACCOUNTS = [
    ("operator", Role.OPERATOR_DESA, "Operator {desa}"),
    ("verifikator", Role.VERIFIKATOR, "Verifikator Dinsos"),
    ("approver", Role.APPROVER, "Kepala Bidang Linjamsos"),
    ("bendahara", Role.BENDAHARA, "Bendahara Pengeluaran"),
    ("admin", Role.ADMINISTRATOR, "Administrator"),
]


class Command(BaseCommand):
    help = "Buat satu akun demo per peran (hanya bila DEBUG aktif dan akun belum ada)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Akun demo hanya dibuat bila DEBUG aktif.")
        desa = demo_desa()
        if desa is None:
            regency = current_regency()
            raise CommandError(
                f"Belum ada desa {regency.name}; jalankan dulu setup_regency {regency.code}."
            )
        User = get_user_model()
        created, secrets_b32 = [], []
        with transaction.atomic():
            for username, role, full_name in DEMO_ACCOUNTS:
                if User.objects.filter(username=username).exists():
                    continue
                password = secrets.token_urlsafe(9)
                first, _sep, last = full_name.format(desa=desa).partition(" ")
                user = User.objects.create_user(
                    username=username,
                    password=password,
                    first_name=first,
                    last_name=last,
                    is_staff=role == Role.ADMINISTRATOR,
                    is_superuser=role == Role.ADMINISTRATOR,
                )
                user.groups.add(Group.objects.get(name=role))
                if role == Role.OPERATOR_DESA:
                    assign_operator(user=user, desa=desa)
                if role in SECOND_FACTOR_ROLES:
                    # Enrolled already, so the demo (and the whole-system tests, which
                    # compute the codes from this secret) can log in without a phone.
                    device = TOTPDevice.objects.create(
                        user=user, name="Autentikator demo", confirmed=True
                    )
                    secrets_b32.append((username, b32encode(device.bin_key).decode()))
                created.append((username, password, role.label))
        if not created:
            self.stdout.write("Akun demo sudah ada; tidak ada yang dibuat.")
            return
        self.stdout.write("Akun demo dibuat (kata sandi hanya ditampilkan sekali ini):")
        for username, password, label in created:
            self.stdout.write(f"  {username:<12} {password:<14} {label}")
        if secrets_b32:
            self.stdout.write(
                "Kunci TOTP verifikasi dua langkah (masukkan ke aplikasi autentikator;"
                " hanya ditampilkan sekali ini):"
            )
            for username, secret in secrets_b32:
                self.stdout.write(f"  {username}={secret}")


def demo_desa() -> Desa | None:
    """Silurah in Batang; in another regency, its first village."""
    regency = current_regency()
    villages = Desa.objects.filter(code__startswith=regency.code + ".", is_active=True)
    return villages.filter(pk=DEMO_DESA).first() or villages.order_by("code").first()
