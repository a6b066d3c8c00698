from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from santunan.models import BenefitPolicy, Claim, ClaimDocument, DocumentKind, Status
from santunan.services import (
    ClaimError,
    attach_document,
    claim_warnings,
    create_claim,
    submit_claim,
    update_claim,
)
from tests.santunan.factories import DECEASED_NIK, claim_data, draft_claim, pdf_bytes, upload


def test_submitting_gives_a_yearly_number_policy_amount_and_due_date(operator_a):
    claim = draft_claim(operator_a)

    claim = submit_claim(user=operator_a, claim_id=claim.pk, ip="10.1.2.3")

    year = timezone.localdate().year
    assert claim.status == Status.SUBMITTED
    assert claim.number == f"SKM-{year}-000001"
    assert claim.amount == 1_000_000
    assert claim.due_date > timezone.localdate()
    event = claim.events.get(action="submit")
    assert (event.actor, event.from_status, event.to_status, event.client_ip) == (
        operator_a,
        "draft",
        "submitted",
        "10.1.2.3",
    )


def test_numbers_follow_each_other_and_are_never_reused(operator_a):
    first = submit_claim(user=operator_a, claim_id=draft_claim(operator_a).pk)
    second_draft = draft_claim(operator_a, deceased_nik="3325011203500002")
    second = submit_claim(user=operator_a, claim_id=second_draft.pk)

    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_a_claim_keeps_the_amount_of_the_policy_it_was_submitted_under(operator_a):
    claim = submit_claim(user=operator_a, claim_id=draft_claim(operator_a).pk)
    BenefitPolicy.objects.create(
        name="Perbup baru", effective_from=timezone.localdate(), amount=1_500_000
    )

    claim.refresh_from_db()
    later = submit_claim(
        user=operator_a, claim_id=draft_claim(operator_a, deceased_nik="3325011203500002").pk
    )

    assert claim.amount == 1_000_000
    assert later.amount == 1_500_000


def test_missing_fields_and_documents_are_listed(operator_a):
    claim = draft_claim(operator_a, documents=False, heir_phone="")

    with pytest.raises(ClaimError) as refused:
        submit_claim(user=operator_a, claim_id=claim.pk)

    text = " ".join(refused.value.problems)
    assert "Nomor HP ahli waris belum diisi" in text
    assert "Kartu Keluarga (KK)" in text
    assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT


def test_a_transfer_needs_bank_data_and_the_bank_book(operator_a):
    claim = draft_claim(
        operator_a,
        payout_method="transfer",
        bank_name="Bank Jateng",
        bank_account="12AB",
        bank_account_holder="Siti Aminah",
    )
    ClaimDocument.objects.filter(claim=claim, kind=DocumentKind.BANK_BOOK).update(superseded=True)

    with pytest.raises(ClaimError) as refused:
        submit_claim(user=operator_a, claim_id=claim.pk)

    text = " ".join(refused.value.problems)
    assert "Nomor rekening harus" in text
    assert "Buku tabungan" in text


@pytest.mark.parametrize(
    "overrides,words",
    [
        ({"death_date": date.today() + timedelta(days=3)}, "masa depan"),
        (
            {"deceased_birth_date": date(1950, 3, 12), "death_date": date(1949, 1, 1)},
            "sebelum tanggal lahir",
        ),
        ({"heir_nik": DECEASED_NIK}, "tidak boleh sama"),
        ({"deceased_nik": "3325011203500000"}, "0000"),
    ],
)
def test_rules_refuse_a_submission_with_a_clear_message(operator_a, overrides, words):
    claim = draft_claim(operator_a, **overrides)

    with pytest.raises(ClaimError) as refused:
        submit_claim(user=operator_a, claim_id=claim.pk)

    assert words in " ".join(refused.value.problems)
    assert Claim.objects.get(pk=claim.pk).number is None


def test_a_late_claim_is_refused_with_the_date_it_expired(operator_a):
    claim = draft_claim(operator_a, death_date=date(2025, 1, 10))

    with pytest.raises(ClaimError) as refused:
        submit_claim(user=operator_a, claim_id=claim.pk)

    assert "11 Maret 2025" in " ".join(refused.value.problems)


def test_a_birth_date_that_disagrees_with_the_nik_is_only_a_warning(operator_a):
    claim = submit_claim(
        user=operator_a, claim_id=draft_claim(operator_a, deceased_birth_date=date(1950, 3, 13)).pk
    )

    assert claim.status == Status.SUBMITTED
    assert "berbeda dengan tanggal dalam NIK" in claim_warnings(claim)[0]


