"""Each cross-check finding, computed against real snapshots."""

import socket
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dinsos_sync.models import Finding, RegistryCheck
from dinsos_sync.services import check_claims
from santunan.models import ClaimEvent, Status
from tests.dinsos_sync.conftest import HEIR_NIK, OTHER_NIK, person


def findings_of(claim) -> dict[str, Finding]:
    check_claims(claim_ids=[claim.pk])
    return {f.code: f for f in Finding.objects.filter(claim=claim)}


def heir(source: str, **values) -> dict:
    extra = {"status_hidup": "HIDUP", "tanggal_meninggal": ""} if source == "population" else {}
    return person(
        source,
        nik=HEIR_NIK,
        nama="SITI AMINAH",
        tanggal_lahir="05-06-1975",
        jenis_kelamin="P",
        **{**extra, **values},
    )


@pytest.fixture
def registries(load_registry):
    def load(population: list[dict] | None = None, social: list[dict] | None = None):
        load_registry(
            "population",
            population if population is not None else [person("population"), heir("population")],
        )
        load_registry(
            "social", social if social is not None else [person("social"), heir("social")]
        )

    return load


def test_a_claim_that_agrees_with_both_registries_has_no_findings(registries, make_claim):
    registries()
    claim = make_claim()

    assert findings_of(claim) == {}
    assert claim.registry_check.status == RegistryCheck.Status.DONE


def test_it_blocks_a_deceased_missing_from_dukcapil(registries, make_claim):
    registries(population=[heir("population")])

    found = findings_of(make_claim())

    assert found["not_in_population"].severity == "blocker"
    assert "tidak ditemukan di data Dukcapil" in found["not_in_population"].message


def test_it_warns_when_the_name_differs(registries, make_claim):
    registries()

    found = findings_of(make_claim(deceased_name="Sutrisno"))

    assert found["name_differs"].severity == "warning"
    assert '"SLAMET"' in found["name_differs"].message


def test_it_accepts_a_name_written_with_titles(registries, make_claim):
    registries()

    assert "name_differs" not in findings_of(make_claim(deceased_name="Alm. H. Slamet bin Karto"))


def test_it_warns_when_the_birth_date_differs_and_shows_the_niks_date(registries, make_claim):
    registries()

    found = findings_of(make_claim(deceased_birth_date=date(1951, 3, 12)))

    message = found["birth_date_differs"].message
    assert "12-03-1950" in message and "12-03-1951" in message


def test_it_blocks_a_deceased_living_outside_the_regency(registries, make_claim):
    registries(population=[person("population", kode_desa="33.74.01.1001"), heir("population")])

    found = findings_of(make_claim())

    assert found["outside_regency"].severity == "blocker"


def test_it_warns_when_dukcapil_records_another_death_date(registries, make_claim):
    registries(
        population=[person("population", tanggal_meninggal="01-01-2024"), heir("population")]
    )

    assert findings_of(make_claim())["death_date_differs"].severity == "warning"


def test_it_informs_when_dukcapil_has_not_recorded_the_death(registries, make_claim):
    registries(
        population=[
            person("population", status_hidup="HIDUP", tanggal_meninggal=""),
            heir("population"),
        ]
    )

    assert findings_of(make_claim())["death_not_recorded"].severity == "info"


def test_a_household_above_the_decile_needs_sktm_and_a_house_photo(registries, make_claim):
    registries(social=[person("social", status_dtks="TIDAK", desil="8"), heir("social")])
    claim = make_claim()

    found = findings_of(claim)

    assert "desil 8" in found["household_not_poor"].message
    claim.refresh_from_db()
    assert claim.extra_required_documents == ["sktm", "foto_rumah"]
    assert ClaimEvent.objects.filter(claim=claim, action="registry_documents").exists()


def test_a_household_within_the_decile_is_poor(registries, make_claim):
    registries(social=[person("social", status_dtks="TIDAK", desil="5"), heir("social")])

    assert "household_not_poor" not in findings_of(make_claim())


def test_a_deceased_missing_from_the_social_registry_needs_sktm(registries, make_claim):
    registries(social=[heir("social")])
    claim = make_claim()

    assert "household_not_listed" in findings_of(claim)
    claim.refresh_from_db()
    assert claim.extra_required_documents == ["sktm", "foto_rumah"]


def test_an_heir_outside_the_kk_needs_a_statement(registries, make_claim):
    registries(population=[person("population"), heir("population", no_kk="3325010101090099")])
    claim = make_claim()

    assert findings_of(claim)["heir_not_in_kk"].severity == "warning"
    claim.refresh_from_db()
    assert claim.extra_required_documents == ["pernyataan_ahli_waris"]


def test_extra_documents_are_dropped_when_a_later_check_no_longer_needs_them(
    registries, make_claim, load_registry
):
    registries(social=[person("social", status_dtks="TIDAK", desil="9"), heir("social")])
    claim = make_claim()
    findings_of(claim)
    load_registry("social", [person("social"), heir("social")])

    findings_of(claim)

    claim.refresh_from_db()
    assert claim.extra_required_documents == []


def test_it_reports_an_earlier_claim_for_the_same_person(registries, make_claim):
    registries()
    make_claim(status=Status.REJECTED)
    claim = make_claim(status=Status.DRAFT)

    found = findings_of(claim)

    assert found["earlier_claim"].severity == "info"
    assert "Ditolak" in found["earlier_claim"].message


