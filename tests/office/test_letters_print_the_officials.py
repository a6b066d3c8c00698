"""Letters print the office and the officials recorded for the letter's date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from office.models import BudgetAccount, Letterhead, Official
from office.selectors import treasurer_on
from santunan.finance.documents import ensure_document
from santunan.finance.services import create_batch, set_budget
from santunan.models import DocumentType, PayoutBatch
from tests.finance.conftest import pdf_text

OLD_NIP = "198001012005011001"
NEW_NIP = "199002022015022002"


@pytest.fixture(autouse=True)
def budget(bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=100_000_000)


def read(document) -> str:
    with document.file.open("rb") as handle:
        return pdf_text(handle.read())


def appoint(name: str, nip: str, start, end=None, position=Official.Position.TREASURER):
    return Official.objects.create(
        position=position, name=name, nip=nip, valid_from=start, valid_to=end
    )


def test_the_kuitansi_prints_the_letterhead_account_code_and_treasurer_from_the_database(
    approve, bendahara
):
    today = timezone.localdate()
    Letterhead.objects.create(
        valid_from=today - timedelta(days=30),
        regency="Kabupaten Batang",
        office="Dinas Sosial PPPA",
        address="Jl. Dr. Sutomo No. 14 Batang",
        postal_code="51215",
        phone="(0285) 391010",
        email="dinsos@batangkab.go.id",
        place="Batang",
    )
    BudgetAccount.objects.create(year=today.year, code="5.4.01.05.001")
    appoint("Sri Lestari", OLD_NIP, today - timedelta(days=100))
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])

    text = read(ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk))

    assert "DINAS SOSIAL PPPA" in text and "51215" in text and "dinsos@batangkab.go.id" in text
    assert "5.4.01.05.001" in text and f"tahun anggaran {today.year}" in text
    assert "Sri Lestari" in text and OLD_NIP in text


def test_a_letter_printed_before_a_change_of_treasurer_still_shows_the_old_treasurer(
    approve, bendahara
):
    today = timezone.localdate()
    old = appoint("Sri Lestari", OLD_NIP, today - timedelta(days=100))
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    printed = ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk)

    # A new treasurer from tomorrow: the old appointment ends today.
    old.valid_to = today
    old.save()
    appoint("Agus Salim", NEW_NIP, today + timedelta(days=1))

    again = ensure_document(
        batch=PayoutBatch.objects.get(pk=batch.pk), kind=DocumentType.RECEIPT, claim_id=claim.pk
    )
    assert (again.file.name, again.input_hash) == (printed.file.name, printed.input_hash)
    text = read(again)
    assert "Sri Lestari" in text and "Agus Salim" not in text
    assert treasurer_on(today + timedelta(days=1)).name == "Agus Salim"


def test_a_letter_dated_after_the_change_prints_the_new_treasurer(approve, bendahara):
    today = timezone.localdate()
    appoint("Sri Lestari", OLD_NIP, today - timedelta(days=100), today - timedelta(days=1))
    appoint("Agus Salim", NEW_NIP, today)
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])

    text = read(ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk))

    assert "Agus Salim" in text and NEW_NIP in text and "Sri Lestari" not in text


def test_the_environment_is_only_the_default(settings, db):
    settings.TREASURER_NAME, settings.TREASURER_NIP = "Dari Lingkungan", OLD_NIP
    today = timezone.localdate()
    assert treasurer_on(today).name == "Dari Lingkungan"
    appoint("Agus Salim", NEW_NIP, today)
    assert treasurer_on(today).name == "Agus Salim"
