"""Payouts for the demo: a cash batch and a transfer batch made from approved demo
claims through the finance services, so the demo shows claims scheduled, paid and
with a failed transfer, as a treasurer's working month does. Nothing is written
around the services: each step is what the treasurer's pages do."""

import csv
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.utils import timezone

from santunan.finance.services import (
    create_batch,
    disburse_batch,
    reconcile_bank_result,
    record_cash_payment,
    set_budget,
    sign_batch,
)
from santunan.models import Budget, Claim, PayoutBatch, Status
from santunan.sample_claims import sample_image
from villages.roles import Role

HEAD = ("Drs. Bambang Wijaya, M.Si.", "197501012000031001")


class Command(BaseCommand):
    help = (
        "Buat dua batch pembayaran contoh dari klaim yang disetujui: tunai (satu dibayar) "
        "dan transfer (satu berhasil, satu gagal)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="hanya bila belum ada batch")

    def handle(self, *args, if_empty, **options):
        if if_empty and PayoutBatch.objects.exists():
            self.stdout.write("Sudah ada batch pembayaran; tidak ada yang dibuat.")
            return
        treasurer = _treasurer()
        year = timezone.localdate().year
        if not Budget.objects.filter(year=year).exists():
            set_budget(user=treasurer, year=year, allocation=2_500_000_000)
        approved = Claim.objects.filter(status=Status.APPROVED).order_by("approved_at", "pk")
        approved = approved.exclude(approved_by=treasurer)
        cash = list(approved.filter(payout_method=Claim.PayoutMethod.CASH)[:3])
        transfer = list(approved.filter(payout_method=Claim.PayoutMethod.TRANSFER)[:2])
        if not cash and not transfer:
            self.stdout.write("Belum ada klaim disetujui; tidak ada batch yang dibuat.")
            return
        if cash:
            batch = _signed_and_disbursed(treasurer, cash)
            record_cash_payment(
                user=treasurer,
                claim_id=cash[0].pk,
                paid_on=timezone.localdate(),
                collected_by=cash[0].heir_name,
                identity_checked=True,
                receipt_scan=SimpleUploadedFile(
                    "kuitansi.png", sample_image("KUITANSI"), "image/png"
                ),
            )
            self.stdout.write(f"Batch tunai {batch.number}: {len(cash)} klaim, 1 dibayar.")
        if transfer:
            batch = _signed_and_disbursed(treasurer, transfer)
            reconcile_bank_result(
                user=treasurer, batch_id=batch.pk, upload=_bank_result(transfer)
            )
            self.stdout.write(
                f"Batch transfer {batch.number}: {len(transfer)} klaim, hasil bank dicatat."
            )


def _treasurer():
    """The demo treasurer, or a sample one who cannot log in."""
    User = get_user_model()
    user = User.objects.filter(groups__name=Role.BENDAHARA, is_active=True).order_by("pk").first()
    if user is None:
        user, created = User.objects.get_or_create(
            username="contoh.bendahara", defaults={"first_name": "Bendahara", "last_name": "Contoh"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=Role.BENDAHARA))
    return user


def _signed_and_disbursed(treasurer, claims: list[Claim]) -> PayoutBatch:
    batch = create_batch(user=treasurer, claim_ids=[c.pk for c in claims])
    sign_batch(user=treasurer, batch_id=batch.pk, signer_name=HEAD[0], signer_nip=HEAD[1])
    return disburse_batch(user=treasurer, batch_id=batch.pk)


def _bank_result(claims: list[Claim]) -> SimpleUploadedFile:
    """The bank's answer in the configured layout: the first transfer went through,
    any other bounced, then the control row with the total and the count."""
    layout = [pair.split("=", 1) for pair in settings.BANK_RESULT_COLUMNS]
    fields = [field for field, _header in layout]
    success, failure = settings.BANK_RESULT_SUCCESS[0], settings.BANK_RESULT_FAILURE[0]
    today = timezone.localdate().isoformat()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=settings.BANK_CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([header for _field, header in layout])
    for position, claim in enumerate(claims):
        paid = position == 0
        values = {
            "reference": claim.number,
            "account": claim.bank_account,
            "amount": str(claim.amount),
            "status": success if paid else failure,
            "date": today,
            "bank_reference": f"TRX-{claim.pk:08d}",
            "reason": "" if paid else "Rekening tidak aktif",
        }
        writer.writerow([values[field] for field in fields])
    control = [""] * len(fields)
    control[fields.index("amount")] = str(sum(claim.amount for claim in claims))
    if "account" in fields:
        control[fields.index("account")] = str(len(claims))
    control[0] = settings.BANK_CONTROL_LABEL
    writer.writerow(control)
    return SimpleUploadedFile("hasil-bank.csv", out.getvalue().encode(), "text/csv")
