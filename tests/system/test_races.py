"""Twenty people — or one person clicking twenty times on a bad connection — doing the
same thing at the same moment, over real HTTP against gunicorn with several processes
and threads (PostgreSQL in CI): one submission, one approval, one signature, one
payment, whatever the timing."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.santunan.factories import png_bytes
from tests.system.crawler import Crawler
from tests.system.stack import Stack, demo_passwords, demo_totp_secrets

pytestmark = [pytest.mark.system]

AT_ONCE = 20


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("races"))
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("load_wilayah", "villages/data/batang_wilayah.csv")
        accounts = stack.manage("create_demo_accounts")
        stack.passwords, stack.secrets = demo_passwords(accounts), demo_totp_secrets(accounts)
        stack.manage("generate_claims", "40", "--seed", "11", "--with-documents", "--every-state")
        stack.manage("generate_payouts")
        stack.start_gunicorn()
        yield stack
    finally:
        stack.stop()


def session(stack, role: str) -> Crawler:
    person = Crawler(stack.url)
    person.login(role, stack.passwords[role], stack.secrets.get(role))
    return person


def form_token(person: Crawler, path: str) -> str:
    status, _kind, page, _final = person.fetch(path)
    assert status == 200, f"{path} answered {status}"
    return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def at_once(action) -> list:
    """Run `action` in AT_ONCE threads released together."""
    start = threading.Barrier(AT_ONCE)

    def run(_n):
        start.wait()
        return action()

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return list(pool.map(run, range(AT_ONCE)))


def one(stack, code: str):
    return stack.query("from santunan.models import *\n" + code)


def test_twenty_submissions_of_one_draft_submit_it_once(stack):
    claim = one(stack, "result = Claim.objects.filter(status='draft', desa_id='33.25.01.2001')"
                       ".values_list('pk', flat=True).first()")
    village = session(stack, "operator")
    token = form_token(village, f"/desa/klaim/{claim}/periksa/")

    answers = at_once(lambda: village.fetch(
        f"/desa/klaim/{claim}/ajukan/", {"csrfmiddlewaretoken": token}
    )[0])

    assert all(status < 500 for status in answers)
    assert one(stack, f"c = Claim.objects.get(pk={claim})\n"
                      "result = [c.status, c.events.filter(action='submit').count(), "
                      "Claim.objects.filter(number=c.number).count()]") == ["submitted", 1, 1]


def test_twenty_approvals_of_one_claim_approve_it_once(stack):
    claim = one(stack, "result = Claim.objects.filter(status='verified')"
                       ".values_list('pk', flat=True).first()")
    head = session(stack, "approver")
    token = form_token(head, f"/klaim/{claim}/")

    answers = at_once(lambda: head.fetch(
        f"/klaim/{claim}/setujui/", {"csrfmiddlewaretoken": token, "expected_status": "verified"}
    )[0])

    assert all(status < 500 for status in answers)
    assert one(stack, f"c = Claim.objects.get(pk={claim})\n"
                      "result = [c.status, c.events.filter(action='approve').count()]"
               ) == ["approved", 1]


def test_twenty_signatures_of_one_batch_sign_it_once(stack):
    finance = session(stack, "bendahara")
    claim = one(stack, "result = Claim.objects.filter(status='approved')"
                       ".values_list('pk', flat=True).first()")
    token = form_token(finance, "/keuangan/")
    status, _kind, _page, landed = finance.fetch(
        "/keuangan/jadwalkan/",
        {"csrfmiddlewaretoken": token, "claims": claim, "confirm_over_budget": "on",
         "over_budget_note": "Uji bersamaan"},
    )
    assert status == 200 and landed.startswith("/keuangan/batch/"), landed
    batch = int(landed.split("/")[3])

    answers = at_once(lambda: finance.fetch(
        f"/keuangan/batch/{batch}/tanda-tangan/",
        {"csrfmiddlewaretoken": token, "signer_name": "Drs. Bambang Wijaya",
         "signer_nip": "197501012000031001"},
    )[0])

    assert all(status < 500 for status in answers)
    assert one(stack, f"b = PayoutBatch.objects.get(pk={batch})\n"
                      "result = [b.status, ClaimEvent.objects.filter(action='batch_signed', "
                      f"claim_id={claim}).count()]") == ["signed", 1]


def test_twenty_cash_payments_of_one_claim_pay_it_once(stack):
    batch, claim, heir = one(stack, "item = BatchItem.objects.filter(active=True, outcome='pending', "
                                    "batch__status='disbursed', batch__payout_method='tunai').first()\n"
                                    "result = [item.batch_id, item.claim_id, item.claim.heir_name]")
    finance = session(stack, "bendahara")
    path = f"/keuangan/batch/{batch}/tunai/{claim}/"
    token = form_token(finance, path)
    scan = png_bytes((400, 600))
    today = stack.query("from django.utils import timezone\nresult = timezone.localdate()")

    def pay():
        boundary = uuid.uuid4().hex
        fields = {"csrfmiddlewaretoken": token, "paid_on": today, "collector": "heir",
                  "collected_by": heir,
                  "identity_checked": "on"}
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ) + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="receipt_scan"; '
            f'filename="kuitansi.png"\r\nContent-Type: image/png\r\n\r\n'
        ).encode() + scan + f"\r\n--{boundary}--\r\n".encode()
        return finance.send(path, body, f"multipart/form-data; boundary={boundary}")

    answers = at_once(pay)

    assert all(status < 500 for status in answers)
    assert one(stack, f"c = Claim.objects.get(pk={claim})\n"
                      "result = [c.status, c.payments.filter(result='success').count(), "
                      "c.events.filter(action='mark_paid').count()]") == ["paid", 1, 1]