def test_a_second_claim_for_the_same_deceased_names_the_first(operator_a, operator_b):
    first = submit_claim(user=operator_a, claim_id=draft_claim(operator_a).pk)
    second = draft_claim(operator_b)

    with pytest.raises(ClaimError) as refused:
        submit_claim(user=operator_b, claim_id=second.pk)

    assert first.number in " ".join(refused.value.problems)
    assert "Silurah" in " ".join(refused.value.problems)


def test_the_database_itself_refuses_two_active_claims_for_one_nik(operator_a):
    submit_claim(user=operator_a, claim_id=draft_claim(operator_a).pk)

    with pytest.raises(IntegrityError):
        Claim.objects.create(
            status=Status.SUBMITTED,
            number="SKM-1999-000001",
            desa=operator_a.operator_assignment.desa,
            created_by=operator_a,
            deceased_nik=DECEASED_NIK,
        )


def test_a_double_clicked_submit_submits_once(operator_a):
    claim = draft_claim(operator_a)
    submit_claim(user=operator_a, claim_id=claim.pk)

    with pytest.raises(ClaimError, match="sudah diajukan"):
        submit_claim(user=operator_a, claim_id=claim.pk)

    assert claim.events.filter(action="submit").count() == 1


def test_another_village_cannot_submit_or_edit_the_claim(operator_a, operator_b):
    claim = draft_claim(operator_a)

    with pytest.raises(ClaimError):
        submit_claim(user=operator_b, claim_id=claim.pk)
    with pytest.raises(ClaimError):
        update_claim(user=operator_b, claim_id=claim.pk, data={"deceased_name": "X"})
    assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT


def test_only_operators_create_claims(verifikator, wilayah):
    with pytest.raises(ClaimError):
        create_claim(user=verifikator, data=claim_data())


def test_a_submitted_claim_cannot_be_edited(operator_a):
    claim = submit_claim(user=operator_a, claim_id=draft_claim(operator_a).pk)

    with pytest.raises(ClaimError, match="tidak dapat diubah"):
        update_claim(user=operator_a, claim_id=claim.pk, data={"deceased_name": "Lain"})


def test_the_status_cannot_be_set_directly(operator_a):
    claim = draft_claim(operator_a)

    with pytest.raises(AttributeError):
        claim.status = Status.PAID


class TestDocuments:
    def test_a_pdf_and_images_are_accepted_by_content(self, operator_a):
        claim = draft_claim(operator_a, documents=False)

        doc = attach_document(
            user=operator_a,
            claim_id=claim.pk,
            kind="kk",
            upload=upload("kk.jpeg", pdf_bytes(), "image/jpeg"),
        )

        assert doc.content_type == "application/pdf"
        assert doc.file.name.startswith(f"claims/{claim.pk}/")
        assert DECEASED_NIK not in doc.file.name

    def test_a_program_renamed_pdf_is_refused_and_nothing_is_stored(
        self, operator_a, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        claim = draft_claim(operator_a, documents=False)

        with pytest.raises(ClaimError, match="bukan PDF"):
            attach_document(
                user=operator_a,
                claim_id=claim.pk,
                kind="kk",
                upload=upload("surat.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf"),
            )

        assert claim.documents.count() == 0
        assert not any(tmp_path.rglob("*.*"))

    def test_an_oversized_file_is_refused(self, operator_a, settings):
        settings.MAX_DOCUMENT_BYTES = 1024
        claim = draft_claim(operator_a, documents=False)

        with pytest.raises(ClaimError, match="terlalu besar"):
            attach_document(
                user=operator_a,
                claim_id=claim.pk,
                kind="kk",
                upload=upload("kk.pdf", pdf_bytes() + b"0" * 2000, "application/pdf"),
            )
        assert claim.documents.count() == 0

    def test_a_broken_image_is_refused(self, operator_a):
        claim = draft_claim(operator_a, documents=False)

        with pytest.raises(ClaimError, match="rusak"):
            attach_document(
                user=operator_a,
                claim_id=claim.pk,
                kind="kk",
                upload=upload("kk.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10),
            )

    def test_a_new_upload_supersedes_the_old_one_without_deleting_it(self, operator_a):
        claim = draft_claim(operator_a)

        attach_document(user=operator_a, claim_id=claim.pk, kind="kk", upload=upload())

        assert claim.documents.filter(kind="kk").count() == 2
        assert claim.documents.filter(kind="kk", superseded=False).count() == 1
