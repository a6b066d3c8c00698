"""The reject form shows the heir's SMS before the claim is rejected: the very text the
outbox then holds, built by the same code. A reason typed with its own full stop is
not followed by a second one in any message."""

import pytest
from django.urls import reverse

from notifications.models import Kind, KindSetting, Message
from notifications.services import preview_message, spoken_reason
from santunan.models import Claim
from santunan.services import reject_claim, return_claim
from tests.santunan.factories import submitted_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def preview_page(client, claim: Claim, reason: str) -> str:
    url = reverse("notifications:rejection_preview", args=[claim.pk])
    return client.post(url, {"reason": reason}).content.decode()


def test_the_preview_is_the_sms_the_heir_then_receives(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    reason = "Bukan warga Kabupaten Batang (KK dari Pekalongan)."

    page = preview_page(client_for(verifikator), claim, reason)
    reject_claim(user=verifikator, claim_id=claim.pk, reason=reason)

    sent = Message.objects.get(claim=claim, kind=Kind.REJECTED, audience="heir").text
    assert f'<blockquote class="sms-preview">{sent}</blockquote>' in page
    assert sent.startswith(f"Klaim {claim.number} ditolak: Bukan warga Kabupaten Batang")
    assert "(1 SMS)" in page


@pytest.mark.parametrize(
    "typed", ["Foto KK buram.", "Foto KK buram..", "Foto KK buram. ", "Foto KK buram;"]
)
def test_a_reason_ending_in_a_full_stop_gets_no_second_one(operator_a, verifikator, typed):
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator, claim_id=claim.pk, reason=typed)

    village = Message.objects.get(claim=claim, kind=Kind.RETURNED, audience="village").text

    assert "Foto KK buram. Perbaiki lalu ajukan lagi." in village
    assert ".." not in village and ";" not in village


def test_the_reason_keeps_its_own_words_and_inner_punctuation():
    assert spoken_reason("  KK lama; akta belum ada!?  ") == "KK lama; akta belum ada"
    assert spoken_reason("Data tidak sesuai (lihat KTP).") == "Data tidak sesuai (lihat KTP)"
    assert spoken_reason("") == ""


def test_the_rejection_with_a_doubled_stop_reads_once_in_both_messages(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    reject_claim(user=verifikator, claim_id=claim.pk, reason="Meninggal di luar kabupaten..")

    texts = Message.objects.filter(claim=claim, kind=Kind.REJECTED).values_list("text", flat=True)

    assert len(texts) == 2 and all(".." not in text for text in texts)
    heir = Message.objects.get(claim=claim, kind=Kind.REJECTED, audience="heir").text
    assert "ditolak: Meninggal di luar kabupaten. Tanyakan" in heir


def test_without_a_reason_the_preview_asks_for_one(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)

    page = preview_page(client_for(verifikator), claim, "  ")

    assert "Tulis alasannya" in page and "sms-preview" not in page


def test_a_rejection_sms_switched_off_is_said_instead_of_shown(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    KindSetting.objects.create(kind=Kind.REJECTED, enabled=False)

    page = preview_page(client_for(verifikator), claim, "Bukan warga Batang")

    assert "dimatikan administrator" in page and "Bukan warga" not in page
    assert (
        preview_message(
            claim=claim, action="reject", audience="heir", reason="Bukan warga Batang"
        ).text
        == ""
    )


def test_the_administrators_wording_is_previewed(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    KindSetting.objects.create(kind=Kind.REJECTED, heir_text="Maaf, {nomor} ditolak: {alasan}.")

    page = preview_page(client_for(verifikator), claim, "Bukan warga Batang.")

    assert f"Maaf, {claim.number} ditolak: Bukan warga Batang." in page


def test_the_preview_is_for_those_who_may_reject_and_only_by_post(
    client_for, operator_a, verifikator, approver, bendahara
):
    claim = submitted_claim(operator_a)
    url = reverse("notifications:rejection_preview", args=[claim.pk])

    assert client_for(approver).post(url, {"reason": "Bukan warga"}).status_code == 200
    assert client_for(verifikator).get(url).status_code == 405
    assert client_for(operator_a).post(url, {"reason": "x"}).status_code == 403
    assert client_for(bendahara).post(url, {"reason": "x"}).status_code == 403


def test_the_reject_form_asks_for_the_preview_as_the_reason_is_typed(
    client_for, operator_a, verifikator
):
    claim = submitted_claim(operator_a)

    page = client_for(verifikator).get(reverse("santunan:claim_detail", args=[claim.pk]))

    box = page.content.decode().split('id="reject-reason"')[1].split(">")[0]
    url = reverse("notifications:rejection_preview", args=[claim.pk])
    assert f'hx-post="{url}"' in box and 'hx-target="#reject-sms"' in box
    assert 'id="reject-sms"' in page.content.decode()
