"""The worker sends each message exactly once against the fake gateway on 127.0.0.1:
retries 5xx and 429 with back-off, never retries an invalid number, and a second
worker, a retried task or a worker that died after the gateway answered sends nothing
more. Delivery reports must be signed, and a repeated one changes nothing."""

import json

import pytest
from django.utils import timezone

from notifications import gateway as contract
from notifications.models import KindSetting, Message, State
from notifications.services import deliver_message, pending_message_ids
from santunan.models import ClaimEvent
from tests.notifications.conftest import SECRET
from tests.santunan.factories import submitted_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(operator_a, gateway):
    claim = submitted_claim(operator_a)
    return Message.objects.get(claim=claim, kind="submitted")


def sent_copies(gateway, message) -> int:
    return sum(1 for entry in gateway.accepted() if entry["reference"] == message.reference)


def test_a_message_reaches_the_gateway_with_its_idempotency_key_sender_and_text(gateway, message):
    assert deliver_message(message.pk) is None

    message.refresh_from_db()
    assert message.state == State.SENT and message.attempts == 1 and message.gateway_id
    [entry] = gateway.accepted()
    assert entry["reference"] == message.reference
    assert entry["to"] == "+6281234567890" and entry["channel"] == "sms"
    assert entry["sender"] == "DINSOS-BTG" and entry["text"] == message.text
    event = ClaimEvent.objects.get(claim=message.claim, action="message_sent")
    assert event.actor is None and event.data["message"] == message.pk


def test_500_twice_then_200_delivers_one_message_after_three_attempts(gateway, message):
    gateway.switches["fail_500"] = 2

    assert deliver_message(message.pk) is not None  # retry later
    message.refresh_from_db()
    assert message.state == State.QUEUED and "500" in message.error
    assert deliver_message(message.pk) is not None
    assert deliver_message(message.pk) is None

    message.refresh_from_db()
    assert message.state == State.SENT and message.attempts == 3
    assert sent_copies(gateway, message) == 1
    assert ClaimEvent.objects.filter(claim=message.claim, action="message_sent").count() == 1


def test_a_429_waits_at_least_its_retry_after(gateway, message, settings):
    settings.NOTIFY_RETRY_BACKOFF = 0
    gateway.switches["fail_429"] = 1

    assert deliver_message(message.pk) >= 1  # Retry-After: 1
    message.refresh_from_db()
    assert message.state == State.QUEUED and message.next_attempt_at is not None


def test_a_message_not_yet_due_is_not_sent_early(gateway, message, settings):
    settings.NOTIFY_RETRY_BACKOFF = 600
    gateway.switches["fail_500"] = 1
    deliver_message(message.pk)

    assert deliver_message(message.pk) > 0
    assert message.pk not in pending_message_ids()
    assert sent_copies(gateway, message) == 0


def test_a_gateway_that_is_down_is_retried_until_the_attempts_run_out(message, settings):
    settings.NOTIFY_GATEWAY_URL = "http://127.0.0.1:9"  # nothing listens on discard
    settings.NOTIFY_RETRY_BACKOFF = 0
    settings.NOTIFY_MAX_ATTEMPTS = 2

    assert deliver_message(message.pk) is not None
    assert deliver_message(message.pk) is None

    message.refresh_from_db()
    assert message.state == State.FAILED and message.attempts == 2
    assert ClaimEvent.objects.filter(claim=message.claim, action="message_failed").exists()


def test_an_invalid_number_fails_at_once_is_not_retried_and_shows_on_the_claim(
    gateway, message, client_for, verifikator
):
    Message.objects.filter(pk=message.pk).update(phone="+6281234560000")

    assert deliver_message(message.pk) is None
    assert deliver_message(message.pk) is None

    message.refresh_from_db()
    assert message.state == State.FAILED and message.attempts == 1
    assert "invalid_number" in message.error
    page = client_for(verifikator).get(f"/klaim/{message.claim_id}/")
    assert "Pesan gagal dikirim" in page.content.decode()


