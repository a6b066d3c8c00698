"""The administrator sets the rules in the administration: a policy's form refuses an
unusable policy in Indonesian, and a policy claims were submitted under keeps its
rules."""

from datetime import date

import pytest
from django.urls import reverse

from santunan.admin import BenefitPolicyForm
from santunan.models import BenefitPolicy, Claim
from tests.santunan.factories import submitted_claim

ADD = "admin:santunan_benefitpolicy_add"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def policy_post(**overrides) -> dict:
    data = {
        "name": "Perbup Nomor 7 Tahun 2026",
        "effective_from": "2026-07-01",
        "amount": "1500000",
        "deadline_days": "30",
        "deadline_in_working_days": "on",
        "deadline_from": "meninggal",
        "required_documents": ["kk", "ktp_almarhum", "ktp_ahli_waris", "surat_kematian"],
        "optional_documents": ["akta_kematian"],
        "death_documents_either": "on",
        "transfer_offered": "on",
        "poor_decile_max": "4",
        "sktm_accepted": "",
        "service_days": "5",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value != ""}


def test_the_administrator_adds_a_policy_with_its_rules(client_for, administrator):
    client = client_for(administrator)

    response = client.post(reverse(ADD), policy_post())

    assert response.status_code == 302
    policy = BenefitPolicy.objects.get(effective_from=date(2026, 7, 1))
    assert policy.required_documents == ["kk", "ktp_almarhum", "ktp_ahli_waris", "surat_kematian"]
    assert policy.payout_methods == ["transfer"]
    assert (policy.deadline_days, policy.deadline_in_working_days) == (30, True)
    assert (policy.death_documents_either, policy.sktm_accepted) == (True, False)
    listing = client.get(reverse("admin:santunan_benefitpolicy_changelist")).content.decode()
    assert "30 hari kerja sejak tanggal meninggal" in listing


def test_a_policy_without_documents_or_payout_is_refused_and_nothing_is_saved(
    client_for, administrator
):
    response = client_for(administrator).post(
        reverse(ADD),
        policy_post(
            required_documents=[], optional_documents=[], transfer_offered="", cash_offered=""
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pilih paling sedikit satu dokumen wajib" in page
    assert "Pilih paling sedikit satu cara pembayaran: tunai atau transfer bank." in page
    assert not BenefitPolicy.objects.filter(effective_from=date(2026, 7, 1)).exists()


def test_a_cash_only_policy_cannot_ask_for_the_bank_book(client_for, administrator):
    response = client_for(administrator).post(
        reverse(ADD),
        policy_post(
            required_documents=["kk", "buku_tabungan"], transfer_offered="", cash_offered="on"
        ),
    )

    assert "Buku tabungan hanya diminta untuk transfer" in response.content.decode()
    assert not BenefitPolicy.objects.filter(effective_from=date(2026, 7, 1)).exists()


def test_a_policy_claims_use_keeps_its_rules(client_for, administrator, operator_a):
    claim = submitted_claim(operator_a)
    policy = claim.policy
    client = client_for(administrator)
    url = reverse("admin:santunan_benefitpolicy_change", args=[policy.pk])

    page = client.get(url).content.decode()
    client.post(url, policy_post(name="Santunan kematian (nama diperbaiki)", amount="5"))

    assert "sudah dipakai klaim, jadi aturannya tidak dapat diubah lagi" in page
    assert "<li>Kartu Keluarga (KK)</li>" in page and '"kk"' not in page
    policy.refresh_from_db()
    assert policy.name == "Santunan kematian (nama diperbaiki)"
    assert (policy.amount, policy.deadline_days, policy.effective_from) == (
        1_000_000,
        60,
        date(2017, 1, 1),
    )
    assert policy.required_documents == [
        "kk",
        "ktp_almarhum",
        "ktp_ahli_waris",
        "surat_kematian",
        "buku_tabungan",
    ]
    assert (policy.cash_offered, policy.sktm_accepted) == (True, True)
    assert Claim.objects.get(pk=claim.pk).amount == 1_000_000


def test_an_unused_policy_can_still_be_corrected(client_for, administrator):
    policy = BenefitPolicy.objects.create(name="Draf", effective_from=date(2027, 1, 1), amount=1)
    url = reverse("admin:santunan_benefitpolicy_change", args=[policy.pk])

    client_for(administrator).post(url, policy_post(effective_from="2027-01-01", amount="750000"))

    policy.refresh_from_db()
    assert (policy.amount, policy.payout_methods) == (750_000, ["transfer"])


def test_a_claim_submitted_while_the_policy_was_open_keeps_it_from_changing(
    administrator, operator_a
):
    # The form was built while no claim used the policy (its rules editable); a claim
    # took the policy before the administrator saved.
    policy = BenefitPolicy.objects.get()
    submitted_claim(operator_a)
    form = BenefitPolicyForm(
        data=policy_post(effective_from="2017-01-01", amount="5"), instance=policy
    )

    assert not form.is_valid()
    assert "klaim telah diajukan dengan kebijakan ini" in form.non_field_errors()[0]
    policy.refresh_from_db()
    assert policy.amount == 1_000_000


def test_the_amount_may_be_typed_as_rupiah_with_dots_and_shows_grouped(client_for, administrator):
    policy = BenefitPolicy.objects.create(name="Draf", effective_from=date(2027, 1, 1), amount=1)
    url = reverse("admin:santunan_benefitpolicy_change", args=[policy.pk])
    client = client_for(administrator)

    client.post(url, policy_post(effective_from="2027-01-01", amount="Rp 2.500.000"))

    policy.refresh_from_db()
    assert policy.amount == 2_500_000
    assert 'name="amount" value="2.500.000"' in client.get(url).content.decode()
