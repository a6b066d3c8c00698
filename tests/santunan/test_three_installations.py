"""Acceptance: three regencies with different rules, each set as data in its policy,
each take one claim from submission to payment through the pages, and each refuses
what its own rules refuse (a late claim by its own count, a missing document it
requires, a payout method it does not offer)."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from santunan.calendar import add_working_days
from santunan.finance.services import set_budget
from santunan.models import BenefitPolicy, Claim, Status
from santunan.rules import policy_problems
from tests.finance.conftest import csv_upload
from tests.santunan.factories import claim_data, png_bytes

BASE = ["kk", "ktp_almarhum", "ktp_ahli_waris"]


@dataclass
class Installation:
    name: str
    rules: dict
    # The claim that goes through: days since the death (and since the akta), how it is
    # paid, what is uploaded.
    died_days_ago: int
    payout: str
    documents: list[str]
    certificate_days_ago: int | None = None
    # What this installation refuses.
    late: dict = field(default_factory=dict)
    missing: tuple[list[str], str] = ([], "")
    refused_payout: str = ""


INSTALLATIONS = [
    Installation(
        # 30 calendar days counted from the akta kematian, which is required; cash only.
        name="30 hari kalender + akta kematian",
        rules={
            "amount": 750_000,
            "deadline_days": 30,
            "deadline_in_working_days": False,
            "deadline_from": BenefitPolicy.DeadlineFrom.CERTIFICATE,
            "required_documents": [*BASE, "akta_kematian"],
            "optional_documents": ["surat_kuasa"],
            "cash_offered": True,
            "transfer_offered": False,
        },
        # Died 50 days ago, but the akta was issued 10 days ago: in time.
        died_days_ago=50,
        certificate_days_ago=10,
        payout="tunai",
        documents=[*BASE, "akta_kematian"],
        late={"died_days_ago": 50, "certificate_days_ago": 31},
        # The village letter does not stand in for the akta here.
        missing=([*BASE, "surat_kematian"], 'Dokumen "Akta kematian" belum diunggah.'),
        refused_payout="transfer",
    ),
    Installation(
        # 30 working days from the death; heir's statement required; the village letter
        # or the akta, either one; transfer only.
        name="30 hari kerja + pernyataan ahli waris",
        rules={
            "amount": 1_500_000,
            "deadline_days": 30,
            "deadline_in_working_days": True,
            "deadline_from": BenefitPolicy.DeadlineFrom.DEATH,
            "required_documents": [
                *BASE,
                "surat_kematian",
                "pernyataan_ahli_waris",
                "buku_tabungan",
            ],
            "optional_documents": [],
            "death_documents_either": True,
            "cash_offered": False,
            "transfer_offered": True,
        },
        # 35 calendar days are five weeks: 25 working days, in time (30 calendar days
        # would not be).
        died_days_ago=35,
        payout="transfer",
        documents=[*BASE, "akta_kematian", "pernyataan_ahli_waris", "buku_tabungan"],
        # 45 calendar days hold at least 31 working days.
        late={"died_days_ago": 45},
        missing=(
            [*BASE, "surat_kematian", "buku_tabungan"],
            'Dokumen "Surat pernyataan ahli waris" belum diunggah.',
        ),
        refused_payout="tunai",
    ),
    Installation(
        # Batang's 60 days with the village letter, and an SKTM from everyone.
        name="60 hari + surat kematian desa + SKTM",
        rules={
            "deadline_days": 60,
            "deadline_in_working_days": False,
            "deadline_from": BenefitPolicy.DeadlineFrom.DEATH,
            "required_documents": [*BASE, "surat_kematian", "sktm", "buku_tabungan"],
            "optional_documents": ["foto_rumah"],
            "death_documents_either": False,
            "cash_offered": True,
            "transfer_offered": True,
        },
        died_days_ago=59,
        payout="tunai",
        documents=[*BASE, "surat_kematian", "sktm"],
        late={"died_days_ago": 61},
        missing=(
            [*BASE, "surat_kematian"],
            'Dokumen "Surat keterangan tidak mampu (SKTM)" belum diunggah.',
        ),
    ),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(params=INSTALLATIONS, ids=lambda i: i.name)
def installation(request, db):
    """The regency's one policy, set as its administrator would."""
    installation = request.param
    policy = BenefitPolicy.objects.get()
    for name, value in installation.rules.items():
        setattr(policy, name, value)
    assert policy_problems(policy) == {}
    policy.save()
    return installation


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def deceased_post(*, died_days_ago: int, certificate_days_ago: int | None = None, nik: str = ""):
    data = claim_data(death_date=days_ago(died_days_ago))
    post = {name: data[name] for name in (
        "deceased_nik", "deceased_name", "deceased_sex", "deceased_birth_date",
        "death_date", "death_place", "deceased_kk", "deceased_address",
    )}  # fmt: skip
    if nik:
        post["deceased_nik"] = nik
    if certificate_days_ago is not None:
        post["death_certificate_date"] = days_ago(certificate_days_ago)
    return post


def heir_post(payout: str) -> dict:
    data = claim_data(payout_method=payout)
    post = {name: data[name] for name in (
        "heir_nik", "heir_name", "heir_relation", "heir_phone", "heir_address", "payout_method",
    )}  # fmt: skip
    if payout == "transfer":
        post |= {
            "bank_name": "Bank Jateng",
            "bank_account": "1234567890",
            "bank_account_holder": "Siti Aminah",
        }
    return post


