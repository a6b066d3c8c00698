"""Mode latihan: an official rehearses a whole claim on practice data (santunan/practice.py)
with the real services, and nobody else can see or move it."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_fsm import has_transition_perm
from pypdf import PdfReader

from notifications.models import Message
from santunan.identity import PRACTICE_PREFIX, nik_problem
from santunan.models import AccessLog, Claim, ClaimDocument, ClaimEvent, Status
from santunan.practice import (
    MAX_PRACTICE_CLAIMS,
    WATERMARK,
    practice_letter_pdf,
    reset_practice,
    start_practice_claim,
)
from santunan.services import (
    ClaimError,
    approve_claim,
    return_claim,
    submit_claim,
    update_claim,
    verify_claim,
)
from tests.conftest import make_user
from tests.santunan.factories import DECEASED_NIK, submitted_claim
from villages.roles import Role

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def act(client, claim, action, **data):
    return client.post(reverse("santunan:practice_act", args=[claim.pk, action]), data)


def test_an_operator_rehearses_a_whole_claim_from_their_own_account(client_for, operator_a):
    client = client_for(operator_a)
    response = client.post(reverse("santunan:practice_start"))
    claim = Claim.all_objects.get(practice_of=operator_a)
    assert response.url == reverse("santunan:practice_claim", args=[claim.pk])
    assert claim.is_practice and claim.status == Status.DRAFT
    assert claim.deceased_nik.startswith(PRACTICE_PREFIX)
    assert claim.documents.count() == 4  # sample scans of the documents the policy asks for

    act(client, claim, "ajukan")
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED
    assert claim.number == f"LATIHAN-{claim.pk}"

    act(client, claim, "kembalikan", reason="Alamat ahli waris kurang lengkap")
    claim.refresh_from_db()
    assert claim.status == Status.RETURNED
    page = client.get(reverse("santunan:practice_claim", args=[claim.pk])).content.decode()
    # The history reads in words, and the village's next step is offered.
    assert "Alamat ahli waris kurang lengkap" in page and "Dikembalikan ke desa" in page
    assert "return_to_village" not in page and "Simpan perbaikan" in page

    act(
        client,
        claim,
        "perbaiki",
        heir_name=claim.heir_name,
        heir_address="Dukuh Contoh RT 003 RW 004",
        deceased_address=claim.deceased_address,
    )
    act(client, claim, "ajukan")
    claim.refresh_from_db()
    assert (claim.status, claim.heir_address) == (Status.SUBMITTED, "Dukuh Contoh RT 003 RW 004")

    act(client, claim, "verifikasi")
    act(client, claim, "setujui")
    claim.refresh_from_db()
    # The official played verifier and approver: the four-eyes rule is relaxed in practice.
    assert claim.status == Status.APPROVED
    assert claim.verified_by == claim.approved_by == operator_a

    letter = client.get(reverse("santunan:practice_letter", args=[claim.pk]))
    assert letter["Content-Type"] == "application/pdf"
    text = pdf_text(letter.content)
    assert text.count(WATERMARK) >= 3  # header, footer and the page's own banner
    assert claim.deceased_name in text
    actions = list(claim.events.values_list("action", flat=True))
    assert actions[-6:] == [
        "submit",
        "return_to_village",
        "update",
        "submit",
        "verify",
        "approve",
    ]


@pytest.mark.parametrize("role", [Role.VERIFIKATOR, Role.APPROVER, Role.BENDAHARA])
def test_dinas_sosial_officials_practise_too_playing_the_village(role, wilayah):
    official = make_user(f"latih_{role}", role)
    claim = start_practice_claim(user=official)
    submit_claim(user=official, claim_id=claim.pk)
    verify_claim(user=official, claim_id=claim.pk)
    claim = approve_claim(user=official, claim_id=claim.pk)
    assert claim.status == Status.APPROVED
    assert WATERMARK in pdf_text(practice_letter_pdf(claim))


def test_an_administrator_or_a_person_without_role_cannot_practise(client_for, administrator):
    assert client_for(administrator).get(reverse("santunan:practice_home")).status_code == 403
    with pytest.raises(ClaimError):
        start_practice_claim(user=make_user("tanpa_peran"))


def test_a_practice_claim_is_nobody_elses(client_for, operator_a, operator_b, verifikator):
    claim = start_practice_claim(user=operator_a)
    submit_claim(user=operator_a, claim_id=claim.pk)
    other = client_for(verifikator)
    # Neither the practice pages nor the real claim page know it.
    assert other.get(reverse("santunan:practice_claim", args=[claim.pk])).status_code == 404
    assert other.get(reverse("santunan:claim_detail", args=[claim.pk])).status_code == 404
    other.post(reverse("santunan:practice_act", args=[claim.pk, "verifikasi"]))
    # And the services refuse anyone but its official, whatever their role.
    for user in (verifikator, operator_b):
        with pytest.raises(ClaimError):
            verify_claim(user=user, claim_id=claim.pk)
        with pytest.raises(ClaimError):
            update_claim(user=user, claim_id=claim.pk, data={"notes": "x"})
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED


def test_a_practice_claim_never_reaches_the_payout_steps(operator_a):
    claim = start_practice_claim(user=operator_a)
    submit_claim(user=operator_a, claim_id=claim.pk)
    verify_claim(user=operator_a, claim_id=claim.pk)
    claim = approve_claim(user=operator_a, claim_id=claim.pk)
    operator_a.groups.add(*make_user("x", Role.BENDAHARA).groups.all())
    assert not has_transition_perm(claim.schedule, operator_a)


def test_the_real_flow_keeps_four_eyes_and_its_own_checks(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    verifikator.groups.add(*make_user("y", Role.APPROVER).groups.all())
    verify_claim(user=verifikator, claim_id=claim.pk)
    with pytest.raises(ClaimError):
        approve_claim(user=verifikator, claim_id=claim.pk)
    # The database keeps the rule for real claims whatever path writes them.
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status=Status.APPROVED, approved_by=verifikator)


def test_practice_numbers_cannot_be_real_and_the_real_flow_refuses_them():
    practice_nik = PRACTICE_PREFIX + "1203500001"
    assert nik_problem(practice_nik) is not None
    assert nik_problem(DECEASED_NIK) is None


def test_a_practice_claim_never_blocks_a_real_claim_for_the_same_person(operator_a):
    practice = start_practice_claim(user=operator_a)
    submit_claim(user=operator_a, claim_id=practice.pk)
    # Even a practice claim holding a real person's NIK stands outside the one-claim rule.
    Claim.all_objects.filter(pk=practice.pk).update(deceased_nik=DECEASED_NIK)
    real = submitted_claim(operator_a)
    assert real.status == Status.SUBMITTED and real.number.startswith("SKM-")


def test_a_returned_practice_claim_sends_no_message(operator_a):
    before = Message.objects.count()
    claim = start_practice_claim(user=operator_a)
    submit_claim(user=operator_a, claim_id=claim.pk)
    return_claim(user=operator_a, claim_id=claim.pk, reason="Foto KK buram sekali")
    assert Message.objects.count() == before


def test_the_practice_has_a_limit_and_the_page_says_so(client_for, operator_a):
    for _ in range(MAX_PRACTICE_CLAIMS):
        start_practice_claim(user=operator_a)
    with pytest.raises(ClaimError):
        start_practice_claim(user=operator_a)
    page = client_for(operator_a).get(reverse("santunan:practice_home")).content.decode()
    assert "Atur ulang latihan" in page and "Mulai klaim latihan" not in page


def test_reset_removes_the_officials_practice_and_nothing_else(
    client_for, operator_a, operator_b, django_capture_on_commit_callbacks
):
    real = submitted_claim(operator_a)
    theirs = start_practice_claim(user=operator_b)
    mine = start_practice_claim(user=operator_a)
    submit_claim(user=operator_a, claim_id=mine.pk)
    client = client_for(operator_a)
    client.get(reverse("santunan:practice_document", args=[mine.pk, mine.documents.first().pk]))
    files = [d.file.name for d in mine.documents.all()]
    assert files and all(default_storage.exists(name) for name in files)

    assert client.get(reverse("santunan:practice_reset")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("santunan:practice_reset"))

    assert not Claim.all_objects.filter(practice_of=operator_a).exists()
    assert not ClaimEvent.objects.filter(claim_id=mine.pk).exists()
    assert not ClaimDocument.objects.filter(claim_id=mine.pk).exists()
    assert not AccessLog.objects.filter(claim_id=mine.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert Claim.objects.filter(pk=real.pk).exists()
    assert Claim.all_objects.filter(pk=theirs.pk).exists()
    assert reset_practice(user=operator_a) == 0


def test_practice_pages_wear_the_banner_and_the_nav_leads_there(client_for, operator_a):
    client = client_for(operator_a)
    home = client.get(reverse("santunan:desa_home")).content.decode()
    assert reverse("santunan:practice_home") in home
    page = client.get(reverse("santunan:practice_home")).content.decode()
    assert 'class="practice"' in page and "practice-banner" in page and "MODE LATIHAN" in page
    assert "practice-banner" not in home


def test_the_letter_waits_for_approval(client_for, operator_a):
    claim = start_practice_claim(user=operator_a)
    response = client_for(operator_a).get(reverse("santunan:practice_letter", args=[claim.pk]))
    assert response.status_code == 302
    with pytest.raises(ClaimError):
        practice_letter_pdf(claim)


def test_an_unknown_practice_step_is_not_found(client_for, operator_a):
    claim = start_practice_claim(user=operator_a)
    response = act(client_for(operator_a), claim, "bayar")
    assert response.status_code == 404


def test_the_default_manager_is_the_real_one():
    # The admin, DRF and reverse relations use the default manager: it must be the safe one.
    assert Claim._default_manager is Claim.objects
    assert "WHERE" in str(Claim.objects.all().query)
    # Saving, reloading and related access reach every row.
    assert "WHERE" not in str(Claim._base_manager.all().query)


def test_sample_files_live_under_the_claims_folder(operator_a):
    claim = start_practice_claim(user=operator_a)
    for document in claim.documents.all():
        assert Path(document.file.name).parts[:2] == ("claims", str(claim.pk))
