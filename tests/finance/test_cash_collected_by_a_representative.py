"""Cash collected by someone other than the heir: only with the heir's power of
attorney (surat kuasa) and the collector's NIK, which is stored, masked in lists and
printed on the kuitansi. The cash form reports every problem at once and keeps the
chosen scan when something else was wrong."""

import pytest
from django.urls import reverse
from django.utils import timezone

from santunan.finance.documents import ensure_document
from santunan.finance.services import (
    FinanceError,
    create_batch,
    disburse_batch,
    record_cash_payment,
    set_budget,
    sign_batch,
)
from santunan.models import Claim, DocumentType, Payment, PayoutDocument, Status
from tests.conftest import make_user
from tests.finance.conftest import pdf_text
from tests.santunan.factories import pdf_bytes, upload
from villages.roles import Role

NIP = "197501012000031001"
COLLECTOR_NIK = "3325014507900002"


@pytest.fixture
def cash_claim(approve, bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    claim = approve(heir_name="Tarmuji")
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP)
    disburse_batch(user=bendahara, batch_id=batch.pk)
    return claim


def scan(name="kuitansi.pdf"):
    return upload(name, pdf_bytes(), "application/pdf")


def pay_to_representative(user, claim, **overrides):
    values = {
        "paid_on": timezone.localdate(),
        "collected_by": "Slamet Riyadi",
        "identity_checked": True,
        "receipt_scan": scan(),
        "representative": True,
        "collector_nik": COLLECTOR_NIK,
        "power_of_attorney": scan("surat-kuasa.pdf"),
    }
    return record_cash_payment(user=user, claim_id=claim.pk, **{**values, **overrides})


def test_a_representative_collects_with_a_power_of_attorney_and_their_nik_is_kept(
    cash_claim, bendahara, client_for
):
    payment = pay_to_representative(bendahara, cash_claim, collector_nik="3325 0145 0790 0002")

    assert Claim.objects.get(pk=cash_claim.pk).status == Status.PAID
    assert (payment.collected_by, payment.collector_nik) == ("Slamet Riyadi", COLLECTOR_NIK)
    assert payment.by_representative and payment.power_of_attorney
    event = cash_claim.events.get(action="mark_paid")
    assert event.data["by_representative"] is True
    assert COLLECTOR_NIK not in str(event.data)  # the event log is read widely
    # The surat kuasa is served to finance only, and the look is logged.
    url = reverse("finance:power_of_attorney", args=[payment.pk])
    assert client_for(bendahara).get(url).status_code == 200
    assert cash_claim.access_logs.filter(what="lihat surat kuasa").exists()


def test_the_batch_page_shows_the_collectors_nik_masked(cash_claim, bendahara, client_for):
    payment = pay_to_representative(bendahara, cash_claim)

    page = client_for(bendahara).get(reverse("finance:batch", args=[payment.item.batch_id]))

    body = page.content.decode()
    assert "Slamet Riyadi" in body and "3325••••••••0002" in body
    assert COLLECTOR_NIK not in body


def test_the_kuitansi_names_the_representative_beside_the_heir(cash_claim, bendahara):
    payment = pay_to_representative(bendahara, cash_claim)
    batch = payment.item.batch

    document = ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=cash_claim.pk)

    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Diterima oleh kuasa" in text and "Slamet Riyadi" in text
    assert "3325••••••••0002" in text and COLLECTOR_NIK not in text
    assert "a.n. Tarmuji" in text


def test_a_kuitansi_collected_by_the_heir_keeps_its_inputs(cash_claim, bendahara):
    item = cash_claim.batch_items.get()
    before = ensure_document(batch=item.batch, kind=DocumentType.RECEIPT, claim_id=cash_claim.pk)

    record_cash_payment(
        user=bendahara,
        claim_id=cash_claim.pk,
        paid_on=timezone.localdate(),
        collected_by="tarmuji",
        identity_checked=True,
        receipt_scan=scan(),
    )
    after = ensure_document(batch=item.batch, kind=DocumentType.RECEIPT, claim_id=cash_claim.pk)

    # The printed and signed kuitansi still verifies: its data did not change.
    assert after.input_hash == before.input_hash


def test_someone_other_than_the_heir_needs_the_power_of_attorney(cash_claim, bendahara):
    with pytest.raises(FinanceError, match="selain ahli waris"):
        record_cash_payment(
            user=bendahara,
            claim_id=cash_claim.pk,
            paid_on=timezone.localdate(),
            collected_by="Slamet Riyadi",
            identity_checked=True,
            receipt_scan=scan(),
        )
    assert Claim.objects.get(pk=cash_claim.pk).status == Status.SCHEDULED


