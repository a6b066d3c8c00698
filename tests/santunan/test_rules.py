"""What a policy asks of a claim (santunan/rules.py), and that a claim keeps the rules
it was submitted under whatever the administrator changes later."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from santunan.calendar import add_working_days
from santunan.models import BenefitPolicy, Claim, Status
from santunan.rules import (
    claim_deadline,
    document_requirements,
    offered_kinds,
    payout_problem,
    policy_for,
    policy_in_force,
    policy_problems,
    promise_words,
)
from santunan.services import (
    ClaimError,
    attach_document,
    missing_documents,
    return_claim,
    submission_problems,
    submit_claim,
    update_claim,
    verify_claim,
)
from tests.santunan.factories import draft_claim, submitted_claim, upload
from villages.selectors import close_regency_cache, regency_cache

pytestmark = pytest.mark.django_db


def kinds(requirements) -> list[tuple[str, ...]]:
    return [r.kinds for r in requirements]


def test_the_default_policy_holds_batangs_rules_of_today():
    policy = BenefitPolicy.objects.get()

    assert (policy.deadline_days, policy.deadline_in_working_days, policy.deadline_from) == (
        60,
        False,
        "meninggal",
    )
    assert policy.required_documents == [
        "kk",
        "ktp_almarhum",
        "ktp_ahli_waris",
        "surat_kematian",
        "buku_tabungan",
    ]
    assert policy.payout_methods == ["tunai", "transfer"]
    assert (policy.poor_decile_max, policy.sktm_accepted, policy.service_days) == (5, True, 3)
    assert policy_problems(policy) == {}


def test_the_bank_book_is_required_only_of_a_claim_paid_by_transfer():
    policy = BenefitPolicy.objects.get()
    cash, transfer = Claim(payout_method="tunai"), Claim(payout_method="transfer")

    assert ("buku_tabungan",) not in kinds(document_requirements(cash, policy))
    assert ("buku_tabungan",) in kinds(document_requirements(transfer, policy))
    assert "buku_tabungan" not in offered_kinds(cash, policy)


def test_either_proof_of_death_meets_one_requirement_when_the_policy_says_so():
    policy = BenefitPolicy.objects.get()
    policy.death_documents_either = True
    claim = Claim(payout_method="tunai")

    requirements = document_requirements(claim, policy)

    assert ("surat_kematian", "akta_kematian") in kinds(requirements)
    pair = next(r for r in requirements if len(r.kinds) == 2)
    assert pair.met_by({"akta_kematian"}) and pair.met_by({"surat_kematian"})
    assert pair.label == "Surat keterangan kematian dari desa atau Akta kematian"


def test_registry_findings_add_to_the_policys_documents():
    policy = BenefitPolicy.objects.get()
    claim = Claim(payout_method="tunai", extra_required_documents=["sktm", "kk"])

    assert kinds(document_requirements(claim, policy))[-1] == ("sktm",)
    assert kinds(document_requirements(claim, policy)).count(("kk",)) == 1


def test_the_deadline_counts_from_the_akta_when_the_policy_says_so():
    policy = BenefitPolicy(deadline_days=30, deadline_from="akta")
    claim = Claim(death_date=date(2026, 1, 1), death_certificate_date=date(2026, 2, 1))

    assert claim_deadline(claim, policy) == date(2026, 3, 3)
    assert claim_deadline(Claim(death_date=date(2026, 1, 1)), policy) is None


def test_a_payout_method_the_policy_does_not_offer_is_named_in_the_refusal():
    policy = BenefitPolicy(cash_offered=True, transfer_offered=False)

    assert payout_problem("tunai", policy) is None
    assert payout_problem("transfer", policy) == (
        'Cara pembayaran "Transfer bank" tidak tersedia menurut kebijakan yang berlaku; '
        "pilih: Tunai di Dinas Sosial."
    )


def test_a_policy_without_documents_or_payout_methods_is_refused_in_indonesian():
    policy = BenefitPolicy(
        amount=0,
        required_documents=[],
        optional_documents=["sktm"],
        cash_offered=False,
        transfer_offered=False,
        deadline_days=0,
        service_days=0,
        poor_decile_max=11,
    )

    problems = policy_problems(policy)

    assert problems["required_documents"] == [
        "Pilih paling sedikit satu dokumen wajib; klaim tanpa dokumen tidak dapat diperiksa."
    ]
    assert problems["transfer_offered"] == [
        "Pilih paling sedikit satu cara pembayaran: tunai atau transfer bank."
    ]
    assert set(problems) == {
        "required_documents",
        "transfer_offered",
        "amount",
        "deadline_days",
        "service_days",
        "poor_decile_max",
    }


def test_a_document_both_required_and_optional_and_a_lonely_either_are_refused():
    policy = BenefitPolicy(
        amount=1,
        required_documents=["kk", "sktm"],
        optional_documents=["sktm"],
        death_documents_either=True,
    )

    problems = policy_problems(policy)

    assert problems["optional_documents"] == [
        "Surat keterangan tidak mampu (SKTM) sudah wajib; hapus centangnya dari dokumen pilihan."
    ]
    assert "death_documents_either" in problems


def test_the_promise_names_the_working_days_of_the_policies_in_force():
    assert promise_words(date(2026, 1, 1), date(2026, 12, 31)) == "diputus dalam 3 hari kerja"
    BenefitPolicy.objects.create(
        name="Perbup 2026", effective_from=date(2026, 7, 1), amount=1, service_days=5
    )

    assert promise_words(date(2026, 1, 1), date(2026, 12, 31)) == (
        "diputus dalam 3 atau 5 hari kerja"
    )
    assert promise_words(date(2027, 1, 1), date(2027, 12, 31)) == "diputus dalam 5 hari kerja"


# --- a claim keeps its policy -----------------------------------------------------------


def stricter_policy_from_today() -> BenefitPolicy:
    return BenefitPolicy.objects.create(
        name="Perbup baru",
        effective_from=timezone.localdate(),
        amount=1_500_000,
        deadline_days=3,
        required_documents=["kk", "ktp_almarhum", "ktp_ahli_waris", "surat_kematian", "sktm"],
        optional_documents=[],
        cash_offered=False,
        transfer_offered=True,
        service_days=10,
    )


def test_a_new_policy_changes_nothing_of_a_claim_submitted_before(operator_a, verifikator):
    claim = submitted_claim(operator_a, death_date=timezone.localdate() - timedelta(days=20))
    old_policy = claim.policy

    stricter_policy_from_today()
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram, unggah lagi.")
    claim = Claim.objects.get(pk=claim.pk)

    # Returned to the village, it is still judged by the rules it was submitted under:
    # no SKTM asked, cash still allowed, the old deadline and amount.
    assert claim.policy == old_policy and claim.amount == 1_000_000
    assert missing_documents(claim) == []
    assert submission_problems(claim) == []
    update_claim(user=operator_a, claim_id=claim.pk, data={"payout_method": "tunai"})
    claim = submit_claim(user=operator_a, claim_id=claim.pk)
    assert claim.status == Status.SUBMITTED
    assert (claim.policy, claim.amount) == (old_policy, 1_000_000)
    # The old promise of 3 working days, not the new 10.
    assert claim.due_date == add_working_days(timezone.localdate(), 3)


def test_a_draft_follows_the_policy_in_force_when_it_is_submitted(operator_a):
    claim = draft_claim(operator_a)
    stricter_policy_from_today()

    claim = Claim.objects.get(pk=claim.pk)
    problems = submission_problems(claim)

    assert any("Batas pengajuan sudah lewat" in p for p in problems)
    assert any("SKTM" in p for p in problems)
    assert any("Tunai di Dinas Sosial" in p for p in problems)
    update_claim(user=operator_a, claim_id=claim.pk, data={"payout_method": "transfer"})
    with pytest.raises(ClaimError, match="tidak tersedia menurut kebijakan"):
        update_claim(user=operator_a, claim_id=claim.pk, data={"payout_method": "tunai"})
    assert Claim.objects.get(pk=claim.pk).payout_method == "transfer"


def test_a_document_the_policy_does_not_ask_for_is_not_stored(operator_a):
    policy = BenefitPolicy.objects.get()
    policy.optional_documents = []
    policy.save()
    claim = draft_claim(operator_a, documents=False)

    with pytest.raises(ClaimError, match="tidak diminta untuk klaim ini"):
        attach_document(user=operator_a, claim_id=claim.pk, kind="surat_kuasa", upload=upload())
    assert not claim.documents.exists()


def test_a_verified_claim_is_not_touched_by_a_later_policy(operator_a, verifikator):
    claim = submitted_claim(operator_a)
    stricter_policy_from_today()

    claim = verify_claim(user=verifikator, claim_id=claim.pk)

    assert claim.status == Status.VERIFIED
    assert claim.policy.effective_from == date(2017, 1, 1)


# --- one read of the policy per request -------------------------------------------------


@pytest.fixture
def request_memo():
    """What RegencyCacheMiddleware opens for every request."""
    token = regency_cache()
    yield
    close_regency_cache(token)


def test_a_request_reads_the_policy_in_force_once(request_memo, django_assert_num_queries):
    today = timezone.localdate()
    with django_assert_num_queries(1):
        first = policy_in_force(today)
        assert policy_in_force(today) is first
        assert policy_for(draft_claim_without_saving()) is first


def test_a_policy_written_during_the_request_is_read_afresh(request_memo):
    today = timezone.localdate()
    assert policy_in_force(today).amount == 1_000_000

    stricter_policy_from_today()

    assert policy_in_force(today).amount == 1_500_000


def test_outside_a_request_every_call_reads_the_policy(django_assert_num_queries):
    today = timezone.localdate()
    with django_assert_num_queries(2):
        policy_in_force(today)
        policy_in_force(today)


def draft_claim_without_saving() -> Claim:
    return Claim(status=Status.DRAFT)