def test_it_warns_of_the_same_person_under_another_nik(registries, make_claim):
    registries()
    make_claim(deceased_nik=OTHER_NIK, deceased_name="SLAMET")
    claim = make_claim()

    assert findings_of(claim)["possible_duplicate"].severity == "warning"


def test_it_informs_when_the_registry_record_is_old(registries, make_claim, settings):
    old = (timezone.localdate() - timedelta(days=500)).isoformat()
    registries(social=[person("social", tanggal_update=old), heir("social")])

    found = findings_of(make_claim())

    assert found["stale_record"].severity == "info"
    assert "DTKS/DTSEN" in found["stale_record"].message


def dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_a_regency_without_registries_gets_its_claims_checked_by_hand(make_claim, wilayah):
    claim = make_claim()

    summary = check_claims(claim_ids=[claim.pk])

    assert (summary.checked, summary.pending) == (1, 0)
    check = RegistryCheck.objects.get(claim=claim)
    assert check.status == RegistryCheck.Status.DONE
    assert check.population_snapshot is None and check.social_snapshot is None
    found = {f.code: f for f in Finding.objects.filter(claim=claim)}
    # Silence of a registry that does not exist proves nothing: no blocker, no heir warning.
    assert set(found) == {"population_unavailable", "social_unavailable"}
    assert {f.severity for f in found.values()} == {"info"}
    assert "periksa SKTM dan foto rumah secara manual" in found["social_unavailable"].message
    claim.refresh_from_db()
    assert claim.extra_required_documents == ["sktm", "foto_rumah"]


def test_a_regency_with_only_the_population_registry_is_checked_against_it(
    load_registry, make_claim
):
    load_registry("population", [person("population"), heir("population")])
    claim = make_claim(deceased_name="Sutrisno")

    summary = check_claims(claim_ids=[claim.pk])

    assert (summary.checked, summary.pending) == (1, 0)
    check = RegistryCheck.objects.get(claim=claim)
    assert check.status == RegistryCheck.Status.DONE and check.social_snapshot is None
    found = {f.code: f.severity for f in Finding.objects.filter(claim=claim)}
    assert found == {"name_differs": "warning", "social_unavailable": "info"}


def test_a_regency_with_only_the_social_registry_uses_it_for_identity(load_registry, make_claim):
    load_registry("social", [person("social"), heir("social")])
    claim = make_claim(deceased_birth_date=date(1951, 3, 12))

    check_claims(claim_ids=[claim.pk])

    found = {f.code: f for f in Finding.objects.filter(claim=claim)}
    assert set(found) == {"population_unavailable", "birth_date_differs"}
    assert "DTKS/DTSEN" in found["birth_date_differs"].message
    assert RegistryCheck.objects.get(claim=claim).status == RegistryCheck.Status.DONE


def test_a_configured_registry_that_is_down_keeps_the_check_pending(
    settings, load_registry, make_claim
):
    # Only Dukcapil is configured, through its API, and the API does not answer; the
    # social registry is not configured at all.
    settings.POPULATION_REGISTRY_URL = dead_url()
    settings.REGISTRY_RETRIES = 0
    claim = make_claim()

    summary = check_claims(claim_ids=[claim.pk])
    summary_again = check_claims(claim_ids=[claim.pk])

    assert (summary.pending, summary_again.pending) == (1, 1)
    check = RegistryCheck.objects.get(claim=claim)
    assert check.status == RegistryCheck.Status.PENDING
    assert "tidak menjawab" in check.last_error and check.attempts == 2
    assert not Finding.objects.filter(claim=claim).exists()


def test_a_snapshot_does_not_stand_in_for_a_configured_api_that_is_down(
    settings, registries, make_claim
):
    registries()
    settings.SOCIAL_REGISTRY_URL = dead_url()
    settings.REGISTRY_RETRIES = 0
    claim = make_claim()

    assert check_claims(claim_ids=[claim.pk]).pending == 1
    assert RegistryCheck.objects.get(claim=claim).status == RegistryCheck.Status.PENDING


def test_a_recheck_keeps_unchanged_findings_and_audits_only_changes(registries, make_claim):
    registries(social=[person("social", status_dtks="TIDAK", desil="8"), heir("social")])
    claim = make_claim(deceased_name="Sutrisno")
    check_claims(claim_ids=[claim.pk])
    first = set(Finding.objects.filter(claim=claim).values_list("pk", "code"))

    check_claims(claim_ids=[claim.pk])

    assert set(Finding.objects.filter(claim=claim).values_list("pk", "code")) == first
    assert ClaimEvent.objects.filter(claim=claim, action="registry_documents").count() == 1


def test_the_crosscheck_command_checks_every_open_claim(registries, make_claim, capsys):
    registries()
    open_claim = make_claim(deceased_name="Sutrisno")
    draft = make_claim(status=Status.DRAFT, deceased_nik=OTHER_NIK)

    call_command("crosscheck", "--all")

    assert "1 klaim diperiksa" in capsys.readouterr().out
    assert Finding.objects.filter(claim=open_claim, code="name_differs").exists()
    assert not RegistryCheck.objects.filter(claim=draft).exists()
