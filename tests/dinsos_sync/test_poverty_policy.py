"""The poverty test is the claim's policy: the DTSEN decile it accepts, and whether an
SKTM stands in for the registry. A claim is judged by the policy it was submitted
under, whatever policy is in force when the check runs."""

from datetime import date

import pytest

from dinsos_sync.models import Finding
from dinsos_sync.services import check_claims
from santunan.models import BenefitPolicy, Status
from santunan.services import ClaimError, verify_claim
from tests.dinsos_sync.conftest import HEIR_NIK, person


def findings_of(claim) -> dict[str, Finding]:
    check_claims(claim_ids=[claim.pk])
    return {f.code: f for f in Finding.objects.filter(claim=claim)}


def heir(source: str) -> dict:
    extra = {"status_hidup": "HIDUP", "tanggal_meninggal": ""} if source == "population" else {}
    return person(source, nik=HEIR_NIK, nama="SITI", tanggal_lahir="05-06-1975", **extra)


@pytest.fixture
def registries(load_registry):
    def load(social: list[dict]):
        load_registry("population", [person("population"), heir("population")])
        load_registry("social", social)

    return load


@pytest.fixture
def no_sktm_policy(db):
    return BenefitPolicy.objects.create(
        name="Tanpa SKTM",
        effective_from=date(2020, 1, 1),
        amount=750_000,
        poor_decile_max=3,
        sktm_accepted=False,
    )


def test_without_sktm_a_deceased_missing_from_the_registry_is_a_blocker_and_asks_nothing(
    registries, make_claim, no_sktm_policy, verifikator
):
    registries(social=[heir("social")])
    claim = make_claim(policy=no_sktm_policy)

    found = findings_of(claim)

    assert found["household_not_listed_no_sktm"].severity == "blocker"
    assert "tidak menerima SKTM" in found["household_not_listed_no_sktm"].message
    assert "household_not_listed" not in found
    claim.refresh_from_db()
    assert claim.extra_required_documents == []
    with pytest.raises(ClaimError):
        verify_claim(user=verifikator, claim_id=claim.pk)


def test_the_decile_limit_is_the_claims_policy(registries, make_claim, no_sktm_policy):
    registries(social=[person("social", status_dtks="TIDAK", desil="4"), heir("social")])

    batang = BenefitPolicy.objects.get(effective_from=date(2017, 1, 1))
    # The same person twice (an earlier claim rejected), under each policy.
    under_batang = findings_of(make_claim(status=Status.REJECTED, policy=batang))
    under_stricter = findings_of(make_claim(policy=no_sktm_policy))

    assert "household_not_poor" not in under_batang  # decile 4 ≤ 5
    assert under_stricter["household_not_poor_no_sktm"].severity == "blocker"
    assert "batas desil 3" in under_stricter["household_not_poor_no_sktm"].message


def test_with_sktm_accepted_the_village_is_asked_for_it(registries, make_claim):
    registries(social=[heir("social")])
    claim = make_claim(policy=BenefitPolicy.objects.get())

    assert findings_of(claim)["household_not_listed"].severity == "warning"
    claim.refresh_from_db()
    assert claim.extra_required_documents == ["sktm", "foto_rumah"]
