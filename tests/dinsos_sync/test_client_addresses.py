"""The registry client goes through the outbound guard: its address comes from the
settings, so a registry on 127.0.0.1 (the demo, these tests) is reached, but never a
link-local, metadata or unspecified address, never a scheme other than http/https,
and never a redirect."""

import logging

import pytest

from dinsos_sync.client import RegistryClient
from dinsos_sync.errors import RegistryUnavailable, SyncError
from tests.dinsos_sync.conftest import DECEASED_NIK
from tests.webhooks.receiver import Receiver


def client_at(url: str) -> RegistryClient:
    return RegistryClient(
        source="population",
        base_url=url,
        token="",
        connect_timeout=1,
        read_timeout=2,
        retries=2,
        backoff=0.01,
    )


def test_an_address_that_is_not_http_or_https_is_refused_when_the_client_is_made():
    with pytest.raises(SyncError, match="Alamat registri tidak sah"):
        client_at("ftp://registri.dinsos.go.id/api")


@pytest.mark.parametrize(
    "url, rule",
    [
        ("http://169.254.169.254/latest/meta-data", "link_local"),
        ("http://[fe80::1]:9000/api", "link_local"),
        ("http://0.0.0.0:9000/api", "unspecified"),
        ("http://224.0.0.1:9000/api", "multicast"),
    ],
)
def test_a_registry_address_no_call_may_go_to_is_refused_without_retrying(url, rule, caplog):
    caplog.set_level(logging.WARNING, logger="dinsos_sync.client")

    with pytest.raises(RegistryUnavailable, match="tidak menjawab"):
        client_at(url).lookup([DECEASED_NIK])

    [line] = [r.getMessage() for r in caplog.records if "gave up" in r.getMessage()]
    assert f"address refused ({rule})" in line and "attempt 1" in line


def test_a_registry_that_answers_a_redirect_is_not_followed(caplog):
    registry, inward = Receiver().start(), Receiver().start()
    registry.answers, registry.location = [302], f"{inward.url}/persons/lookup"
    try:
        with pytest.raises(RegistryUnavailable):
            client_at(registry.url).lookup([DECEASED_NIK])
    finally:
        registry.stop()
        inward.stop()

    assert len(registry.received) == 1 and inward.received == []
    assert any("unexpected HTTP 302" in r.getMessage() for r in caplog.records)
