"""Words a registry uses that the installation has not mapped — a DTKS status, a decile
out of range — in API answers and files: the person is kept with that field empty, the
word is logged with its column, and it reaches the value-mapping page with its count."""

import io
import logging
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dinsos_sync.client import RegistryClient
from dinsos_sync.fake_registry import FakeRegistry
from dinsos_sync.models import RegistryCheck, UnknownValue, ValueMapping
from dinsos_sync.records import Person
from dinsos_sync.services import check_claims
from tests.conftest import DESA_A
from tests.dinsos_sync.conftest import HEIR_NIK, KK, person

NIKS = [f"332501120350{n:04d}" for n in range(1, 151)]
ODD_ONE, ODD_TWO = NIKS[7], NIKS[120]


def social(nik: str) -> Person:
    return Person(
        nik=nik,
        name="SLAMET",
        birth_date=date(1950, 3, 12),
        sex="L",
        kk=KK,
        desa_code=DESA_A,
        dtks=True,
        decile=1,
        updated_on=timezone.localdate(),
    )


def population(nik: str) -> Person:
    return Person(
        nik=nik,
        name="SLAMET",
        birth_date=date(1950, 3, 12),
        sex="L",
        kk=KK,
        desa_code=DESA_A,
        alive=False,
        death_date=timezone.localdate() - timedelta(days=5),
    )


@pytest.fixture
def registries(settings, wilayah):
    """registries(altered) → the social registry, which answers `altered` fields for
    some NIKs; a population registry beside it knows everyone."""
    servers = []

    def start(altered: dict[str, dict]) -> FakeRegistry:
        social_server = FakeRegistry({n: social(n) for n in NIKS}, altered=altered).start()
        population_server = FakeRegistry({n: population(n) for n in NIKS}).start()
        servers.extend([social_server, population_server])
        settings.SOCIAL_REGISTRY_URL = social_server.url
        settings.POPULATION_REGISTRY_URL = population_server.url
        settings.REGISTRY_RETRIES = 0
        return social_server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def social_client(server) -> RegistryClient:
    return RegistryClient(source="social", base_url=server.url, token="", concurrency=2)


def page_row(page: str, word: str) -> str:
    """The value-mapping page's table row of one word."""
    match = re.search(
        r"<tr>(?:(?!<tr>).)*<code>" + re.escape(word) + r"</code>.*?</tr>", page, re.S
    )
    assert match, f"{word} is not on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_one_unknown_status_keeps_every_person_of_the_answer(registries, caplog):
    server = registries({ODD_ONE: {"status_dtks": "NON_DTKS"}})
    client = social_client(server)

    with caplog.at_level(logging.WARNING, logger="dinsos_sync.client"):
        found = client.lookup(NIKS)

    assert len(found) == 150 and server.requests == 2
    assert found[ODD_ONE].dtks is None and found[ODD_ONE].decile == 1
    assert all(found[nik].dtks is True for nik in NIKS if nik != ODD_ONE)
    assert client.unknown == {("status_dtks", "NON_DTKS"): 1}
    assert "'NON_DTKS' in column status_dtks" in caplog.text
    assert not any(nik in caplog.text for nik in NIKS) and "SLAMET" not in caplog.text


def test_a_decile_out_of_range_keeps_the_person_without_a_decile(registries, caplog):
    server = registries({ODD_ONE: {"desil": 11}, ODD_TWO: {"desil": "11"}})

    with caplog.at_level(logging.WARNING, logger="dinsos_sync.client"):
        found = social_client(server).lookup(NIKS)

    assert len(found) == 150
    assert found[ODD_ONE].decile is None and found[ODD_ONE].dtks is True
    assert found[ODD_TWO].decile is None and found[NIKS[0]].decile == 1
    assert "'11' in column desil" in caplog.text


def test_get_person_keeps_a_person_with_an_unknown_word(registries):
    server = registries({ODD_ONE: {"status_dtks": "PRA SEJAHTERA"}})
    client = social_client(server)

    slamet = client.get_person(ODD_ONE)

    assert slamet.nik == ODD_ONE and slamet.dtks is None
    assert client.unknown == {("status_dtks", "PRA SEJAHTERA"): 1}


def test_claims_proceed_and_the_word_reaches_the_value_mapping_page_with_its_count(
    registries, make_claim, client_for, verifikator
):
    registries({ODD_ONE: {"status_dtks": "NON_DTKS"}, ODD_TWO: {"status_dtks": " non_dtks "}})
    claims = [make_claim(deceased_nik=nik, heir_nik=HEIR_NIK) for nik in NIKS[:130]]

    summary = check_claims(claim_ids=[c.pk for c in claims])

    assert (summary.checked, summary.pending, summary.unknown_words) == (130, 0, 2)
    assert not RegistryCheck.objects.filter(status=RegistryCheck.Status.PENDING).exists()
    seen = UnknownValue.objects.get()
    assert (seen.source, seen.column, seen.value, seen.origin, seen.count) == (
        "social",
        "status_dtks",
        "NON_DTKS",
        "api",
        2,
    )
    page = client_for(verifikator).get(reverse("dinsos_sync:values")).content.decode()
    row = page_row(page, "NON_DTKS")
    assert "status_dtks" in row and " 0 2 " in row


