"""How the cross-check joins the claim workflow: after each submission, and before verify."""

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dinsos_sync.fake_registry import FakeRegistry
from dinsos_sync.models import Finding, RegistryCheck
from dinsos_sync.records import Person
from santunan.models import ClaimEvent, Status
from santunan.services import (
    REQUIRED_FIELDS,
    ClaimError,
    attach_document,
    create_claim,
    submit_claim,
    verify_claim,
)
from tests.dinsos_sync.conftest import DECEASED_NIK, HEIR_NIK, KK, person

IMMEDIATE = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


@pytest.fixture
def background(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REGISTRY_RETRIES = 0


def submitted_claim(user, claim_data: dict, capture) -> int:
    claim = create_claim(user=user, data=claim_data)
    for kind in ("kk", "ktp_almarhum", "ktp_ahli_waris", "surat_kematian"):
        attach_document(
            user=user,
            claim_id=claim.pk,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 scan", "application/pdf"),
        )
    with capture(execute=True):
        submit_claim(user=user, claim_id=claim.pk)
    return claim.pk


@pytest.fixture
def claim_data(make_claim):
    claim = make_claim(status=Status.DRAFT)  # only to borrow its field values
    data = {f: getattr(claim, f) for f in REQUIRED_FIELDS}
    claim.delete()
    return data


def test_a_submission_goes_through_while_the_registry_is_down(
    settings, background, operator_a, claim_data, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    settings.POPULATION_REGISTRY_URL = settings.SOCIAL_REGISTRY_URL = dead

    claim_id = submitted_claim(operator_a, claim_data, django_capture_on_commit_callbacks)

    check = RegistryCheck.objects.get(claim_id=claim_id)
    assert check.claim.status == Status.SUBMITTED
    assert check.status == RegistryCheck.Status.PENDING
    assert "tidak menjawab" in check.last_error and check.attempts == 1


def test_a_submission_is_checked_against_the_registry_apis(
    settings, background, operator_a, claim_data, django_capture_on_commit_callbacks
):
    population = FakeRegistry(
        {
            DECEASED_NIK: Person(
                nik=DECEASED_NIK,
                name="SUTRISNO",
                birth_date=claim_data["deceased_birth_date"],
                kk=KK,
                desa_code="33.25.01.2001",
                alive=False,
                death_date=claim_data["death_date"],
            )
        }
    ).start()
    social = FakeRegistry(
        {HEIR_NIK: Person(nik=HEIR_NIK, name="SITI AMINAH", birth_date=None, kk=KK, dtks=True)}
    ).start()
    settings.POPULATION_REGISTRY_URL, settings.SOCIAL_REGISTRY_URL = population.url, social.url
    try:
        claim_id = submitted_claim(operator_a, claim_data, django_capture_on_commit_callbacks)
    finally:
        for server in (population, social):
            server.shutdown()
            server.server_close()

    codes = set(Finding.objects.filter(claim_id=claim_id).values_list("code", flat=True))
    assert codes == {"name_differs", "household_not_listed"}
    assert RegistryCheck.objects.get(claim_id=claim_id).status == RegistryCheck.Status.DONE


@pytest.fixture
def blocked_claim(load_registry, make_claim):
    """Slamet registered outside the regency; his daughter, the heir, in his KK (so no
    document is required beyond the usual ones)."""
    daughter = {
        "nik": HEIR_NIK,
        "nama": "SITI AMINAH",
        "tanggal_lahir": "05-06-1975",
        "jenis_kelamin": "P",
    }
    load_registry(
        "population",
        [
            person("population", kode_desa="33.74.01.1001"),
            person("population", status_hidup="HIDUP", tanggal_meninggal="", **daughter),
        ],
    )
    load_registry("social", [person("social")])
    claim = make_claim()
    from dinsos_sync.services import check_claims

    check_claims(claim_ids=[claim.pk])
    return claim


def test_a_blocker_stops_verification_without_a_reason(blocked_claim, verifikator):
    with pytest.raises(ClaimError) as refused:
        verify_claim(user=verifikator, claim_id=blocked_claim.pk)

    assert "menghalangi verifikasi" in refused.value.message
    assert any("tidak berdomisili" in problem for problem in refused.value.problems)
    blocked_claim.refresh_from_db()
    assert blocked_claim.status == Status.SUBMITTED


def test_a_verifier_overrides_a_blocker_with_an_audited_reason(blocked_claim, verifikator):
    reason = "KTP asli menunjukkan alamat di Desa Silurah; Dukcapil belum memperbarui."

    verify_claim(user=verifikator, claim_id=blocked_claim.pk, override_reason=reason)

    event = ClaimEvent.objects.get(claim=blocked_claim, action="verify")
    assert event.reason == reason
    assert [item["code"] for item in event.data["registry_override"]] == ["outside_regency"]


def test_a_pending_check_does_not_stop_verification_but_is_audited(make_claim, verifikator):
    claim = make_claim()

    verify_claim(user=verifikator, claim_id=claim.pk)

    assert ClaimEvent.objects.get(claim=claim, action="verify").data == {
        "registry_check": "pending"
    }
