"""The registry HTTP client against the real fake registry on 127.0.0.1."""

import logging
import socket

import pytest

from dinsos_sync.client import RegistryClient
from dinsos_sync.errors import RegistryUnavailable
from dinsos_sync.fake_registry import FakeRegistry, load_persons
from tests.conftest import DESA_A
from tests.dinsos_sync.conftest import DECEASED_NIK, HEIR_NIK, OTHER_NIK, person, write_csv

TOKEN = "rahasia"


@pytest.fixture
def registry(tmp_path, wilayah):
    path = write_csv(tmp_path / "pop.csv", "population", [person("population")])
    persons = load_persons(path, "population", known_desa={DESA_A}, regency_code="33.25")
    server = FakeRegistry(persons, token=TOKEN).start()
    yield server
    server.shutdown()
    server.server_close()


def client_for(server, **options) -> RegistryClient:
    defaults = {
        "connect_timeout": 1,
        "read_timeout": 2,
        "retries": 2,
        "backoff": 0.01,
        "max_retry_after": 5,
    }
    return RegistryClient(
        source="population", base_url=server.url, token=TOKEN, **{**defaults, **options}
    )


def test_it_gets_a_person_by_nik(registry):
    slamet = client_for(registry).get_person(DECEASED_NIK)

    assert slamet.name == "SLAMET" and slamet.alive is False


def test_it_answers_none_for_an_unknown_nik(registry):
    assert client_for(registry).get_person(OTHER_NIK) is None


def test_it_looks_up_many_niks_in_batches_of_one_hundred(registry):
    niks = [DECEASED_NIK, HEIR_NIK] + [f"33250112035{i:05d}" for i in range(10, 160)]

    found = client_for(registry).lookup(niks)

    assert list(found) == [DECEASED_NIK]
    assert registry.requests == 2


def test_it_retries_a_500_and_then_succeeds(registry):
    registry.fail = 2

    assert client_for(registry).get_person(DECEASED_NIK).name == "SLAMET"
    assert registry.requests == 3


def test_it_gives_up_when_the_registry_keeps_failing(registry):
    registry.fail = -1

    with pytest.raises(RegistryUnavailable, match="HTTP 500"):
        client_for(registry).get_person(DECEASED_NIK)
    assert registry.requests == 3


def test_it_waits_for_retry_after_on_429(registry, monkeypatch):
    waits = []
    monkeypatch.setattr("dinsos_sync.client.time.sleep", waits.append)
    registry.rate_limit, registry.retry_after = 1, 3

    assert client_for(registry).get_person(DECEASED_NIK) is not None
    assert waits == [3.0]


def test_it_does_not_wait_longer_than_allowed_for_a_429(registry):
    registry.rate_limit, registry.retry_after = -1, 600

    with pytest.raises(RegistryUnavailable, match="429"):
        client_for(registry).get_person(DECEASED_NIK)
    assert registry.requests == 1


def test_it_times_out_on_a_slow_registry(registry):
    registry.slow = 1.0

    with pytest.raises(RegistryUnavailable, match="timeout"):
        client_for(registry, read_timeout=0.2, retries=1).get_person(DECEASED_NIK)


def test_it_refuses_broken_json_and_logs_why_without_the_nik(registry, caplog):
    registry.broken_json = True

    with (
        caplog.at_level(logging.ERROR, logger="dinsos_sync.client"),
        pytest.raises(RegistryUnavailable, match="tidak sah"),
    ):
        client_for(registry).lookup([DECEASED_NIK])
    assert "invalid JSON" in caplog.text
    assert DECEASED_NIK not in caplog.text


def test_it_reports_a_registry_that_is_down():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = RegistryClient(
        source="social",
        base_url=f"http://127.0.0.1:{port}",
        token=TOKEN,
        connect_timeout=0.5,
        read_timeout=0.5,
        retries=1,
        backoff=0.01,
    )

    with pytest.raises(RegistryUnavailable, match="connection failed"):
        client.get_person(DECEASED_NIK)


def test_a_wrong_token_is_not_retried(registry):
    client = RegistryClient(
        source="population", base_url=registry.url, token="salah", retries=3, backoff=0.01
    )

    with pytest.raises(RegistryUnavailable, match="token"):
        client.get_person(DECEASED_NIK)
    assert registry.requests == 1
