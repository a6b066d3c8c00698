"""The archive (and every search box) finds a name in its old or a near spelling, by
the registry matcher's own name rules (santunan.names): Soemini and Sumini, Tjasmadi
and Casmadi, Achmad and Ahmad are one name to a search. The spelling-neutral names
are kept on each claim, whatever path wrote it, and the migration fills them for the
claims that were there before."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from dinsos_sync import matching
from santunan import names
from santunan.models import Claim, Status
from santunan.names import search_names
from santunan.services import update_claim
from tests.santunan.factories import draft_claim, submitted_claim

ARCHIVE = reverse("santunan:archive")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def nik(n: int) -> str:
    return f"33250112035{n:05d}"


def found(client, text: str) -> str:
    """The archive's results table for a search."""
    response = client.post(ARCHIVE, {"q": text}, follow=True)
    return response.content.decode().split("<table", 1)[1]


@pytest.fixture
def old_and_new(operator_a):
    """Two claims in the old spelling and one in today's, with other people's names."""
    return {
        "Soemini": submitted_claim(operator_a, deceased_nik=nik(1), deceased_name="Soemini"),
        "Tjasmadi": submitted_claim(
            operator_a, deceased_nik=nik(2), deceased_name="Karto", heir_name="Tjasmadi"
        ),
        "Achmad Fathoni": submitted_claim(
            operator_a, deceased_nik=nik(3), deceased_name="Achmad Fathoni"
        ),
        "Sumarni": submitted_claim(operator_a, deceased_nik=nik(4), deceased_name="Sumarni"),
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Sumini", "Soemini"),
        ("sumini", "Soemini"),
        ("Casmadi", "Tjasmadi"),
        ("Tjasmadi", "Tjasmadi"),
        ("Ahmad Fatoni", "Achmad Fathoni"),
        ("Akhmad", "Achmad Fathoni"),
    ],
)
def test_a_search_finds_the_name_in_its_old_or_near_spelling(
    client_for, verifikator, old_and_new, typed, stored
):
    page = found(client_for(verifikator), typed)

    assert old_and_new[stored].number in page
    assert old_and_new["Sumarni"].number not in page


def test_a_search_in_the_old_spelling_finds_todays(client_for, verifikator, operator_a):
    today = submitted_claim(operator_a, deceased_name="Sumini", heir_name="Casmadi")

    client = client_for(verifikator)

    assert today.number in found(client, "Soemini")
    assert today.number in found(client, "Tjasmadi")


def test_the_verifiers_queue_searches_the_same_way(client_for, verifikator, old_and_new):
    response = client_for(verifikator).post(
        reverse("santunan:verifikator_home"), {"q": "Sumini"}, follow=True
    )

    queue = response.content.decode().split('id="queue"')[1]
    assert old_and_new["Soemini"].number in queue and old_and_new["Sumarni"].number not in queue


def test_the_search_uses_the_registry_matchers_name_rules_not_a_copy():
    assert matching.normalise_name is names.normalise_name
    assert matching.spelling_neutral is names.spelling_neutral
    assert search_names("H. Moh. Soetrisno bin Karto", "Sitti Chotidjah") == (
        "muhamad sutrisno\nsiti hotijah"
    )


def test_a_changed_name_changes_the_spelling_neutral_names(operator_a):
    claim = draft_claim(operator_a, deceased_name="Slamet")

    update_claim(user=operator_a, claim_id=claim.pk, data={"deceased_name": "Soedjono"})

    assert Claim.objects.get(pk=claim.pk).search_names == "sujono\nsiti aminah"


def test_claims_written_many_at_once_are_found_by_spelling_too(client_for, operator_a, verifikator):
    [claim] = Claim.objects.bulk_create(
        [
            Claim(
                status=Status.SUBMITTED,
                number="SKM-2099-000001",
                desa_id=operator_a.operator_assignment.desa_id,
                created_by=operator_a,
                deceased_nik=nik(9),
                deceased_name="Djoemiran",
            )
        ]
    )

    assert Claim.objects.get(number="SKM-2099-000001").search_names == "jumiran\n"
    assert claim.number in found(client_for(verifikator), "Jumiran")


def test_the_migration_fills_the_names_of_the_claims_already_there(operator_a, old_and_new):
    Claim.objects.update(search_names="")
    migration = importlib.import_module("santunan.migrations.0016_claim_search_names")

    # The function reads only the schema editor's connection.
    migration.fill_search_names(None, SimpleNamespace(connection=connection))

    for claim in Claim.objects.all():
        assert claim.search_names == search_names(claim.deceased_name, claim.heir_name)
    assert Claim.objects.get(pk=old_and_new["Tjasmadi"].pk).search_names == "karto\ncasmadi"


def test_a_number_fragment_is_not_read_as_a_name(client_for, verifikator, old_and_new):
    claim = old_and_new["Soemini"]

    page = found(client_for(verifikator), claim.number[-6:])

    assert claim.number in page and old_and_new["Sumarni"].number not in page