def files(kinds: list[str]) -> dict:
    return {
        f"doc-{kind}": SimpleUploadedFile(f"{kind}.png", png_bytes(), "image/png") for kind in kinds
    }


def start_claim(client, **deceased) -> Claim:
    before = set(Claim.objects.values_list("pk", flat=True))
    client.post(reverse("santunan:claim_new"), deceased_post(**deceased))
    return Claim.objects.exclude(pk__in=before).get()


def fill_claim(client, *, deceased: dict, payout: str, documents: list[str]) -> Claim:
    claim = start_claim(client, **deceased)
    client.post(reverse("santunan:claim_heir", args=[claim.pk]), heir_post(payout))
    client.post(reverse("santunan:claim_documents", args=[claim.pk]), files(documents))
    return claim


def refusal(client, claim: Claim) -> str:
    """Submit, and return the page the village sees when the claim is refused."""
    response = client.post(reverse("santunan:claim_submit", args=[claim.pk]), follow=True)
    assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT
    return response.content.decode()


def test_each_installation_takes_one_claim_from_submission_to_payment(
    installation, client_for, operator_a, verifikator, approver, bendahara
):
    village = client_for(operator_a)
    deceased = {
        "died_days_ago": installation.died_days_ago,
        "certificate_days_ago": installation.certificate_days_ago,
    }
    claim = fill_claim(
        village, deceased=deceased, payout=installation.payout, documents=installation.documents
    )
    review = village.get(reverse("santunan:claim_review", args=[claim.pk])).content.decode()
    assert "Data dan dokumen lengkap" in review

    village.post(reverse("santunan:claim_submit", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED
    policy = BenefitPolicy.objects.get()
    assert claim.policy == policy
    assert claim.due_date == add_working_days(timezone.localdate(), policy.service_days)

    client_for(verifikator).post(reverse("santunan:claim_verify", args=[claim.pk]))
    client_for(approver).post(reverse("santunan:claim_approve", args=[claim.pk]))
    assert Claim.objects.get(pk=claim.pk).status == Status.APPROVED

    finance = client_for(bendahara)
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    finance.post(reverse("finance:schedule"), {"claims": [claim.pk]})
    batch = Claim.objects.get(pk=claim.pk).batch_items.get().batch
    assert batch.payout_method == installation.payout
    finance.post(
        reverse("finance:sign", args=[batch.pk]),
        {"signer_name": "Drs. Bambang Wijaya", "signer_nip": "197501012000031001"},
    )
    finance.post(reverse("finance:disburse", args=[batch.pk]))
    if installation.payout == "tunai":
        finance.post(
            reverse("finance:cash_payment", args=[batch.pk, claim.pk]),
            {
                "paid_on": timezone.localdate().isoformat(),
                "collector": "heir",
                "collected_by": claim.heir_name,
                "identity_checked": "on",
                "receipt_scan": SimpleUploadedFile("kuitansi.png", png_bytes(), "image/png"),
            },
        )
    else:
        result = (
            "Referensi,No Rekening,Nominal,Status,Tanggal,No Referensi Bank,Keterangan\r\n"
            f"{claim.number},1234567890,{policy.amount},BERHASIL,"
            f"{timezone.localdate().isoformat()},TRX-001,\r\n"
            f"TOTAL,1,{policy.amount},,,,\r\n"
        )
        finance.post(
            reverse("finance:bank_result", args=[batch.pk]), {"result_file": csv_upload(result)}
        )
    claim.refresh_from_db()
    assert claim.status == Status.PAID
    assert claim.amount == policy.amount == installation.rules.get("amount", 1_000_000)
    payment = claim.payments.get()
    assert (payment.amount, payment.method) == (policy.amount, installation.payout)


def test_each_installation_refuses_a_claim_late_by_its_own_count(
    installation, client_for, operator_a
):
    village = client_for(operator_a)
    claim = fill_claim(
        village,
        deceased=installation.late,
        payout=installation.payout,
        documents=installation.documents,
    )

    page = refusal(village, claim)

    assert "Batas pengajuan sudah lewat" in page
    # The step-1 page says so as soon as the dates are saved.
    step = village.get(reverse("santunan:claim_deceased", args=[claim.pk])).content.decode()
    assert "Batas pengajuan sudah lewat" in step


def test_each_installation_refuses_a_claim_without_a_document_it_requires(
    installation, client_for, operator_a
):
    village = client_for(operator_a)
    uploaded, message = installation.missing
    claim = fill_claim(
        village,
        deceased={
            "died_days_ago": installation.died_days_ago,
            "certificate_days_ago": installation.certificate_days_ago,
        },
        payout=installation.payout,
        documents=uploaded,
    )

    page = refusal(village, claim)

    assert message.replace('"', "&quot;") in page


def test_each_installation_offers_only_its_own_payout_methods(installation, client_for, operator_a):
    village = client_for(operator_a)
    claim = start_claim(
        village,
        died_days_ago=installation.died_days_ago,
        certificate_days_ago=installation.certificate_days_ago,
    )
    heir_page = village.get(reverse("santunan:claim_heir", args=[claim.pk])).content.decode()
    policy = BenefitPolicy.objects.get()
    for method in ("tunai", "transfer"):
        assert (f'value="{method}"' in heir_page) == (method in policy.payout_methods)
    if not installation.refused_payout:
        return

    response = village.post(
        reverse("santunan:claim_heir", args=[claim.pk]), heir_post(installation.refused_payout)
    )

    assert "Cara pembayaran ini tidak tersedia" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).payout_method == ""
