"""The worker posts each delivery to a real receiver on 127.0.0.1: a receiver that is
down gets the event later, once, signed; failures are retried with a doubling delay
until the limit, then given up; a claim's events arrive in order; two workers never
post the same delivery; no redirect is followed."""

import json
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from santunan.services import verify_claim
from tests.santunan.factories import submitted_claim
from tests.system.stack import free_port
from tests.webhooks.receiver import Receiver
from webhooks.models import Delivery, Endpoint
from webhooks.services import backoff, deliver_webhook, due_delivery_ids, retry_now
from webhooks.signing import verify_signature

pytestmark = pytest.mark.django_db


def time_passes(*deliveries):
    """What waiting for the back-off does: the deliveries become due."""
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_receiver_that_is_down_gets_the_event_later_once_and_signed(operator_a, administrator):
    port = free_port()  # nothing listens there yet
    endpoint = Endpoint.objects.create(url=f"http://127.0.0.1:{port}/hook")
    claim = submitted_claim(operator_a)
    delivery = Delivery.objects.get()

    delay = deliver_webhook(delivery.pk)

    delivery.refresh_from_db()
    assert delay == 60
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "tidak terjangkau" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=55)

    receiver = Receiver(port).start()
    try:
        call_command("send_webhooks")  # not due yet: nothing is posted early
        assert receiver.received == []

        time_passes(delivery)
        call_command("send_webhooks")
        call_command("send_webhooks")  # a second sweep and a retried task add nothing
        assert deliver_webhook(delivery.pk) is None
    finally:
        receiver.stop()

    [request] = receiver.received
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    assert delivery.delivered_at is not None and delivery.last_error == ""
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Santunan-Delivery"] == str(delivery.public_id)
    assert request.headers["Santunan-Event"] == "claim.status_changed"
    body = json.loads(request.body)
    assert body["id"] == str(delivery.public_id) and body["claim_number"] == claim.number
    assert body["new_status"] == "submitted"

    signature = request.headers["Santunan-Signature"]
    assert verify_signature(endpoint.secret, signature, request.body)
    changed = request.body.replace(b'"new_status":"submitted"', b'"new_status":"approved"')
    assert changed != request.body
    assert not verify_signature(endpoint.secret, signature, changed)
    assert not verify_signature("whsec_another", signature, request.body)


def test_failures_are_retried_with_the_same_id_until_the_limit_then_given_up(
    operator_a, receiver, endpoint, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answers = [500, 500, 500]
    submitted_claim(operator_a)
    delivery = Delivery.objects.get()

    assert deliver_webhook(delivery.pk) == 60
    time_passes(delivery)
    assert deliver_webhook(delivery.pk) == 120  # doubled
    time_passes(delivery)
    assert deliver_webhook(delivery.pk) is None
    time_passes(delivery)
    assert deliver_webhook(delivery.pk) is None

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("given_up", 3, 500)
    assert delivery.last_error == "HTTP 500"
    assert len(receiver.received) == 3
    assert {r.headers["Santunan-Delivery"] for r in receiver.received} == {str(delivery.public_id)}
    assert delivery.pk not in due_delivery_ids()


def test_the_delay_doubles_up_to_its_cap_and_honours_retry_after(settings):
    settings.WEBHOOK_RETRY_BACKOFF = 60
    settings.WEBHOOK_MAX_RETRY_DELAY = 21600

    assert [backoff(n) for n in range(1, 11)] == [
        60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600,
    ]  # fmt: skip
    assert backoff(1, retry_after=600) == 600
    assert backoff(1, retry_after=10**9) == 21600


def test_a_receiver_asking_to_wait_is_given_its_retry_after(operator_a, receiver, endpoint):
    receiver.answers, receiver.retry_after = [503], "900"
    submitted_claim(operator_a)

    assert deliver_webhook(Delivery.objects.get().pk) == 900


def test_events_of_one_claim_arrive_in_order(operator_a, verifikator, endpoint, receiver):
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)
    first, second = Delivery.objects.filter(claim=claim).order_by("sequence")
    receiver.answers = [500]

    assert deliver_webhook(first.pk) == 60  # the receiver failed the first event
    assert deliver_webhook(second.pk) is None  # the second waits for it
    assert len(receiver.received) == 1
    second.refresh_from_db()
    assert (second.status, second.attempts) == ("pending", 0)

    time_passes(first)
    call_command("send_webhooks")

    sequences = [json.loads(r.body)["sequence"] for r in receiver.received]
    assert sequences == [1, 1, 2]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_the_next_event_is_handed_to_the_worker_when_the_earlier_is_done(
    operator_a, verifikator, endpoint, receiver
):
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)
    first, second = Delivery.objects.filter(claim=claim).order_by("sequence")

    deliver_webhook(first.pk)

    task = DBTaskResult.objects.get(task_path="webhooks.tasks.deliver_webhook")
    assert task.args_kwargs["args"] == [second.pk]


