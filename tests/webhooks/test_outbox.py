"""Each claim status change writes one delivery per active endpoint, in the change's own
transaction: none when the change rolls back, none for events that change no status,
none for an endpoint switched off; the payload names the change and the desa and
carries no personal data."""

from datetime import datetime

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from santunan.models import Claim
from santunan.services import (
    attach_document,
    cancel_claim,
    create_claim,
    return_claim,
    submit_claim,
    update_claim,
    verify_claim,
)
from tests.conftest import DESA_A
from tests.santunan.factories import (
    DECEASED_NIK,
    HEIR_NIK,
    claim_data,
    draft_claim,
    submitted_claim,
    upload,
)
from webhooks.models import Delivery, Endpoint
from webhooks.services import body_of

pytestmark = pytest.mark.django_db


def test_a_submission_writes_one_pending_delivery_with_the_change_and_the_desa(
    operator_a, endpoint
):
    claim = submitted_claim(operator_a)

    delivery = Delivery.objects.get()
    assert (delivery.endpoint, delivery.claim, delivery.status) == (endpoint, claim, "pending")
    assert delivery.attempts == 0 and delivery.sequence == 1
    event = claim.events.get(action="submit")
    assert delivery.event == event
    assert delivery.payload == {
        "id": str(delivery.public_id),
        "type": "claim.status_changed",
        "event_id": event.pk,
        "claim_id": claim.pk,
        "claim_number": claim.number,
        "sequence": 1,
        "action": "submit",
        "old_status": "draft",
        "new_status": "submitted",
        "desa_code": DESA_A,
        "amount": 1_000_000,
        "occurred_at": delivery.payload["occurred_at"],
    }
    # ISO 8601 in the office's time zone (Asia/Jakarta), to the microsecond.
    assert delivery.payload["occurred_at"].endswith("+07:00")
    assert datetime.fromisoformat(delivery.payload["occurred_at"]) == event.at


def test_the_payload_carries_no_personal_data(operator_a, verifikator, endpoint):
    claim = submitted_claim(operator_a, payout_method="transfer", bank_name="Bank Jateng",
                            bank_account="1234567890123", bank_account_holder="Siti Aminah")  # fmt: skip
    return_claim(user=verifikator, claim_id=claim.pk, reason="KK Slamet Riyadi buram, NIK salah")

    claim = Claim.objects.get(pk=claim.pk)
    personal = [
        DECEASED_NIK, HEIR_NIK, claim.deceased_kk, "Slamet", "Riyadi", "Siti", "Aminah",
        "081234567890", "6281234567890", "Dukuh Krajan", "1234567890123", "buram",
    ]  # fmt: skip
    for delivery in Delivery.objects.all():
        body = body_of(delivery).decode()
        for value in personal:
            assert value not in body, value


def test_only_status_changes_write_deliveries(operator_a, endpoint):
    claim = create_claim(user=operator_a, data=claim_data())
    update_claim(user=operator_a, claim_id=claim.pk, data={"death_place": "Puskesmas"})
    attach_document(user=operator_a, claim_id=claim.pk, kind="kk", upload=upload())

    assert claim.events.count() == 3
    assert not Delivery.objects.exists()

    cancel_claim(user=operator_a, claim_id=claim.pk, reason="Salah desa, dibuat ulang")

    delivery = Delivery.objects.get()
    assert delivery.payload["new_status"] == "cancelled"
    assert delivery.payload["claim_number"] is None  # a draft has no number yet


def test_each_active_endpoint_gets_its_own_delivery_and_a_switched_off_one_none(
    operator_a, endpoint
):
    second = Endpoint.objects.create(url="https://dasbor.batangkab.go.id/webhook")
    Endpoint.objects.create(url="https://lama.example.org/hook", active=False)

    submitted_claim(operator_a)

    deliveries = Delivery.objects.order_by("endpoint_id")
    assert [d.endpoint for d in deliveries] == [endpoint, second]
    first, other = deliveries
    assert first.public_id != other.public_id
    assert first.payload | {"id": ""} == other.payload | {"id": ""}


def test_the_sequence_counts_the_claims_status_changes(operator_a, verifikator, endpoint):
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KTP buram")
    submit_claim(user=operator_a, claim_id=claim.pk)
    verify_claim(user=verifikator, claim_id=claim.pk)
    other = submitted_claim(operator_a, deceased_nik="3325011203500002")

    ours = Delivery.objects.filter(claim=claim).order_by("sequence")
    assert [(d.sequence, d.payload["new_status"]) for d in ours] == [
        (1, "submitted"),
        (2, "returned"),
        (3, "submitted"),
        (4, "verified"),
    ]
    assert Delivery.objects.get(claim=other).sequence == 1


def test_a_transition_that_rolls_back_writes_no_delivery(operator_a, verifikator, endpoint):
    claim = submitted_claim(operator_a)
    before = Delivery.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        verify_claim(user=verifikator, claim_id=claim.pk)
        raise RuntimeError("something after the transition failed")

    assert Claim.objects.get(pk=claim.pk).status == "submitted"
    assert Delivery.objects.count() == before == 1


def test_the_worker_is_asked_only_once_the_change_commits(
    operator_a, endpoint, django_capture_on_commit_callbacks
):
    claim = draft_claim(operator_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_claim(user=operator_a, claim_id=claim.pk)
        delivery = Delivery.objects.get()
        assert not DBTaskResult.objects.filter(task_path__startswith="webhooks.").exists()
    for callback in callbacks:
        callback()

    task = DBTaskResult.objects.get(task_path="webhooks.tasks.deliver_webhook")
    assert task.args_kwargs == {"args": [delivery.pk], "kwargs": {}}  # the key, no payload
