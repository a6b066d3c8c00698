from django.core.management.base import BaseCommand, CommandError

from dinsos_sync.services import check_claims, open_claim_ids


class Command(BaseCommand):
    help = "Cross-check claims against the registries (all open claims, or the given ids)."

    def add_arguments(self, parser):
        parser.add_argument("claim_ids", nargs="*", type=int)
        parser.add_argument("--all", action="store_true", help="every open claim")

    def handle(self, *args, **options):
        if options["all"] == bool(options["claim_ids"]):
            raise CommandError("Sebutkan --all atau nomor id klaim.")
        ids = open_claim_ids() if options["all"] else options["claim_ids"]
        summary = check_claims(claim_ids=ids)
        self.stdout.write(
            f"{summary.checked} klaim diperiksa, {summary.findings} temuan, "
            f"{summary.pending} menunggu registri."
        )
        for reason, count in summary.reasons.items():
            self.stdout.write(f"  {count} menunggu: {reason}")
        if summary.unknown_words:
            self.stdout.write(
                f"  {summary.unknown_words} orang dijawab registri dengan kata yang belum "
                "dikenal (kolomnya dibiarkan kosong); petakan di Data registri → Pemetaan "
                "nilai registri."
            )
        if summary.pending:
            raise CommandError("Sebagian registri tidak dapat dihubungi; klaim itu tetap menunggu.")