def test_a_representative_without_a_valid_nik_or_power_of_attorney_is_refused_at_once(
    cash_claim, bendahara
):
    with pytest.raises(FinanceError) as refused:
        pay_to_representative(
            bendahara,
            cash_claim,
            collector_nik="3325",
            power_of_attorney=None,
            identity_checked=False,
        )

    problems = [refused.value.message, *refused.value.problems]
    assert any("NIK penerima kuasa harus 16 angka" in p for p in problems)
    assert any("surat kuasa" in p for p in problems)
    assert any("KTP" in p for p in problems)
    assert not Payment.objects.exists()
    assert Claim.objects.get(pk=cash_claim.pk).status == Status.SCHEDULED


def cash_url(claim):
    item = claim.batch_items.get()
    return reverse("finance:cash_payment", args=[item.batch_id, claim.pk])


def test_the_form_shows_every_problem_at_once(cash_claim, bendahara, client_for):
    response = client_for(bendahara).post(
        cash_url(cash_claim),
        {
            "paid_on": "",
            "collector": "representative",
            "collected_by": "Tarmuji",
            "collector_nik": "12345",
        },
    )

    body = response.content.decode()
    assert "NIK penerima kuasa harus 16 angka" in body
    assert "bukan nama ahli waris" in body
    assert "Lampirkan surat kuasa" in body
    assert "Lampirkan pindaian kuitansi" in body
    assert "Periksa KTP penerima" in body
    assert "Bidang ini tidak boleh kosong" in body  # the date, beside the rest
    assert Claim.objects.get(pk=cash_claim.pk).status == Status.SCHEDULED


def test_the_chosen_receipt_is_kept_when_another_field_is_wrong(cash_claim, bendahara, client_for):
    client = client_for(bendahara)
    first = client.post(
        cash_url(cash_claim),
        {
            "paid_on": timezone.localdate().strftime("%d/%m/%Y"),
            "collector": "heir",
            "collected_by": "Tarmuji",
            "receipt_scan": scan("kuitansi-tarmuji.pdf"),
        },
    )
    body = first.content.decode()
    assert "Periksa KTP penerima" in body
    assert "kuitansi-tarmuji.pdf" in body and "tetap dipakai" in body
    # The chooser itself names the kept file instead of "Belum ada berkas".
    assert 'id="id_receipt_scan-chosen" data-empty="Tetap dipakai: kuitansi-tarmuji.pdf"' in body
    token = first.context["form"].data["held_receipt_scan"]
    assert token and token in body

    second = client.post(
        cash_url(cash_claim),
        {
            "paid_on": timezone.localdate().strftime("%d/%m/%Y"),
            "collector": "heir",
            "collected_by": "Tarmuji",
            "identity_checked": "on",
            "held_receipt_scan": token,
        },
    )

    assert second.status_code == 302
    payment = Payment.objects.get(claim=cash_claim)
    with payment.receipt_scan.open("rb") as handle:
        assert handle.read() == pdf_bytes()


def test_a_kept_receipt_is_only_for_the_person_who_chose_it(
    cash_claim, bendahara, client_for, client
):
    first = client_for(bendahara).post(
        cash_url(cash_claim),
        {"collector": "heir", "collected_by": "Tarmuji", "receipt_scan": scan()},
    )
    token = first.context["form"].data["held_receipt_scan"]
    other = make_user("bendahara3", Role.BENDAHARA)

    refused = client_for(other).post(
        cash_url(cash_claim),
        {
            "paid_on": timezone.localdate().strftime("%d/%m/%Y"),
            "collector": "heir",
            "collected_by": "Tarmuji",
            "identity_checked": "on",
            "held_receipt_scan": token,
        },
    )

    assert "Lampirkan pindaian kuitansi" in refused.content.decode()
    assert not Payment.objects.exists()
    assert not PayoutDocument.objects.filter(claim=cash_claim).exists()


def test_a_kept_scan_left_behind_is_deleted_once_its_token_expired(bendahara, settings, tmp_path):
    import os

    from django.core.files.storage import default_storage

    from santunan.finance import held

    settings.MEDIA_ROOT = tmp_path
    old = held.read(
        held.hold(scan(), user_id=bendahara.pk, field="receipt_scan"),
        user_id=bendahara.pk,
        field="receipt_scan",
    )
    stale = (timezone.now() - timezone.timedelta(seconds=held.MAX_AGE + 60)).timestamp()
    os.utime(default_storage.path(old["n"]), (stale, stale))

    fresh = held.hold(scan(), user_id=bendahara.pk, field="receipt_scan")

    assert not default_storage.exists(old["n"])
    assert held.read(fresh, user_id=bendahara.pk, field="receipt_scan") is not None
