"""A claim submitted in the web UI reaches the regency's dashboard through the real
service: the web server and `db_worker` as separate processes (PostgreSQL in CI), the
receiver on 127.0.0.1 down when the claim is submitted and started only after the
worker's first attempt failed. It gets the event once, signed."""

import json

import pytest

from tests.system.crawler import Crawler
from tests.system.stack import Stack, demo_passwords, free_port
from tests.webhooks.receiver import Receiver
from webhooks.signing import verify_signature

pytestmark = [pytest.mark.system]

DELIVERY = (
    "from webhooks.models import Delivery\n"
    "result = list(Delivery.objects.values('status', 'attempts', 'last_error', 'public_id'))"
)


def test_a_submission_in_the_web_ui_reaches_a_receiver_that_was_down_once_and_signed(tmp_path):
    port = free_port()  # the receiver's address, closed for now
    # The receiver is on this machine: its address must be listed to be called.
    stack = Stack(
        tmp_path / "stack", WEBHOOK_RETRY_BACKOFF="2", WEBHOOK_ALLOWED_NETWORKS="127.0.0.1/32"
    )
    receiver = None
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("load_wilayah", "villages/data/batang_wilayah.csv")
        passwords = demo_passwords(stack.manage("create_demo_accounts"))
        stack.manage("generate_claims", "40", "--seed", "11", "--with-documents", "--every-state")
        secret = stack.query(
            "from webhooks.models import Endpoint\n"
            f"result = Endpoint.objects.create(url='http://127.0.0.1:{port}/hook').secret"
        )
        claim = stack.query(
            "from santunan.models import Claim\n"
            "result = Claim.objects.filter(status='draft', desa_id='33.25.01.2001')"
            ".values_list('pk', flat=True).first()"
        )
        stack.start_worker()
        stack.start_web()

        village = Crawler(stack.url)
        village.login("operator", passwords["operator"])
        status, _final = village.post(
            f"/desa/klaim/{claim}/periksa/", f"/desa/klaim/{claim}/ajukan/"
        )
        assert status == 200
        number = stack.query(
            f"from santunan.models import Claim\nresult = Claim.objects.get(pk={claim}).number"
        )

        failed = {}

        def first_attempt_failed() -> bool:
            rows = stack.query(DELIVERY)
            failed.update(rows[0] if rows and rows[0]["attempts"] >= 1 else {})
            return bool(failed)

        stack.wait_until(first_attempt_failed, timeout=120, what="the worker's first attempt")
        assert failed["status"] == "pending" and "tidak terjangkau" in failed["last_error"]

        receiver = Receiver(port).start()
        stack.wait_until(
            lambda: stack.query(DELIVERY)[0]["status"] == "delivered",
            timeout=120,
            what="the delivery once the receiver is up",
        )
        stack.wait_for_worker()
        deliveries = stack.query(DELIVERY)
    finally:
        if receiver is not None:
            receiver.stop()
        stack.stop()

    [request] = receiver.received
    [delivery] = deliveries
    assert delivery["status"] == "delivered" and delivery["attempts"] >= 2
    body = json.loads(request.body)
    assert body["claim_number"] == number and body["new_status"] == "submitted"
    assert body["old_status"] == "draft" and body["desa_code"] == "33.25.01.2001"
    assert request.headers["Santunan-Delivery"] == str(delivery["public_id"]) == body["id"]
    assert verify_signature(secret, request.headers["Santunan-Signature"], request.body)
    tampered = request.body.replace(b'"amount":', b'"amount":9')
    assert not verify_signature(secret, request.headers["Santunan-Signature"], tampered)
