"""The registry client against misbehaving registries on 127.0.0.1: wrong people,
trickled and huge answers, run budgets and bounded concurrency."""

import logging
import tracemalloc

import pytest

from dinsos_sync.client import RegistryClient
from dinsos_sync.errors import RegistryUnavailable
from dinsos_sync.fake_registry import FakeRegistry, load_persons
from dinsos_sync.models import Finding, RegistryCheck
from dinsos_sync.services import check_claims
from tests.conftest import DESA_A
from tests.dinsos_sync.conftest import DECEASED_NIK, HEIR_NIK, OTHER_NIK, person, write_csv


@pytest.fixture
def start_registry(tmp_path, wilayah):
    servers = []

    def start(**switches) -> FakeRegistry:
        rows = [
            person("population"),
            person(
                "population", nik=HEIR_NIK, nama="SITI", status_hidup="HIDUP", tanggal_meninggal=""
            ),
        ]
        path = write_csv(tmp_path / "pop.csv", "population", rows)
        persons = load_persons(path, "population", known_desa={DESA_A}, regency_code="33.25")
        server = FakeRegistry(persons, **switches).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def client_for(server, **options) -> RegistryClient:
    defaults = {"connect_timeout": 1, "read_timeout": 2, "retries": 1, "backoff": 0.01}
    return RegistryClient(
        source="population", base_url=server.url, token="", **{**defaults, **options}
    )


def test_get_person_refuses_an_answer_about_another_nik(start_registry, caplog):
    registry = start_registry(wrong_person=True)

    with (
        caplog.at_level(logging.ERROR, logger="dinsos_sync.client"),
        pytest.raises(RegistryUnavailable, match="tidak sah"),
    ):
        client_for(registry).get_person(DECEASED_NIK)
    assert "another nik" in caplog.text
    assert DECEASED_NIK not in caplog.text and HEIR_NIK not in caplog.text


def test_lookup_refuses_an_answer_that_swaps_a_person(start_registry, caplog):
    registry = start_registry(wrong_person=True)

    with (
        caplog.at_level(logging.ERROR, logger="dinsos_sync.client"),
        pytest.raises(RegistryUnavailable),
    ):
        client_for(registry).lookup([DECEASED_NIK, OTHER_NIK])
    assert "exactly once" in caplog.text
    assert DECEASED_NIK not in caplog.text and OTHER_NIK not in caplog.text


def test_lookup_accepts_an_answer_that_covers_every_nik_once(start_registry):
    registry = start_registry()

    found = client_for(registry).lookup([DECEASED_NIK, OTHER_NIK, DECEASED_NIK])

    assert list(found) == [DECEASED_NIK]


def test_a_wrong_person_answer_leaves_the_check_pending_without_findings(
    start_registry, settings, make_claim
):
    registry = start_registry(wrong_person=True)
    settings.POPULATION_REGISTRY_URL = registry.url
    settings.REGISTRY_RETRIES = 0
    claim = make_claim()

    summary = check_claims(claim_ids=[claim.pk])

    assert summary.pending == 1 and summary.checked == 0
    check = RegistryCheck.objects.get(claim=claim)
    assert check.status == RegistryCheck.Status.PENDING and "tidak sah" in check.last_error
    assert not Finding.objects.filter(claim=claim, code="not_in_population").exists()


def test_a_trickling_registry_is_cut_off_at_the_call_deadline(start_registry):
    # One byte every 0.2 s: each read is well inside the read timeout, the whole answer
    # would take over a minute; the call must end at its deadline instead.
    registry = start_registry(trickle=0.2)

    with pytest.raises(RegistryUnavailable, match="deadline"):
        client_for(registry, read_timeout=5, call_deadline=1).get_person(DECEASED_NIK)
    assert registry.requests == 1


def test_a_huge_answer_is_refused_without_holding_it_in_memory(start_registry):
    registry = start_registry(huge_mb=50)
    client = client_for(registry, max_response_bytes=1024 * 1024, call_deadline=30)

    tracemalloc.start()
    try:
        with pytest.raises(RegistryUnavailable, match="larger than"):
            client.lookup([DECEASED_NIK])
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_an_answer_announced_too_large_is_refused_before_reading(start_registry):
    registry = start_registry()

    with pytest.raises(RegistryUnavailable, match="larger than"):
        client_for(registry, max_response_bytes=10).get_person(DECEASED_NIK)


def test_lookups_run_in_parallel_batches_up_to_the_concurrency(start_registry):
    registry = start_registry(slow=0.1)
    niks = [DECEASED_NIK] + [f"33250112035{i:05d}" for i in range(10, 560)]

    found = client_for(registry, concurrency=3).lookup(niks)

    assert list(found) == [DECEASED_NIK]
    assert registry.requests == 6
    assert 1 <= registry.most_in_flight <= 3


def test_a_run_out_of_budget_leaves_the_rest_pending_with_a_summary(
    start_registry, settings, make_claim
):
    registry = start_registry(slow=5)
    settings.POPULATION_REGISTRY_URL = registry.url
    settings.REGISTRY_RETRIES = 0
    claims = [make_claim(deceased_nik=f"332501120350{n:04d}") for n in range(1, 4)]

    summary = check_claims(claim_ids=[c.pk for c in claims], budget=0.5)

    assert (summary.checked, summary.pending) == (0, 3)
    assert sum(summary.reasons.values()) == 3
    assert RegistryCheck.objects.filter(status=RegistryCheck.Status.PENDING).count() == 3


def test_a_spent_budget_asks_no_registry_at_all(start_registry, settings, make_claim):
    registry = start_registry()
    settings.POPULATION_REGISTRY_URL = registry.url
    claim = make_claim()

    summary = check_claims(claim_ids=[claim.pk], budget=0)

    assert summary.pending == 1 and registry.requests == 0
    assert "Batas waktu" in RegistryCheck.objects.get(claim=claim).last_error
