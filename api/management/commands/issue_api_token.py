"""Issue a token for an API client (a machine): prints the key once."""

from django.core.management.base import BaseCommand, CommandError

from api.models import ApiClient
from api.services import TokenError, issue_client_token


class Command(BaseCommand):
    help = "Issue a token for an API client; the key is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("client", help="the client's name, as in the administration")
        parser.add_argument("--name", default="", help="the token's name (default: the client's)")
        parser.add_argument("--days", type=int, default=None, help="days until it expires")

    def handle(self, *args, client: str, name: str, days: int | None, **options):
        found = ApiClient.objects.filter(name=client).first()
        if found is None:
            raise CommandError(f"No API client named {client!r}.")
        try:
            _token, key = issue_client_token(client=found, name=name or found.name, days=days)
        except TokenError as error:
            raise CommandError(error.message) from None
        self.stdout.write(key)