def test_a_second_worker_or_a_retried_task_sends_nothing_more(gateway, message):
    deliver_message(message.pk)
    deliver_message(message.pk)
    deliver_message(message.pk)

    assert sent_copies(gateway, message) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_message_taken_by_a_live_worker_is_left_alone(gateway, message):
    Message.objects.filter(pk=message.pk).update(
        state=State.SENDING, sending_since=timezone.now(), attempts=1
    )

    assert deliver_message(message.pk) is None
    assert gateway.entries == []


def test_after_a_worker_died_past_the_gateway_the_next_run_asks_before_sending(
    gateway, message, settings
):
    # The gateway accepted it, then the worker died before recording "sent".
    contract.send(reference=message.reference, to=message.phone, channel="sms", text=message.text)
    Message.objects.filter(pk=message.pk).update(
        state=State.SENDING, attempts=1, sending_since=timezone.now()
    )
    settings.NOTIFY_SENDING_LEASE = 0

    assert message.pk in pending_message_ids()
    deliver_message(message.pk)

    message.refresh_from_db()
    assert message.state == State.SENT and message.gateway_id == "fake-1"
    assert sent_copies(gateway, message) == 1
    assert [e["event"] for e in gateway.entries] == ["accepted", "lookup"]


def test_the_gateway_itself_never_sends_one_reference_twice(gateway, message):
    for _ in range(2):
        outcome = contract.send(
            reference=message.reference, to=message.phone, channel="sms", text=message.text
        )
        assert outcome.ok and outcome.gateway_id == "fake-1"
    assert sent_copies(gateway, message) == 1


def test_a_kind_switched_off_after_queueing_is_not_sent(gateway, message):
    KindSetting.objects.create(kind="submitted", enabled=False)

    deliver_message(message.pk)

    message.refresh_from_db()
    assert message.state == State.SKIPPED and gateway.entries == []


def test_whatsapp_is_used_where_configured(operator_a, gateway):
    from notifications.models import RecipientChannel

    RecipientChannel.objects.create(phone="+6281234567890", channel="whatsapp")
    message = Message.objects.get(claim=submitted_claim(operator_a))
    deliver_message(message.pk)

    assert gateway.accepted()[0]["channel"] == "whatsapp"


# --- delivery reports --------------------------------------------------------------------


def post_report(client, report: dict, *, secret: str | None = SECRET):
    body = json.dumps(report).encode()
    headers = {"HTTP_X_SIGNATURE": contract.sign(body, secret)} if secret else {}
    return client.post("/pesan/status/", body, content_type="application/json", **headers)


def test_a_signed_report_marks_the_message_delivered_and_a_repeat_changes_nothing(
    client, gateway, message
):
    deliver_message(message.pk)
    message.refresh_from_db()
    report = {"id": message.gateway_id, "reference": message.reference, "status": "delivered"}

    first = post_report(client, report)
    message.refresh_from_db()
    delivered_at = message.delivered_at
    second = post_report(client, report)

    assert first.json() == {"changed": True} and second.json() == {"changed": False}
    message.refresh_from_db()
    assert message.state == State.DELIVERED and message.delivered_at == delivered_at
    assert ClaimEvent.objects.filter(claim=message.claim, action="message_delivered").count() == 1


def test_an_unsigned_or_wrongly_signed_report_is_refused(client, gateway, message):
    deliver_message(message.pk)
    report = {"reference": message.reference, "status": "failed"}

    assert post_report(client, report, secret=None).status_code == 403
    assert post_report(client, report, secret="not-the-secret").status_code == 403
    message.refresh_from_db()
    assert message.state == State.SENT


def test_a_report_of_failure_marks_the_message_failed_on_the_claim(client, gateway, message):
    deliver_message(message.pk)
    post_report(client, {"reference": message.reference, "status": "failed", "error": "absent"})

    message.refresh_from_db()
    assert message.state == State.FAILED and message.error == "absent"
    assert ClaimEvent.objects.get(claim=message.claim, action="message_failed").reason == "absent"
