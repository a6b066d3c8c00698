"""Every write to the webhook outbox: a delivery per active endpoint for each claim
status change (inside the change's own transaction), posting it from the worker with
retries and back-off, in order per claim, and the administrator's "retry now".

Delivery is at least once: a worker killed after the receiver answered but before the
answer was recorded posts that delivery again once its lease is over. The delivery id
(header Santunan-Delivery, body "id") is the same on every attempt, so the receiver
drops a copy it already has."""

import json
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from santunan.models import ClaimEvent
from webhooks import signing, transport
from webhooks.models import STATUS_CHANGED, Delivery, DeliveryStatus, Endpoint

logger = logging.getLogger(__name__)


# --- writing the outbox ------------------------------------------------------------------


def is_status_change(event: ClaimEvent) -> bool:
    """A transition from one status to another. Creating a draft (no "from"), and the
    events that do not move the claim (documents, messages, access), are not."""
    return bool(event.from_status and event.to_status) and event.from_status != event.to_status


def claim_sequence(event: ClaimEvent) -> int:
    """Which status change of its claim this is (1, 2, …). The claim row is locked by
    the transition that records the event, so two changes cannot count the same."""
    return (
        ClaimEvent.objects.filter(claim_id=event.claim_id, pk__lte=event.pk)
        .exclude(from_status="")
        .exclude(to_status="")
        .exclude(from_status=F("to_status"))
        .count()
    )


def payload_for(event: ClaimEvent, *, sequence: int, public_id: uuid.UUID) -> dict:
    """What the receiver gets: the change and where it happened, no personal data (no
    NIK, KK, names, phones, addresses, accounts, and no free-text reason, which may
    hold any of them)."""
    claim = event.claim
    return {
        "id": str(public_id),
        "type": STATUS_CHANGED,
        "event_id": event.pk,
        "claim_id": claim.pk,
        "claim_number": claim.number,
        "sequence": sequence,
        "action": event.action,
        "old_status": event.from_status,
        "new_status": event.to_status,
        "desa_code": claim.desa_id,
        "amount": claim.amount,
        "occurred_at": timezone.localtime(event.at).isoformat(),
    }


def queue_for_event(event: ClaimEvent) -> list[Delivery]:
    """Write one delivery per active endpoint for a status change, inside the event's
    own transaction (called by santunan.services.record_event through
    hooks.ON_EVENT); the worker is asked to post them once that transaction commits."""
    if not is_status_change(event):
        return []
    endpoints = list(Endpoint.objects.filter(active=True).order_by("pk"))
    if not endpoints:
        return []
    sequence = claim_sequence(event)
    made = []
    for endpoint in endpoints:
        public_id = uuid.uuid4()
        made.append(
            Delivery.objects.create(
                public_id=public_id,
                endpoint=endpoint,
                event=event,
                claim_id=event.claim_id,
                sequence=sequence,
                event_type=STATUS_CHANGED,
                payload=payload_for(event, sequence=sequence, public_id=public_id),
            )
        )
    ids = [delivery.pk for delivery in made]
    transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])
    return made


def _enqueue(delivery_id: int, run_after=None) -> None:
    from webhooks import tasks

    task = tasks.deliver_webhook
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # left to `send_webhooks`, which tries whatever is due
        task = task.using(run_after=run_after)
    task.enqueue(delivery_id)


# --- posting -------------------------------------------------------------------------------


def body_of(delivery: Delivery) -> bytes:
    """The exact bytes posted and signed: the same on every attempt."""
    return json.dumps(
        delivery.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def headers_for(delivery: Delivery, body: bytes) -> dict[str, str]:
    return {
        "Santunan-Delivery": str(delivery.public_id),
        "Santunan-Event": delivery.event_type,
        "Santunan-Signature": signing.sign(delivery.endpoint.secret, body),
    }


def backoff(attempts: int, retry_after: float | None = None) -> float:
    """WEBHOOK_RETRY_BACKOFF seconds after the first failure, doubled after each
    further one, never more than WEBHOOK_MAX_RETRY_DELAY; a receiver's Retry-After is
    honoured up to the same cap."""
    delay = settings.WEBHOOK_RETRY_BACKOFF * 2 ** max(0, attempts - 1)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, settings.WEBHOOK_MAX_RETRY_DELAY)


def waits_for_earlier(delivery: Delivery) -> bool:
    """Event N+1 of a claim is not posted to an endpoint while N is still pending there
    (it goes once N is delivered or given up)."""
    return Delivery.objects.filter(
        endpoint_id=delivery.endpoint_id,
        claim_id=delivery.claim_id,
        sequence__lt=delivery.sequence,
        status=DeliveryStatus.PENDING,
    ).exists()


