"""The administration in Bahasa Indonesia: every model named in Indonesian, money as
Indonesians write it, JSON details as readable lists, and every list and record page
of every model opening without an error."""

import html
from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.activation import issue_codes
from api.models import Scope
from api.services import create_client, issue_token
from dinsos_sync.models import (
    Finding,
    ImportProblem,
    RegistryCheck,
    RegistryPerson,
    Snapshot,
    ValueMapping,
)
from notifications.models import KindSetting, RecipientChannel
from office.models import BudgetAccount, Letterhead, Official
from santunan.finance.services import (
    create_batch,
    disburse_batch,
    record_cash_payment,
    set_budget,
    sign_batch,
)
from santunan.models import BankResultUpload, Budget, Claim, ClaimEvent, Holiday, PayoutBatch
from santunan.services import approve_claim, verify_claim
from tests.santunan.factories import pdf_bytes, submitted_claim, upload
from villages.models import AreaChange, Regency, UserPreference
from webhooks.models import Endpoint


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def records(operator_a, verifikator, approver, bendahara, administrator, client_for):
    """At least one row of every model the administration shows."""
    # Registered first, so the claim's status changes below write webhook deliveries.
    Endpoint.objects.create(url="https://dasbor.batangkab.go.id/webhook", description="Dasbor")
    claim = submitted_claim(operator_a)
    client_for(verifikator).get(reverse("santunan:claim_detail", args=[claim.pk]))  # access log
    verify_claim(user=verifikator, claim_id=claim.pk)
    approve_claim(user=approver, claim_id=claim.pk)
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=2_500_000_000)
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip="1" * 18)
    disburse_batch(user=bendahara, batch_id=batch.pk)
    record_cash_payment(
        user=bendahara,
        claim_id=claim.pk,
        paid_on=timezone.localdate(),
        collected_by="Siti Aminah",
        identity_checked=True,
        receipt_scan=upload("kuitansi.pdf", pdf_bytes(), "application/pdf"),
    )
    # Set after payment: a claim missing a required document is neither verified nor paid.
    Claim.objects.filter(pk=claim.pk).update(extra_required_documents=["sktm", "foto_rumah"])
    BankResultUpload.objects.create(
        batch=batch,
        sha256="0" * 64,
        file="payouts/bank-results/x.csv",
        uploaded_by=bendahara,
        failed=1,
        problems=[{"line": 4, "reference": "SKM-2026-000099", "problem": "Nomor tidak dikenal"}],
    )
    Holiday.objects.create(date=date(2026, 8, 17), name="Hari Kemerdekaan")
    issue_token(user=operator_a, name="Ponsel desa")
    issue_codes(users=[operator_a], actor=administrator)
    create_client(name="Dasbor kabupaten", scope=Scope.REPORT)
    UserPreference.objects.create(user=verifikator, language="id", phone="+6281234567801")
    KindSetting.objects.create(kind="submitted", enabled=False)
    RecipientChannel.objects.create(phone="+6281234567890", channel="whatsapp")
    Letterhead.objects.create(
        valid_from=date(2026, 1, 1),
        regency="Kabupaten Batang",
        office="Dinas Sosial",
        address="Jl. Dr. Sutomo No. 14",
        place="Batang",
    )
    Official.objects.create(
        position="treasurer", name="Sri Lestari", nip="1" * 18, valid_from=date(2026, 1, 1)
    )
    BudgetAccount.objects.create(year=2026, code="5.4.01.05.001")
    Regency.objects.create(
        code="33.25",
        name="Kabupaten Batang",
        kind="kabupaten",
        province_code="33",
        province_name="Jawa Tengah",
        set_up_by=administrator,
    )
    AreaChange.objects.create(
        level="desa",
        code="33.25.01.2001",
        kind="renamed",
        old_name="Silurah",
        new_name="Silurah Baru",
        source="indonesia_wilayah_2026.csv.gz",
        source_sha256="0" * 64,
        applied_by=administrator,
    )
    snapshot = Snapshot.objects.create(source="social", received_on=date(2026, 1, 5))
    ImportProblem.objects.create(snapshot=snapshot, line=7, message="NIK tidak 16 digit")
    ValueMapping.objects.create(
        source="social", column="status_dtks", value="NON_DTKS", meaning="TIDAK"
    )
    RegistryPerson.objects.create(
        snapshot=snapshot, nik="3325011203500001", name="Slamet", birth_date=date(1950, 3, 12)
    )
    RegistryCheck.objects.get_or_create(claim=claim)
    Finding.objects.create(
        claim=claim,
        code="household_not_poor",
        severity="blocker",
        params={"decile": 7, "max_decile": 5},
    )
    DBTaskResult.objects.create(
        task_path="dinsos_sync.tasks.check_claim",
        args_kwargs={"args": [claim.pk], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status="FAILED",
        exception_class_path="ConnectionError",
        traceback="Traceback: registri tidak menjawab",
    )
    return claim


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


ENGLISH_NAMES = [
    "Access logs",
    "Bank result uploads",
    "Claim documents",
    "Payments",
    "Import problems",
    "Task results",
    "Tasks Database Backend",
    "Yearly sequences",
    "Authentication and Authorization",
]


def test_the_admin_index_names_every_model_in_indonesian(client_for, administrator):
    index = page(client_for(administrator), reverse("admin:index"))

    for english in ENGLISH_NAMES:
        assert english.lower() not in index.lower()
    for indonesian in [
        "Santunan kematian",
        "Sinkronisasi registri",
        "Catatan akses data pribadi",
        "Berkas hasil bank",
        "Dokumen klaim",
        "Pembayaran",
        "Baris registri yang ditolak",
        "Tugas latar",
        "Klaim santunan",
    ]:
        assert indonesian in index


# Field names that are the same word in Bahasa Indonesia.
SAME_IN_INDONESIAN = {"status", "kecamatan", "batch", "snapshot"}


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_model_and_field_has_an_indonesian_name(model):
    assert "verbose_name" in model._meta.original_attrs, "named only by its class"
    if model._meta.proxy:
        return  # the fields of a third-party table are labelled by its admin's methods
    for field in model._meta.concrete_fields:
        if field.auto_created or field.name in SAME_IN_INDONESIAN:
            continue
        # Without a verbose_name Django makes one up from the field name, in English.
        assert str(field.verbose_name) != field.name.replace("_", " "), field.name


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_every_list_and_record_page_opens(client_for, administrator, records, model):
    client = client_for(administrator)
    info = (model._meta.app_label, model._meta.model_name)

    page(client, reverse("admin:{}_{}_changelist".format(*info)))
    first = model._default_manager.first()
    assert first is not None, "the fixture must create a row of every model"
    page(client, reverse("admin:{}_{}_change".format(*info), args=[first.pk]))


def test_amounts_are_written_as_rupiah(client_for, administrator, records):
    client = client_for(administrator)
    payment = records.payments.get()

    lists = [
        page(client, reverse("admin:santunan_claim_changelist")),
        page(client, reverse("admin:santunan_payment_changelist")),
        page(client, reverse("admin:santunan_benefitpolicy_changelist")),
        page(client, reverse("admin:santunan_claim_change", args=[records.pk])),
        page(client, reverse("admin:santunan_payment_change", args=[payment.pk])),
    ]
    budgets = page(client, reverse("admin:santunan_budget_changelist"))

    for text in lists:
        assert "Rp1.000.000" in text
        assert "1000000" not in text
    assert "Rp2.500.000.000" in budgets


def test_required_documents_are_a_list_of_names_not_json(client_for, administrator, records):
    text = page(
        client_for(administrator), reverse("admin:santunan_claim_change", args=[records.pk])
    )

    assert "Surat keterangan tidak mampu (SKTM)" in text and "Foto rumah" in text
    assert '["sktm"' not in text


def test_event_details_are_readable(client_for, administrator, records):
    paid = ClaimEvent.objects.get(claim=records, action="mark_paid")

    text = page(
        client_for(administrator), reverse("admin:santunan_claimevent_change", args=[paid.pk])
    )

    assert "Dibayar" in text
    assert "cara pembayaran: Tunai di Dinas Sosial" in text
    assert f"batch: {PayoutBatch.objects.get().number}" in text
    assert '{"' not in text


def test_bank_problems_are_listed_by_line(client_for, administrator, records):
    upload_pk = BankResultUpload.objects.get().pk

    text = page(
        client_for(administrator),
        reverse("admin:santunan_bankresultupload_change", args=[upload_pk]),
    )

    assert "baris 4 · SKM-2026-000099: Nomor tidak dikenal" in text
    assert '"problem"' not in text


def test_findings_show_their_sentence_and_details(client_for, administrator, records):
    finding = Finding.objects.get()
    client = client_for(administrator)

    listing = page(client, reverse("admin:dinsos_sync_finding_changelist"))
    record = page(client, reverse("admin:dinsos_sync_finding_change", args=[finding.pk]))

    assert "tidak termasuk miskin" in listing and "Keterangan" in listing
    assert "desil: 7" in record and "batas desil: 5" in record


def test_background_tasks_are_shown_in_indonesian(client_for, administrator, records):
    task = DBTaskResult.objects.get()
    client = client_for(administrator)

    listing = page(client, reverse("admin:santunan_backgroundtask_changelist"))
    record = page(client, reverse("admin:santunan_backgroundtask_change", args=[task.pk]))

    assert "Memeriksa klaim di registri" in listing and "Gagal" in listing
    assert "Masuk antrean" in listing
    assert f'argumen: <ul class="readable"><li>{records.pk}</li>' in record
    assert "Traceback: registri tidak menjawab" in record
    assert "None" not in record and "+00:00" not in record
    for english in ("Enqueued at", "Task path", "Run after", "Failed"):
        assert english not in record and english not in listing


def test_the_task_list_filters_by_status(client_for, administrator, records):
    url = reverse("admin:santunan_backgroundtask_changelist")
    client = client_for(administrator)

    failed = page(client, url + "?status=FAILED")
    ready = page(client, url + "?status=READY")

    assert "Memeriksa klaim di registri" in failed
    assert "Memeriksa klaim di registri" not in ready


def test_records_are_named_without_codes_or_raw_amounts(client_for, administrator, records):
    client = client_for(administrator)
    budget = Budget.objects.get()

    budget_page = page(client, reverse("admin:santunan_budget_change", args=[budget.pk]))
    paid = page(client, reverse("admin:santunan_payment_change", args=[records.payments.get().pk]))
    events = page(client, reverse("admin:santunan_claimevent_changelist"))

    assert f"{budget.year}: Rp2.500.000.000" in budget_page
    assert f"{records.number} · Berhasil" in paid
    assert "Draf dibuat" in events.split('id="changelist-filter"')[1]
