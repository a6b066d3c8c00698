"""The administrator's way back in without an open session: lift a login lock from the
server's shell, e.g. when the administrator's own account is the one locked."""

import ipaddress
import logging

from django.core.management.base import BaseCommand, CommandError

from accounts.throttle import unlock_account, unlock_address

logger = logging.getLogger("accounts")


class Command(BaseCommand):
    help = (
        "Buka kunci login: akun USERNAME di semua alamat, dan/atau alamat jaringan yang "
        "ditahan karena banyak percobaan gagal (--address)."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", metavar="USERNAME")
        parser.add_argument("--address", action="append", default=[], metavar="IP")

    def handle(self, *args, usernames, address, **options):
        if not usernames and not address:
            raise CommandError("Sebutkan USERNAME atau --address IP.")
        for ip in address:
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                raise CommandError(f"Bukan alamat IP: {ip!r}.") from None
        for username in usernames:
            count = unlock_account(username=username)
            logger.info("login unlocked: username=%r by=command", username)
            self.stdout.write(f"Akun {username}: kunci dibuka ({count} catatan dihapus).")
        for ip in address:
            count = unlock_address(ip_address=ip)
            logger.info("login unlocked: ip=%s by=command", ip)
            self.stdout.write(f"Alamat {ip}: kunci dibuka ({count} catatan dihapus).")
