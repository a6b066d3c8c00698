"""Text has a length limit and dates a floor, at the form and at the service."""

from datetime import date

import pytest
from django.urls import reverse

from santunan.models import Claim
from santunan.services import ClaimError, create_claim, return_claim, update_claim
from tests.santunan.factories import draft_claim, submitted_claim


def test_a_megabyte_of_notes_is_refused_by_the_service_and_nothing_changes(operator_a):
    claim = draft_claim(operator_a, documents=False, notes="catatan awal")

    with pytest.raises(ClaimError) as refused:
        update_claim(user=operator_a, claim_id=claim.pk, data={"notes": "x" * 1_000_000})

    assert "terlalu panjang" in refused.value.message
    assert Claim.objects.get(pk=claim.pk).notes == "catatan awal"


def test_a_too_long_address_is_refused_by_the_form(client_for, operator_a):
    response = client_for(operator_a).post(
        reverse("santunan:claim_new"),
        {"deceased_name": "Slamet Riyadi", "deceased_address": "Dukuh " * 200},
    )

    assert response.status_code == 200
    assert "paling banyak 500 karakter" in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.parametrize("field", ["deceased_birth_date", "death_date"])
def test_a_date_before_1900_is_refused_by_the_form(client_for, operator_a, field):
    response = client_for(operator_a).post(
        reverse("santunan:claim_new"), {"deceased_name": "Slamet Riyadi", field: "0001-03-12"}
    )

    assert "sebelum tahun 1900 tidak diterima" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_date_before_1900_is_refused_by_the_service(operator_a):
    with pytest.raises(ClaimError, match="sebelum tahun 1900"):
        create_claim(
            user=operator_a,
            data={"deceased_name": "Slamet", "deceased_birth_date": date(1, 3, 12)},
        )
    assert not Claim.objects.exists()


def test_a_reason_longer_than_the_limit_is_refused(operator_a, verifikator):
    claim = submitted_claim(operator_a)

    with pytest.raises(ClaimError, match="terlalu panjang"):
        return_claim(user=verifikator, claim_id=claim.pk, reason="Periksa lagi. " * 200)

    assert Claim.objects.get(pk=claim.pk).status == "submitted"
