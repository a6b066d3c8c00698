"""Documents the registry findings require (SKTM and a photo of the house for a
household not in DTKS/DTSEN): the village is told which and why, the verifier cannot
verify and the approver cannot approve while one is missing, so the claim cannot be
paid without them."""

import pytest
from django.urls import reverse

from dinsos_sync.services import check_claims
from santunan.finance.services import FinanceError, create_batch
from santunan.models import Claim, ClaimEvent, Status
from santunan.services import (
    ClaimError,
    approve_claim,
    attach_document,
    return_claim,
    submit_claim,
    verify_claim,
)
from tests.dinsos_sync.conftest import HEIR_NIK, KK, person
from tests.santunan.factories import submitted_claim, upload

NOT_LISTED = "Almarhum tidak terdaftar di DTKS/DTSEN."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def not_in_social_registry(load_registry):
    """Slamet and his daughter in Dukcapil, in one KK; neither in DTKS/DTSEN."""
    daughter = {"nik": HEIR_NIK, "nama": "SITI AMINAH", "tanggal_lahir": "05-06-1975"}
    load_registry(
        "population",
        [
            person("population", nama="SLAMET RIYADI"),
            person(
                "population",
                jenis_kelamin="P",
                status_hidup="HIDUP",
                tanggal_meninggal="",
                **daughter,
            ),
        ],
    )
    load_registry("social", [person("social", nik="3325012208600004", nama="TETANGGA")])


@pytest.fixture
def claim(not_in_social_registry, operator_a):
    """Submitted with the usual documents, then cross-checked as the worker does."""
    claim = submitted_claim(operator_a, heir_nik=HEIR_NIK, deceased_kk=KK)
    check_claims(claim_ids=[claim.pk])
    claim.refresh_from_db()
    assert sorted(claim.extra_required_documents) == ["foto_rumah", "sktm"]
    return claim


def test_the_verifier_cannot_verify_until_the_village_uploads_the_sktm(
    claim, operator_a, verifikator
):
    with pytest.raises(ClaimError) as refused:
        verify_claim(user=verifikator, claim_id=claim.pk)

    problems = " ".join(refused.value.problems)
    assert "Surat keterangan tidak mampu (SKTM)" in problems and "Foto rumah" in problems
    assert NOT_LISTED in problems
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED
    assert not ClaimEvent.objects.filter(claim=claim, action="verify").exists()

    return_claim(user=verifikator, claim_id=claim.pk, reason=problems)
    for kind in ("sktm", "foto_rumah"):
        attach_document(user=operator_a, claim_id=claim.pk, kind=kind, upload=upload())
    submit_claim(user=operator_a, claim_id=claim.pk)
    verify_claim(user=verifikator, claim_id=claim.pk)

    assert Claim.objects.get(pk=claim.pk).status == Status.VERIFIED


def test_the_house_photo_alone_is_not_enough(claim, operator_a, verifikator):
    return_claim(user=verifikator, claim_id=claim.pk, reason="Unggah SKTM dan foto rumah.")
    attach_document(user=operator_a, claim_id=claim.pk, kind="foto_rumah", upload=upload())

    with pytest.raises(ClaimError) as refused:
        submit_claim(user=operator_a, claim_id=claim.pk)

    assert any("SKTM" in problem for problem in refused.value.problems)
    assert not any("Foto rumah" in problem for problem in refused.value.problems)


def test_a_claim_cannot_be_paid_without_the_documents_a_later_check_required(
    not_in_social_registry, operator_a, verifikator, approver, bendahara
):
    claim = submitted_claim(operator_a, heir_nik=HEIR_NIK, deceased_kk=KK)
    verify_claim(user=verifikator, claim_id=claim.pk)  # before the registry answered
    check_claims(claim_ids=[claim.pk])  # the re-check of open claims

    with pytest.raises(ClaimError) as refused:
        approve_claim(user=approver, claim_id=claim.pk)
    assert "belum dapat disetujui" in refused.value.message
    with pytest.raises(FinanceError):
        create_batch(user=bendahara, claim_ids=[claim.pk])

    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED
    assert not claim.payments.exists() and not claim.batch_items.exists()


def test_the_village_is_told_which_documents_and_why_on_every_page(
    claim, client_for, operator_a, verifikator
):
    return_claim(user=verifikator, claim_id=claim.pk, reason="Unggah SKTM dan foto rumah.")
    client = client_for(operator_a)

    for url in (
        reverse("santunan:desa_home"),
        reverse("santunan:claim_documents", args=[claim.pk]),
        reverse("santunan:claim_review", args=[claim.pk]),
        reverse("santunan:claim_detail", args=[claim.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Surat keterangan tidak mampu (SKTM)" in page, url
        assert NOT_LISTED in page, url
    review = client.get(reverse("santunan:claim_review", args=[claim.pk])).content.decode()
    assert "Data dan dokumen lengkap" not in review
    assert "disabled" in review.split("Ajukan lagi ke Dinas Sosial")[0].rsplit("<button", 1)[1]


def test_the_verifier_sees_the_missing_documents_and_a_prefilled_return(
    claim, client_for, verifikator
):
    client = client_for(verifikator)
    page = client.get(reverse("santunan:claim_detail", args=[claim.pk])).content.decode()

    assert "Dokumen wajib yang belum diunggah" in page
    return_box = page.split('id="return-reason"')[1].split("</textarea>")[0]
    assert "SKTM" in return_box and NOT_LISTED in return_box

    response = client.post(
        reverse("santunan:claim_verify", args=[claim.pk]),
        {"expected_status": "submitted"},
        follow=True,
    )
    assert "belum dapat diverifikasi" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED
