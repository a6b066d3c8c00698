"""The treasurer's pages: who may open them, and each POST calling its service."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from santunan.finance import services
from santunan.finance.services import create_batch, set_budget
from santunan.models import BatchStatus, Claim, PayoutBatch, Status
from tests.santunan.factories import pdf_bytes, upload

NIP = "197501012000031001"


@pytest.fixture(autouse=True)
def budget(bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)


def test_only_finance_opens_the_finance_pages(client_for, operator_a, approver):
    assert client_for(operator_a).get(reverse("finance:home")).status_code == 403
    assert client_for(approver).get(reverse("finance:home")).status_code == 403


def test_the_home_page_filters_approved_claims_and_shows_batches_and_budget(
    client_for, bendahara, approve, approve_transfer
):
    cash, transfer = approve(1), approve_transfer(2)
    client = client_for(bendahara)

    everything = client.get(reverse("finance:home")).content.decode()
    only_transfer = client.get(reverse("finance:home"), {"payout_method": "transfer"})

    assert cash.number in everything and transfer.number in everything
    assert "Rp10.000.000" in everything
    body = only_transfer.content.decode()
    assert transfer.number in body and cash.number not in body
    other_kecamatan = client.get(reverse("finance:home"), {"kecamatan": "33.25.11"})
    assert cash.number not in other_kecamatan.content.decode()
    later = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    assert (
        cash.number
        not in client.get(reverse("finance:home"), {"approved_from": later}).content.decode()
    )


def test_scheduling_from_the_home_page_creates_a_batch(client_for, bendahara, approve):
    claim = approve()

    response = client_for(bendahara).post(reverse("finance:schedule"), {"claims": [claim.pk]})

    batch = PayoutBatch.objects.get()
    assert response.url == reverse("finance:batch", args=[batch.pk])
    assert Claim.objects.get(pk=claim.pk).status == Status.SCHEDULED


def test_a_refused_schedule_is_shown_as_a_message(client_for, bendahara, approve):
    claims = [approve(n) for n in range(1, 12)]  # Rp11.000.000 > Rp10.000.000

    response = client_for(bendahara).post(
        reverse("finance:schedule"), {"claims": [c.pk for c in claims]}, follow=True
    )

    assert "melampaui sisa pagu" in response.content.decode()
    assert not PayoutBatch.objects.exists()


def test_the_batch_page_signs_and_serves_its_documents(client_for, bendahara, approve):
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    client = client_for(bendahara)

    client.post(
        reverse("finance:sign", args=[batch.pk]),
        {"signer_name": "Drs. Bambang Wijaya", "signer_nip": NIP},
    )
    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    pdf = client.get(reverse("finance:claim_document", args=[batch.pk, "kuitansi", claim.pk]))
    listing = client.get(reverse("finance:document", args=[batch.pk, "daftar_nominatif"]))

    assert PayoutBatch.objects.get(pk=batch.pk).status == BatchStatus.SIGNED
    assert "Drs. Bambang Wijaya" in page
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert listing.status_code == 200
    assert claim.access_logs.filter(what="unduh kuitansi").exists()
    wrong_kind = reverse(
        "finance:claim_document", args=[batch.pk, "pemberitahuan_transfer", claim.pk]
    )
    assert client.get(wrong_kind).status_code == 404


def test_the_progress_fragment_keeps_polling_while_documents_render(client_for, bendahara, approve):
    batch = create_batch(user=bendahara, claim_ids=[approve().pk])
    PayoutBatch.objects.filter(pk=batch.pk).update(
        render_state="running", render_total=3, render_done=1
    )

    fragment = client_for(bendahara).get(reverse("finance:render_progress", args=[batch.pk]))

    body = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in body and "1 / 3" in body


def test_the_budget_remainder_below_zero_prints_with_a_minus_before_rp(
    client_for, bendahara, approve
):
    claims = [approve(n) for n in range(1, 12)]  # Rp11.000.000 against Rp10.000.000
    create_batch(
        user=bendahara,
        claim_ids=[c.pk for c in claims],
        confirm_over_budget=True,
        over_budget_note="Perubahan APBD sedang diproses",
    )

    page = client_for(bendahara).get(reverse("finance:home")).content.decode()

    assert 'data-figure="remaining" class="error">\u2212Rp1.000.000<' in page
    assert "Rp-" not in page
    assert 'data-figure="committed">Rp11.000.000<' in page


def test_money_keeps_the_indonesian_dots_when_the_page_is_in_english():
    template = Template("{% load santunan_tags %}{{ amount|rupiah }}|{{ missing|rupiah }}")

    with translation.override("en"):
        text = template.render(Context({"amount": 11_000_000, "missing": None}))

    assert text == "Rp11.000.000|"


def test_a_refused_schedule_keeps_the_filter_the_ticked_claims_and_the_note(
    client_for, bendahara, approve, approve_transfer
):
    claims = [approve(n) for n in range(1, 12)]  # Rp11.000.000 > Rp10.000.000
    untouched, filtered_out = approve(12), approve_transfer(13)
    picked = [c.pk for c in claims]

    response = client_for(bendahara).post(
        reverse("finance:schedule"),
        {
            "claims": picked,
            "payout_method": "tunai",
            "approved_from": timezone.localdate().isoformat(),
            "over_budget_note": "Perubahan APBD",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "melampaui sisa pagu" in body
    for pk in picked:
        assert f'id="claim-{pk}" checked' in body
    assert f'id="claim-{untouched.pk}" aria-label' in body  # shown, not ticked
    assert untouched.number in body and filtered_out.number not in body
    assert '<option value="tunai" selected>' in body
    assert f'name="approved_from" value="{timezone.localdate():%d/%m/%Y}"' in body
    assert ">Perubahan APBD</textarea>" in body
    assert not PayoutBatch.objects.exists()


def test_the_schedule_form_carries_the_filter_so_a_refusal_can_show_it_again(
    client_for, bendahara, approve
):
    approve(1)

    page = client_for(bendahara).get(reverse("finance:home"), {"payout_method": "tunai"})

    schedule_form = page.content.decode().split('action="/keuangan/jadwalkan/"')[1]
    assert '<input type="hidden" name="payout_method" value="tunai">' in schedule_form


def test_a_refused_signature_keeps_the_name_and_nip_typed(client_for, bendahara, approve):
    batch = create_batch(user=bendahara, claim_ids=[approve().pk])

    response = client_for(bendahara).post(
        reverse("finance:sign", args=[batch.pk]),
        {"signer_name": "Drs. Bambang Wijaya", "signer_nip": "19750101"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "NIP harus 18 angka" in body
    assert 'value="Drs. Bambang Wijaya"' in body and 'value="19750101"' in body
    assert PayoutBatch.objects.get(pk=batch.pk).status == BatchStatus.DRAFTED


def test_claim_numbers_in_finance_lists_link_to_the_claim(client_for, bendahara, approve):
    waiting, scheduled = approve(1), approve(2)
    batch = create_batch(user=bendahara, claim_ids=[scheduled.pk])
    client = client_for(bendahara)

    home = client.get(reverse("finance:home")).content.decode()
    batch_page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()

    link = '<a href="{}">{}</a>'
    detail = reverse("santunan:claim_detail", args=[waiting.pk])
    assert link.format(detail, waiting.number) in home
    detail = reverse("santunan:claim_detail", args=[scheduled.pk])
    assert link.format(detail, scheduled.number) in batch_page
    assert client.get(detail).status_code == 200


def test_the_cash_form_prefills_today_and_the_heirs_name(client_for, bendahara, approve):
    claim = approve(heir_name="Tarmuji")
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    services.sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP
    )
    services.disburse_batch(user=bendahara, batch_id=batch.pk)

    page = client_for(bendahara).get(reverse("finance:cash_payment", args=[batch.pk, claim.pk]))

    body = page.content.decode()
    assert f'name="paid_on" value="{timezone.localdate():%d/%m/%Y}"' in body
    assert 'name="collected_by" value="Tarmuji"' in body


def test_a_refused_cash_payment_keeps_what_was_typed(client_for, bendahara, approve):
    claim = approve(heir_name="Tarmuji")
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    services.sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP
    )
    services.disburse_batch(user=bendahara, batch_id=batch.pk)
    yesterday = timezone.localdate() - timezone.timedelta(days=1)

    response = client_for(bendahara).post(
        reverse("finance:cash_payment", args=[batch.pk, claim.pk]),
        {
            "paid_on": yesterday.isoformat(),
            "collected_by": "Slamet (kuasa)",
            "receipt_scan": upload("kuitansi.pdf", pdf_bytes(), "application/pdf"),
        },
    )

    body = response.content.decode()
    assert "Periksa KTP penerima" in body
    assert f'name="paid_on" value="{yesterday:%d/%m/%Y}"' in body
    assert 'name="collected_by" value="Slamet (kuasa)"' in body
    assert Claim.objects.get(pk=claim.pk).status == Status.SCHEDULED