def test_a_given_up_event_no_longer_holds_back_the_next(
    operator_a, verifikator, endpoint, receiver, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)
    first, second = Delivery.objects.filter(claim=claim).order_by("sequence")
    receiver.answers = [500]

    deliver_webhook(first.pk)
    deliver_webhook(second.pk)

    assert [json.loads(r.body)["sequence"] for r in receiver.received] == [1, 2]
    assert Delivery.objects.get(pk=second.pk).status == "delivered"


def test_retry_now_gives_a_given_up_delivery_another_attempt_and_leaves_delivered_ones(
    operator_a, verifikator, endpoint, receiver, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)
    first, second = Delivery.objects.filter(claim=claim).order_by("sequence")
    receiver.answers = [500]
    deliver_webhook(first.pk)
    deliver_webhook(second.pk)

    assert retry_now(delivery_ids=[first.pk, second.pk]) == 1
    first.refresh_from_db()
    assert first.status == "pending" and first.next_attempt_at <= timezone.now()
    deliver_webhook(first.pk)

    first.refresh_from_db()
    assert (first.status, first.attempts) == ("delivered", 2)
    ids = [r.headers["Santunan-Delivery"] for r in receiver.received]
    assert ids == [str(first.public_id), str(second.public_id), str(first.public_id)]


def test_a_delivery_taken_by_a_live_worker_is_left_alone(operator_a, endpoint, receiver):
    submitted_claim(operator_a)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(sending_since=timezone.now(), attempts=1)

    assert deliver_webhook(delivery.pk) is None
    assert delivery.pk not in due_delivery_ids()
    assert receiver.received == []


def test_a_delivery_left_by_a_worker_that_died_is_posted_again_with_the_same_id(
    operator_a, endpoint, receiver, settings
):
    submitted_claim(operator_a)
    delivery = Delivery.objects.get()
    long_ago = timezone.now() - timedelta(seconds=settings.WEBHOOK_SENDING_LEASE + 1)
    Delivery.objects.filter(pk=delivery.pk).update(sending_since=long_ago, attempts=1)

    assert delivery.pk in due_delivery_ids()
    call_command("send_webhooks")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    [request] = receiver.received
    assert request.headers["Santunan-Delivery"] == str(delivery.public_id)


def test_a_switched_off_endpoint_gets_nothing_until_it_is_switched_on(
    operator_a, endpoint, receiver
):
    submitted_claim(operator_a)
    delivery = Delivery.objects.get()
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False)

    assert deliver_webhook(delivery.pk) is None
    assert due_delivery_ids() == []
    assert receiver.received == []

    Endpoint.objects.filter(pk=endpoint.pk).update(active=True)
    call_command("send_webhooks")
    assert len(receiver.received) == 1


def test_a_redirect_is_not_followed(operator_a, receiver, endpoint):
    elsewhere = Receiver().start()
    try:
        receiver.answers, receiver.location = [302], f"{elsewhere.url}/curi"
        submitted_claim(operator_a)
        delivery = Delivery.objects.get()

        assert deliver_webhook(delivery.pk) == 60
    finally:
        elsewhere.stop()

    assert elsewhere.received == []
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_status_code == 302
    assert "pengalihan tidak diikuti" in delivery.last_error


def test_a_receiver_slower_than_the_timeout_is_a_failed_attempt(
    operator_a, receiver, endpoint, settings
):
    settings.WEBHOOK_TIMEOUT = 0.3
    receiver.slow = 2
    submitted_claim(operator_a)
    delivery = Delivery.objects.get()

    assert deliver_webhook(delivery.pk) == 60

    delivery.refresh_from_db()
    assert delivery.status == "pending" and "batas waktu" in delivery.last_error


@pytest.mark.django_db(transaction=True)
def test_five_workers_at_once_post_a_delivery_once(operator_a, administrator):
    receiver = Receiver().start()
    receiver.slow = 0.5  # the first worker is still waiting when the others look
    try:
        Endpoint.objects.create(url=f"{receiver.url}/hook")
        submitted_claim(operator_a)
        delivery = Delivery.objects.get()
        barrier = threading.Barrier(5)

        def worker():
            try:
                barrier.wait()
                deliver_webhook(delivery.pk)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        receiver.stop()

    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
