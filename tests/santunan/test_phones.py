"""Heirs' phone numbers are stored as E.164 (+62…) whatever way they were typed, and a
number that cannot be an Indonesian mobile number is refused with a clear message."""

import pytest

from santunan.forms import HeirForm
from santunan.models import BenefitPolicy, Claim
from santunan.phones import last_four, to_e164
from santunan.services import ClaimError, update_claim
from tests.santunan.factories import draft_claim


@pytest.mark.parametrize(
    "typed",
    ["081234567890", "0812-3456-7890", "0812 3456 7890", "6281234567890", "+62 812 3456 7890"],
)
def test_the_usual_ways_of_writing_a_mobile_number_become_one(typed):
    assert to_e164(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["0285391234", "0811", "08123456789012", "+14155552671", "abc"])
def test_landlines_short_long_foreign_and_garbage_numbers_are_not_mobile_numbers(typed):
    assert to_e164(typed) is None


def test_the_last_four_digits_are_read_from_the_stored_number():
    assert last_four("+6281234567890") == "7890"


def test_the_heir_form_normalises_the_number():
    form = HeirForm(data={"heir_phone": "0812 3456 7890"}, policy=BenefitPolicy())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["heir_phone"] == "+6281234567890"


def test_the_heir_form_explains_a_landline_in_indonesian():
    form = HeirForm(data={"heir_phone": "(0285) 391234"}, policy=BenefitPolicy())
    assert not form.is_valid()
    assert "bukan nomor HP Indonesia" in form.errors["heir_phone"][0]


def test_the_service_stores_the_number_as_e164(operator_a):
    claim = draft_claim(operator_a, documents=False, heir_phone="0812-3456-7890")
    assert Claim.objects.get(pk=claim.pk).heir_phone == "+6281234567890"


def test_the_service_refuses_a_landline_and_leaves_the_claim_as_it_was(operator_a):
    claim = draft_claim(operator_a, documents=False)
    with pytest.raises(ClaimError, match="bukan nomor HP Indonesia"):
        update_claim(user=operator_a, claim_id=claim.pk, data={"heir_phone": "0285391234"})
    assert Claim.objects.get(pk=claim.pk).heir_phone == "+6281234567890"
