"""Each claim event queues exactly its messages, in the event's own transaction; a kind
switched off queues nothing; a recipient without a usable number is skipped, and the
claim's timeline says so."""

import pytest
from django.utils import timezone

from notifications.models import Audience, Kind, KindSetting, Message, State
from notifications.services import deliver_message, pending_message_ids
from santunan.finance.services import create_batch, set_budget
from santunan.models import Claim, ClaimEvent
from santunan.services import (
    approve_claim,
    reject_claim,
    return_claim,
    submit_claim,
    update_claim,
    verify_claim,
)
from santunan.templatetags.santunan_tags import ACTION_LABELS
from tests.finance.test_payments import pay
from tests.notifications.conftest import give_phone
from tests.santunan.factories import DECEASED_NIK, HEIR_NIK, submitted_claim

pytestmark = pytest.mark.django_db


def messages_of(claim):
    return sorted(
        Message.objects.filter(claim=claim).values_list("kind", "audience", "state"),
    )


def test_submitting_queues_one_message_to_the_heir_with_the_number_and_the_status_link(
    operator_a, village_phone
):
    claim = submitted_claim(operator_a)

    message = Message.objects.get(claim=claim)
    assert (message.kind, message.audience, message.state) == ("submitted", "heir", "queued")
    assert message.phone == "+6281234567890"
    assert message.channel == "sms"
    assert claim.number in message.text and "/cek-klaim/" in message.text
    # Neither the NIK nor the deceased's name ever goes into a message.
    assert DECEASED_NIK not in message.text and HEIR_NIK not in message.text
    assert "Slamet" not in message.text


def test_returning_tells_the_village_the_reason_and_the_heir_that_the_village_fixes_it(
    operator_a, village_phone, verifikator
):
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram, unggah ulang")

    assert messages_of(claim) == [
        ("returned", "heir", "queued"),
        ("returned", "village", "queued"),
        ("submitted", "heir", "queued"),
    ]
    village = Message.objects.get(claim=claim, kind="returned", audience="village")
    assert "Foto KK buram" in village.text and village.phone == "+6281311112222"
    assert village.user == operator_a


def test_a_claim_returned_corrected_and_submitted_again_tells_the_heir_diterima_only_once(
    operator_a, village_phone, verifikator, gateway
):
    claim = submitted_claim(operator_a)
    for round_ in range(2):
        return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram, unggah ulang")
        update_claim(user=operator_a, claim_id=claim.pk, data={"death_place": f"Rumah {round_}"})
        submit_claim(user=operator_a, claim_id=claim.pk)

    assert ClaimEvent.objects.filter(claim=claim, action="submit").count() == 3
    [received] = Message.objects.filter(claim=claim, kind="submitted")
    # Each return is news of its own: both reach the heir and the village.
    assert Message.objects.filter(claim=claim, kind="returned", audience="heir").count() == 2
    for message_id in pending_message_ids():
        deliver_message(message_id)
    diterima = [entry for entry in gateway.accepted() if "diterima" in entry["text"]]
    assert [entry["reference"] for entry in diterima] == [received.reference]


def test_rejecting_tells_the_heir_and_the_village_the_reason(
    operator_a, village_phone, verifikator
):
    claim = submitted_claim(operator_a)
    reject_claim(user=verifikator, claim_id=claim.pk, reason="Bukan warga Kabupaten Batang")

    rejected = Message.objects.filter(claim=claim, kind="rejected")
    assert sorted(rejected.values_list("audience", flat=True)) == ["heir", "village"]
    assert all("Bukan warga" in m.text for m in rejected)


def test_approving_queues_the_amount_to_the_heir(operator_a, verifikator, approver):
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)
    approve_claim(user=approver, claim_id=claim.pk)

    approved = Message.objects.get(claim=claim, kind="approved")
    assert approved.audience == "heir" and "Rp1.000.000" in approved.text
    # Verifying alone tells nobody anything.
    assert Message.objects.filter(claim=claim).count() == 2


def test_scheduling_and_paying_cash_tell_the_heir_where_to_collect_and_then_give_a_receipt(
    approve,
    bendahara,
):
    from tests.finance.test_payments import disbursed

    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    claim = approve()
    disbursed(create_batch(user=bendahara, claim_ids=[claim.pk]), bendahara)
    scheduled = Message.objects.get(claim=claim, kind="scheduled")
    assert "KTP asli" in scheduled.text and "Dinas Sosial" in scheduled.text

    pay(bendahara, claim)

    paid = Message.objects.get(claim=claim, kind="paid")
    assert paid.audience == "heir" and "tanda terima" in paid.text
    assert Message.objects.filter(claim=claim, kind="paid").count() == 1


def test_a_kind_switched_off_queues_nothing(operator_a, village_phone, verifikator):
    KindSetting.objects.create(kind=Kind.RETURNED, enabled=False)
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram")

    assert not Message.objects.filter(claim=claim, kind="returned").exists()
    assert Message.objects.filter(claim=claim, kind="submitted").count() == 1


def test_a_village_without_a_phone_is_skipped_and_the_timeline_says_so(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram")

    skipped = Message.objects.get(claim=claim, kind="returned", audience=Audience.VILLAGE)
    assert skipped.state == State.SKIPPED
    event = ClaimEvent.objects.get(claim=claim, action="message_skipped")
    assert "belum mencatat nomor HP" in event.reason
    assert event.data["summary"] == "Klaim dikembalikan ke desa → operator desa (SMS)"


def test_every_operator_of_the_village_with_a_phone_gets_the_village_message(
    operator_a, village_phone, verifikator
):
    from tests.conftest import DESA_A, make_user
    from villages.models import Desa
    from villages.services import assign_operator

    second = make_user("operator_a2")
    assign_operator(user=second, desa=Desa.objects.get(pk=DESA_A))
    give_phone(second, "+6281399998888")
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram")

    village = Message.objects.filter(claim=claim, kind="returned", audience="village")
    assert sorted(village.values_list("phone", flat=True)) == ["+6281311112222", "+6281399998888"]


def test_an_old_claim_with_a_local_number_is_sent_to_its_e164_form(operator_a):
    claim = submitted_claim(operator_a)
    # Stored before numbers were normalised at entry.
    Claim.objects.filter(pk=claim.pk).update(heir_phone="0812-3456-7890")
    from notifications.services import recipients

    claim.refresh_from_db()
    assert recipients(claim, "heir")[0].phone == "+6281234567890"


def test_every_timeline_action_has_an_indonesian_label():
    import re
    from pathlib import Path

    from notifications import services

    root = Path(__file__).resolve().parents[2]
    written = set()
    for path in [*root.glob("santunan/**/*.py"), *root.glob("dinsos_sync/**/*.py")]:
        if "management" not in path.parts:  # argparse's action="store_true" is not ours
            written |= set(re.findall(r'action="([a-z_]+)"', path.read_text()))
    written |= {t.name for t in Claim._meta.get_field("status").get_all_transitions(Claim)}
    written |= {services.SENT, services.DELIVERED, services.FAILED, services.SKIPPED}
    missing = sorted(action for action in written if action not in ACTION_LABELS)
    assert written and not missing, missing
