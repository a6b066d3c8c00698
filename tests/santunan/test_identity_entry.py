"""The one normal form of identity numbers, at every entry: the claim form, the
services, the database itself."""

import pytest
from django.db import IntegrityError, transaction

from santunan.models import Claim, Status
from santunan.services import ClaimError, create_claim, submit_claim
from tests.santunan.factories import DECEASED_NIK, draft_claim

FULL_WIDTH = "".join(chr(0xFF10 + int(d)) for d in "3325011203500001")
ARABIC_INDIC = "".join(chr(0x0660 + int(d)) for d in "3325011203500001")


@pytest.mark.parametrize("typed", [FULL_WIDTH, "3325 0112 0350 0001", "3325-0112-0350-0001"])
def test_a_nik_typed_another_way_is_the_same_person_and_no_second_claim(
    operator_a, operator_b, typed
):
    first = submit_claim(user=operator_a, claim_id=draft_claim(operator_a).pk)
    second = draft_claim(operator_b, deceased_nik=typed)

    assert second.deceased_nik == DECEASED_NIK
    with pytest.raises(ClaimError) as refused:
        submit_claim(user=operator_b, claim_id=second.pk)

    assert first.number in " ".join(refused.value.problems)
    assert Claim.objects.filter(deceased_nik=DECEASED_NIK, status=Status.SUBMITTED).count() == 1


def test_a_nik_in_another_script_is_refused_before_anything_is_stored(operator_a):
    with pytest.raises(ClaimError) as refused:
        create_claim(
            user=operator_a, data={"deceased_name": "Slamet", "deceased_nik": ARABIC_INDIC}
        )

    assert "0–9" in refused.value.message
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "bad", [ARABIC_INDIC, FULL_WIDTH, "332501120350001\n", "332501120350 001", "12345"]
)
def test_the_database_refuses_a_nik_that_is_not_sixteen_ascii_digits(operator_a, bad):
    claim = draft_claim(operator_a, documents=False)

    for field in ("deceased_nik", "heir_nik"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.filter(pk=claim.pk).update(**{field: bad})

    claim.refresh_from_db()
    assert claim.deceased_nik == DECEASED_NIK


def test_the_claim_form_stores_a_full_width_nik_in_ascii(client_for, operator_a):
    from django.urls import reverse

    client = client_for(operator_a)
    response = client.post(
        reverse("santunan:claim_new"),
        {
            "deceased_name": "Slamet Riyadi",
            "deceased_nik": FULL_WIDTH,
            "deceased_kk": "3325 0101 0109 0001",
        },
    )

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.deceased_nik, claim.deceased_kk) == (DECEASED_NIK, "3325010101090001")


def test_seventeen_digits_get_the_nik_message_not_a_generic_length(client_for, operator_a):
    from django.urls import reverse

    response = client_for(operator_a).post(
        reverse("santunan:claim_new"),
        {"deceased_name": "Slamet Riyadi", "deceased_nik": "33250112035000011"},
    )

    assert "NIK almarhum harus 16 angka; yang diisi 17 angka." in response.content.decode()
    assert not Claim.objects.exists()