def test_a_decile_out_of_range_reaches_the_page_as_a_word_only_the_source_can_fix(
    registries, make_claim, client_for, verifikator
):
    registries({ODD_ONE: {"desil": 11}})
    claims = [make_claim(deceased_nik=nik, heir_nik=HEIR_NIK) for nik in NIKS[:10]]

    summary = check_claims(claim_ids=[c.pk for c in claims])

    assert (summary.checked, summary.pending) == (10, 0)
    page = client_for(verifikator).get(reverse("dinsos_sync:values")).content.decode()
    row = page_row(page, "11")
    assert "desil" in row and " 0 1 " in row and "Tidak dapat dipetakan" in row


def test_counts_add_up_over_rounds_of_api_answers(registries, make_claim):
    registries({ODD_ONE: {"status_dtks": "NON_DTKS"}})
    claim = make_claim(deceased_nik=ODD_ONE, heir_nik=HEIR_NIK)

    check_claims(claim_ids=[claim.pk])
    check_claims(claim_ids=[claim.pk])

    assert UnknownValue.objects.get().count == 2


def test_a_word_mapped_on_the_page_is_read_by_the_next_answer(
    registries, make_claim, client_for, verifikator
):
    server = registries({ODD_ONE: {"status_dtks": "NON_DTKS"}})
    check_claims(claim_ids=[make_claim(deceased_nik=ODD_ONE, heir_nik=HEIR_NIK).pk])
    client = client_for(verifikator)
    page = client.get(reverse("dinsos_sync:values"))
    field = next(name for name in page.context["form"].fields)

    response = client.post(reverse("dinsos_sync:values"), {field: "TIDAK"})

    assert response.status_code == 302
    mapping = ValueMapping.objects.get()
    assert (mapping.source, mapping.column, mapping.value, mapping.meaning) == (
        "social",
        "status_dtks",
        "NON_DTKS",
        "TIDAK",
    )
    assert not UnknownValue.objects.exists()
    assert "NON_DTKS" not in client.get(reverse("dinsos_sync:values")).content.decode()
    fresh = RegistryClient.for_source("social")
    assert fresh.lookup([ODD_ONE])[ODD_ONE].dtks is False and not fresh.unknown
    assert server.requests >= 2


def test_the_page_refuses_a_meaning_the_column_cannot_have(
    registries, make_claim, client_for, verifikator
):
    registries({ODD_ONE: {"status_dtks": "NON_DTKS"}})
    check_claims(claim_ids=[make_claim(deceased_nik=ODD_ONE, heir_nik=HEIR_NIK).pk])
    client = client_for(verifikator)
    field = next(iter(client.get(reverse("dinsos_sync:values")).context["form"].fields))

    response = client.post(reverse("dinsos_sync:values"), {field: "MENINGGAL"})

    assert response.status_code == 200 and "tidak sah" in response.content.decode()
    assert not ValueMapping.objects.exists()


def test_a_file_brings_its_unknown_words_with_the_rows_of_the_latest_file(
    load_registry, client_for, verifikator, settings
):
    settings.REGISTRY_MAX_BAD_SHARE = 0.5
    load_registry(
        "social",
        [
            person("social", status_dtks="NON_DTKS"),
            person("social", nik=HEIR_NIK, status_dtks="NON_DTKS", desil="12"),
        ],
    )
    load_registry("social", [person("social", status_dtks="NON_DTKS")])

    counts = {(u.column, u.value): u.count for u in UnknownValue.objects.filter(origin="file")}
    assert counts == {("status_dtks", "NON_DTKS"): 1}
    page = client_for(verifikator).get(reverse("dinsos_sync:values")).content.decode()
    assert " 1 0 " in page_row(page, "NON_DTKS")


def test_the_page_is_only_for_those_who_load_registry_data(client_for, operator_a, db):
    assert client_for(operator_a).get(reverse("dinsos_sync:values")).status_code == 403


def test_the_crosscheck_command_says_how_many_persons_came_with_unknown_words(
    registries, make_claim
):
    registries({ODD_ONE: {"status_dtks": "NON_DTKS"}})
    make_claim(deceased_nik=ODD_ONE, heir_nik=HEIR_NIK)
    out = io.StringIO()

    call_command("crosscheck", "--all", stdout=out)

    assert "1 orang dijawab registri dengan kata yang belum dikenal" in out.getvalue()
