"""The treasurer's pages warn, naming what is missing, while letters would print a
blank name or "Kode rekening: -"; a new batch's signer is prefilled from the officials
recorded for its letter date."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from office.models import BudgetAccount, Official
from santunan.finance.services import create_batch, set_budget, sign_batch

HEAD_NIP = "197501012000031001"
TREASURER_NIP = "198001012005011001"


@pytest.fixture(autouse=True)
def budget(bendahara, settings):
    settings.TREASURER_NAME = ""  # no default from the environment: the database decides
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)


def appoint_officials():
    Official.objects.create(
        position=Official.Position.HEAD,
        name="Drs. Bambang Wijaya",
        nip=HEAD_NIP,
        valid_from=date(2000, 1, 1),
    )
    Official.objects.create(
        position=Official.Position.TREASURER,
        name="Rina Kartika",
        nip=TREASURER_NIP,
        valid_from=date(2000, 1, 1),
    )


def test_the_home_page_names_what_letters_would_print_blank(client_for, bendahara):
    body = client_for(bendahara).get(reverse("finance:home")).content.decode()

    warning = body.split('id="letter-gaps"')[1].split("</div>")[0]
    assert "kepala kantor" in warning and "bendahara pengeluaran" in warning
    assert f"kode rekening tahun {timezone.localdate().year}" in warning


def test_no_warning_once_the_officials_and_the_account_code_are_entered(client_for, bendahara):
    appoint_officials()
    BudgetAccount.objects.create(year=timezone.localdate().year, code="5.1.02.99.99.0001")

    body = client_for(bendahara).get(reverse("finance:home")).content.decode()

    assert 'id="letter-gaps"' not in body


def test_the_batch_page_warns_for_its_own_year_and_letter_date(client_for, bendahara, approve):
    appoint_officials()
    batch = create_batch(user=bendahara, claim_ids=[approve().pk])

    body = client_for(bendahara).get(reverse("finance:batch", args=[batch.pk])).content.decode()

    warning = body.split('id="letter-gaps"')[1].split("</div>")[0]
    assert f"kode rekening tahun {batch.year}" in warning
    assert "kepala kantor" not in warning and "bendahara pengeluaran" not in warning


def test_a_new_batchs_signer_is_prefilled_with_the_head_of_office(client_for, bendahara, approve):
    appoint_officials()
    batch = create_batch(user=bendahara, claim_ids=[approve().pk])

    body = client_for(bendahara).get(reverse("finance:batch", args=[batch.pk])).content.decode()

    assert 'name="signer_name" value="Drs. Bambang Wijaya"' in body
    assert f'name="signer_nip" value="{HEAD_NIP}"' in body


def test_a_signed_batch_does_not_ask_for_the_head_it_already_names(client_for, bendahara, approve):
    batch = create_batch(user=bendahara, claim_ids=[approve().pk])
    sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Plt. Sutrisno", signer_nip=HEAD_NIP)

    body = client_for(bendahara).get(reverse("finance:batch", args=[batch.pk])).content.decode()

    warning = body.split('id="letter-gaps"')[1].split("</div>")[0]
    assert "kepala kantor" not in warning and "bendahara pengeluaran" in warning
