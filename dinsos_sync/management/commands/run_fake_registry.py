from django.core.management.base import BaseCommand

from dinsos_sync.fake_registry import FakeRegistry, load_persons
from villages.models import Desa
from villages.selectors import current_regency


class Command(BaseCommand):
    help = "Serve a registry file over the registry HTTP API on 127.0.0.1 (demo and tests)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--source", choices=["social", "population"], required=True)
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--token", default="", help="bearer token the clients must send")
        parser.add_argument(
            "--slow", type=float, default=0.0, help="seconds to wait before answering"
        )
        parser.add_argument(
            "--fail", type=int, default=0, help="answer 500 to this many requests (-1: to all)"
        )
        parser.add_argument(
            "--rate-limit",
            type=int,
            default=0,
            help="answer 429 to this many requests (-1: to all)",
        )
        parser.add_argument(
            "--retry-after", type=int, default=1, help="Retry-After of a 429, seconds"
        )
        parser.add_argument("--broken-json", action="store_true", help="send truncated JSON")
        parser.add_argument(
            "--trickle", type=float, default=0.0, help="seconds between the bytes of an answer"
        )
        parser.add_argument(
            "--huge", type=float, default=0.0, help="answer this many MB of JSON instead"
        )
        parser.add_argument(
            "--wrong-person", action="store_true", help="answer with another person's record"
        )

    def handle(self, *args, **options):
        persons = load_persons(
            options["path"],
            options["source"],
            known_desa=set(Desa.objects.values_list("code", flat=True)),
            regency_code=current_regency().code,
        )
        server = FakeRegistry(
            persons,
            token=options["token"],
            port=options["port"],
            slow=options["slow"],
            fail=options["fail"],
            rate_limit=options["rate_limit"],
            retry_after=options["retry_after"],
            broken_json=options["broken_json"],
            trickle=options["trickle"],
            huge_mb=options["huge"],
            wrong_person=options["wrong_person"],
        )
        self.stdout.write(
            f"Registri tiruan {options['source']}: {len(persons)} orang di {server.url} "
            "(Ctrl-C untuk berhenti)"
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