def deliver_webhook(delivery_id: int) -> float | None:
    """Post one delivery if it is due, its turn has come and nobody else is posting
    it. Returns the seconds until it should be tried again, or None when this call has
    nothing more to do (delivered, given up, taken by another worker, or waiting for an
    earlier event of its claim, which hands over when it is done).

    The row is taken (sending_since = now, attempts + 1) in its own committed
    transaction before the HTTP call, under a row lock that a second worker skips
    (skip_locked), and a taken row is left alone until WEBHOOK_SENDING_LEASE passes:
    two workers never post the same delivery at once."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None or not delivery.endpoint.active:
            return None
        lease = timedelta(seconds=settings.WEBHOOK_SENDING_LEASE)
        if delivery.sending_since and delivery.sending_since > now - lease:
            return None
        if delivery.next_attempt_at > now:
            return (delivery.next_attempt_at - now).total_seconds()
        if waits_for_earlier(delivery):
            return None
        delivery.sending_since = now
        delivery.attempts += 1
        delivery.save(update_fields=["sending_since", "attempts"])
    body = body_of(delivery)
    outcome = transport.post(
        delivery.endpoint.url,
        body=body,
        headers=headers_for(delivery, body),
        timeout=settings.WEBHOOK_TIMEOUT,
    )
    return _record_outcome(delivery, outcome)


def _record_outcome(taken: Delivery, outcome: transport.Outcome) -> float | None:
    now = timezone.now()
    with transaction.atomic():
        # Only the attempt that took the row records its answer (a later attempt after
        # an expired lease owns it now).
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=taken.pk, status=DeliveryStatus.PENDING, sending_since=taken.sending_since)
            .first()
        )
        if delivery is None:
            return None
        delivery.sending_since = None
        delivery.last_status_code = outcome.status_code
        delivery.last_error = "" if outcome.ok else outcome.error[:300]
        delay = None
        if outcome.ok:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.GIVEN_UP
        else:
            delay = backoff(delivery.attempts, outcome.retry_after)
            delivery.next_attempt_at = now + timedelta(seconds=delay)
        delivery.save()
    if delay is None:
        _hand_over(delivery)
    else:
        logger.info(
            "webhook delivery %s: attempt %s failed (%s), next in %.0f s",
            delivery.pk, delivery.attempts, delivery.last_error, delay,
        )  # fmt: skip
    return delay


def _hand_over(done: Delivery) -> None:
    """Queue the claim's next event for this endpoint, which waited for this one."""
    following = (
        Delivery.objects.filter(
            endpoint_id=done.endpoint_id,
            claim_id=done.claim_id,
            sequence__gt=done.sequence,
            status=DeliveryStatus.PENDING,
        )
        .order_by("sequence")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        _enqueue(following)


def due_delivery_ids(now=None) -> list[int]:
    """Deliveries a sweep should try now, in each claim's order: pending and due, or
    left taken by a worker that died (lease over), for active endpoints."""
    now = now or timezone.now()
    lease = now - timedelta(seconds=settings.WEBHOOK_SENDING_LEASE)
    pending = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, endpoint__active=True, next_attempt_at__lte=now
    )
    due = pending.filter(sending_since__isnull=True) | pending.filter(sending_since__lte=lease)
    return list(due.order_by("endpoint_id", "claim_id", "sequence").values_list("pk", flat=True))


# --- the administrator's actions ---------------------------------------------------------


def retry_now(*, delivery_ids: list[int]) -> int:
    """Make deliveries that are not delivered due now and queue them. A given-up
    delivery gets one more attempt (its attempts already reach the limit)."""
    now = timezone.now()
    with transaction.atomic():
        rows = Delivery.objects.filter(pk__in=delivery_ids).exclude(status=DeliveryStatus.DELIVERED)
        ids = list(rows.values_list("pk", flat=True))
        count = rows.update(status=DeliveryStatus.PENDING, next_attempt_at=now)
        transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])
    return count


def rotate_secret(*, endpoint_id: int) -> Endpoint:
    """A new secret; deliveries signed from now on use it (the receiver must be given
    it at the same time)."""
    from webhooks.models import new_secret

    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().get(pk=endpoint_id)
        endpoint.secret = new_secret()
        endpoint.save(update_fields=["secret"])
    return endpoint


def resume_endpoint(*, endpoint_id: int) -> None:
    """An endpoint switched back on: queue what waited for it, in each claim's order
    (the worker skips a later event until the earlier one is done)."""
    ids = list(
        Delivery.objects.filter(endpoint_id=endpoint_id, status=DeliveryStatus.PENDING)
        .order_by("claim_id", "sequence")
        .values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])
