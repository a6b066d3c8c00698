"""The practice sweep: every real list, report, export, outbox and API list reads the
same after officials rehearse claims in mode latihan as before (santunan/practice.py)."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.policy import needs_second_factor
from dinsos_sync.exports import render_report
from dinsos_sync.models import Finding, RegistryCheck
from dinsos_sync.services import import_snapshot
from notifications.models import Message
from reports.models import ClaimCount, ReportRun, StepCount
from reports.recap import Period, payments, promise, recap
from santunan.finance.selectors import budget_summary
from santunan.finance.services import (
    FinanceError,
    create_batch,
    disburse_batch,
    record_cash_payment,
    set_budget,
    sign_batch,
)
from santunan.models import (
    BackgroundTask,
    BatchItem,
    Budget,
    BudgetChange,
    Claim,
    ClaimDocument,
    ClaimEvent,
    Payment,
    PayoutBatch,
    PayoutDocument,
    Status,
    YearlySequence,
)
from santunan.practice import practice_letter_pdf, reset_practice, start_practice_claim
from santunan.services import (
    approve_claim,
    reject_claim,
    return_claim,
    submit_claim,
    verify_claim,
)
from tests.api.conftest import ApiClient
from tests.conftest import pass_second_factor
from tests.dinsos_sync.conftest import person, write_csv
from tests.notifications.conftest import give_phone
from tests.santunan.factories import pdf_bytes, submitted_claim, upload
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db

NIP = "197501012000031001"
BANK = {
    "payout_method": "transfer",
    "bank_name": "Bank Jateng",
    "bank_account": "1234567890",
    "bank_account_holder": "Siti Aminah",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# What changes from one rendering of the same page to the next without any data
# changing: the CSRF token (masked afresh each time).
VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "csrf"),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), "csrf"),
]


def nik(n: int) -> str:
    return f"33250112035{n:05d}"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    if needs_second_factor(user):
        pass_second_factor(client, user)
    return client


def api(user) -> ApiClient:
    from api.services import issue_token

    _token, key = issue_token(user=user, name="sapuan")
    return ApiClient(key)


def normalised(response) -> str:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    body = b"".join(response) if response.streaming else response.content
    if response["Content-Type"].startswith(XLSX):
        # A workbook's zip carries the moment it was written: compare its cells.
        sheets = load_workbook(io.BytesIO(body), read_only=True).worksheets
        return repr([list(sheet.iter_rows(values_only=True)) for sheet in sheets])
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return body.hex()
    for pattern, stand_in in VOLATILE:
        text = pattern.sub(stand_in, text)
    return text


@pytest.fixture
def real_work(
    operator_a,
    operator_b,
    verifikator,
    approver,
    bendahara,
    administrator,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    """Real claims at every step, paid by cash and by transfer, with the outbox, webhook
    deliveries, registry checks, budget and dashboard counts that real work leaves."""
    for source in ("population", "social"):
        people = [person(source, nik=nik(n)) for n in range(1, 10)]
        import_snapshot(source=source, path=write_csv(tmp_path / source, source, people))
    give_phone(operator_a, "+6281311112222")
    give_phone(verifikator, "+6281311113333")
    Endpoint.objects.create(
        url="http://127.0.0.1:9/hook", description="Dasbor kabupaten", created_by=administrator
    )
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)

    # What runs after each commit (registry checks queued, webhook deliveries announced)
    # runs here as it does in production.
    with django_capture_on_commit_callbacks(execute=True):
        return _real_work(operator_a, operator_b, verifikator, approver, bendahara)


def _real_work(operator_a, operator_b, verifikator, approver, bendahara):
    def approved(n, **overrides):
        claim = submitted_claim(operator_a, deceased_nik=nik(n), **overrides)
        verify_claim(user=verifikator, claim_id=claim.pk)
        return approve_claim(user=approver, claim_id=claim.pk)

    submitted_claim(operator_a, deceased_nik=nik(1))
    waiting = submitted_claim(operator_a, deceased_nik=nik(2))
    verify_claim(user=verifikator, claim_id=waiting.pk)
    returned = submitted_claim(operator_a, deceased_nik=nik(3))
    return_claim(user=verifikator, claim_id=returned.pk, reason="Foto KK kurang jelas")
    approved(4)
    cash = approved(5)
    batch = create_batch(user=bendahara, claim_ids=[cash.pk])
    sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip=NIP)
    disburse_batch(user=bendahara, batch_id=batch.pk)
    record_cash_payment(
        user=bendahara,
        claim_id=cash.pk,
        paid_on=timezone.localdate(),
        collected_by="Siti Aminah",
        identity_checked=True,
        receipt_scan=upload("kuitansi.pdf", pdf_bytes(), "application/pdf"),
    )
    transfer = approved(6, **BANK)
    transfer_batch = create_batch(user=bendahara, claim_ids=[transfer.pk])
    sign_batch(
        user=bendahara, batch_id=transfer_batch.pk, signer_name="Drs. Bambang", signer_nip=NIP
    )
    disburse_batch(user=bendahara, batch_id=transfer_batch.pk)
    # The claims of operator_b's desa: a second village's home.
    submitted_claim(operator_b, deceased_nik=nik(7))
    assert Message.objects.exists() and Delivery.objects.exists()
    return {"batches": [batch, transfer_batch]}


def rows(queryset) -> list[dict]:
    return list(queryset.order_by("pk").values())


def snapshot(users, batches) -> dict:
    """Every real list a person or a program can read, as it reads it."""
    operator, verifier, approver, treasurer, admin = (
        users["operator"],
        users["verifier"],
        users["approver"],
        users["treasurer"],
        users["admin"],
    )
    year = timezone.localdate().year
    pages = {
        operator: [
            reverse("santunan:desa_home"),
            reverse("santunan:desa_statistics"),
        ],
        verifier: [
            reverse("santunan:verifikator_home"),
            reverse("santunan:archive"),
            reverse("santunan:archive_export"),
            reverse("reports:dashboard"),
            reverse("reports:reports"),
            reverse("dinsos_sync:home"),
            reverse("dinsos_sync:report", args=["social", "csv"]),
            reverse("dinsos_sync:report", args=["dukcapil", "csv"]),
        ],
        approver: [reverse("santunan:approver_home")],
        treasurer: [
            reverse("finance:home"),
            reverse("finance:budget"),
            *(reverse("finance:batch", args=[b.pk]) for b in batches),
            reverse("finance:transfer_file", args=[batches[1].pk]),
        ],
        admin: [
            reverse(f"admin:{model}_changelist")
            for model in (
                "santunan_claim",
                "santunan_claimevent",
                "santunan_claimdocument",
                "santunan_payment",
                "santunan_payoutbatch",
                "notifications_message",
                "webhooks_delivery",
            )
        ],
    }
    shot = {}
    for user, paths in pages.items():
        client = logged_in(user)
        for path in paths:
            shot[f"{user.username} {path}"] = normalised(client.get(path))
    api_lists = {
        verifier: [
            "/api/v1/claims/",
            "/api/v1/claims/queue/",
            f"/api/v1/reports/summary/?year={year}",
        ],
        approver: ["/api/v1/claims/approval-queue/"],
        treasurer: ["/api/v1/finance/batches/", "/api/v1/finance/payments/"],
        operator: ["/api/v1/claims/"],
    }
    for user, paths in api_lists.items():
        caller = api(user)
        for path in paths:
            shot[f"api {user.username} {path}"] = normalised(caller.get(path))
    period = Period(year)
    shot["recap"] = repr(recap(period))
    shot["promise"] = repr(promise(period))
    shot["payments report"] = repr(list(payments(period=period)))
    shot["budget"] = repr(budget_summary(year))
    shot["social feedback"] = render_report("social", "csv")
    shot["dukcapil feedback"] = render_report("dukcapil", "csv")
    for name, queryset in {
        "claims": Claim.objects.all(),
        "claims as the database holds real ones": Claim.all_objects.filter(is_practice=False),
        "events": ClaimEvent.objects.filter(claim__is_practice=False),
        "documents": ClaimDocument.objects.filter(claim__is_practice=False),
        "outbox": Message.objects.all(),
        "webhook deliveries": Delivery.objects.all(),
        "registry checks": RegistryCheck.objects.all(),
        "registry findings": Finding.objects.all(),
        "dashboard counts": ClaimCount.objects.all(),
        "dashboard step counts": StepCount.objects.all(),
        "numbers": YearlySequence.objects.all(),
        "payments": Payment.objects.all(),
        "batches": PayoutBatch.objects.all(),
        "batch items": BatchItem.objects.all(),
        "payout documents": PayoutDocument.objects.all(),
        "budget": Budget.objects.all(),
        "budget changes": BudgetChange.objects.all(),
        "report runs": ReportRun.objects.all(),
        "background tasks": BackgroundTask.objects.all(),
    }.items():
        shot[name] = rows(queryset)
    return shot


def rehearse_everything(operator, verifier, approver, treasurer) -> None:
    """Each official rehearses claims as far as practice goes, by every path: the pages,
    the services, and what a curious person tries on real pages and the API."""
    client = logged_in(operator)
    client.post(reverse("santunan:practice_start"))
    claim = Claim.all_objects.filter(practice_of=operator).latest("pk")

    def step(action, **data):
        response = client.post(reverse("santunan:practice_act", args=[claim.pk, action]), data)
        assert response.status_code == 302

    step("ajukan")
    step("kembalikan", reason="Alamat ahli waris kurang lengkap")
    step(
        "perbaiki",
        heir_name=claim.heir_name,
        heir_address="Dukuh Contoh RT 009",
        deceased_address=claim.deceased_address,
    )
    step("ajukan")
    step("verifikasi")
    step("kembalikan-ke-verifikator", reason="Periksa lagi foto KTP")
    step("verifikasi")
    step("setujui")
    assert client.get(reverse("santunan:practice_letter", args=[claim.pk])).status_code == 200
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED

    for official in (verifier, approver, treasurer):
        rehearsal = start_practice_claim(user=official)
        submit_claim(user=official, claim_id=rehearsal.pk)
        verify_claim(user=official, claim_id=rehearsal.pk)
        rehearsal = approve_claim(user=official, claim_id=rehearsal.pk)
        practice_letter_pdf(rehearsal)
    refused = start_practice_claim(user=operator)
    submit_claim(user=operator, claim_id=refused.pk)
    reject_claim(user=operator, claim_id=refused.pk, reason="Latihan menolak klaim")

    # The treasurer cannot put a practice claim into a batch, by any path.
    practice_ids = list(Claim.all_objects.filter(is_practice=True).values_list("pk", flat=True))
    with pytest.raises(FinanceError):
        create_batch(user=treasurer, claim_ids=practice_ids)
    response = logged_in(treasurer).post(reverse("finance:schedule"), {"claims": practice_ids})
    assert response.status_code in (200, 302)


def test_a_full_practice_changes_no_real_list_report_export_outbox_or_api_list(
    real_work,
    operator_a,
    verifikator,
    approver,
    bendahara,
    administrator,
    django_capture_on_commit_callbacks,
):
    users = {
        "operator": operator_a,
        "verifier": verifikator,
        "approver": approver,
        "treasurer": bendahara,
        "admin": administrator,
    }
    before = snapshot(users, real_work["batches"])

    with django_capture_on_commit_callbacks(execute=True):
        rehearse_everything(operator_a, verifikator, approver, bendahara)
    assert Claim.all_objects.filter(is_practice=True).count() == 5

    after = snapshot(users, real_work["batches"])
    assert before.keys() == after.keys()
    changed = [name for name in before if before[name] != after[name]]
    assert changed == []

    # And reset leaves them as they were too.
    for official in (operator_a, verifikator, approver, bendahara):
        reset_practice(user=official)
    assert not Claim.all_objects.filter(is_practice=True).exists()
    assert snapshot(users, real_work["batches"]) == before


def test_the_sweep_sees_a_real_change(
    real_work, operator_a, verifikator, approver, bendahara, django_capture_on_commit_callbacks
):
    """The sweep is no blind eye: the same snapshot notices one real claim submitted."""
    users = {
        "operator": operator_a,
        "verifier": verifikator,
        "approver": approver,
        "treasurer": bendahara,
        "admin": approver,
    }
    approver.is_staff = True
    approver.is_superuser = True
    approver.save()
    before = snapshot(users, real_work["batches"])
    with django_capture_on_commit_callbacks(execute=True):
        submitted_claim(operator_a, deceased_nik=nik(9))
    after = snapshot(users, real_work["batches"])
    changed = {name for name in before if before[name] != after[name]}
    assert {
        f"verif {reverse('santunan:verifikator_home')}",
        "api verif /api/v1/claims/",
        "outbox",
        "dashboard counts",
        "registry checks",
        "background tasks",
        "webhook deliveries",
    } <= changed


def test_nobody_reaches_a_practice_claim_through_the_real_pages_or_the_api(
    operator_a, verifikator, approver
):
    claim = start_practice_claim(user=operator_a)
    submit_claim(user=operator_a, claim_id=claim.pk)
    for user in (verifikator, approver):
        detail = reverse("santunan:claim_detail", args=[claim.pk])
        assert logged_in(user).get(detail).status_code == 404
        assert api(user).get(f"/api/v1/claims/{claim.pk}/").status_code == 404
        # 403 where the role may not list documents of any claim at all.
        assert api(user).get(f"/api/v1/claims/{claim.pk}/documents/").status_code in (403, 404)
    response = api(verifikator).post(f"/api/v1/claims/{claim.pk}/verify/", {})
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED


def test_no_message_goes_to_anyone_but_the_practising_official(
    real_work, operator_a, verifikator, django_capture_on_commit_callbacks
):
    """Real returns write messages (the hooks are live); a practice return writes none,
    so none can reach the heir's number, the village or anyone else."""
    real = submitted_claim(operator_a, deceased_nik=nik(8))
    before = Message.objects.count()
    return_claim(user=verifikator, claim_id=real.pk, reason="Foto KTP buram")
    assert Message.objects.count() > before

    count = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        practice = start_practice_claim(user=operator_a)
        submit_claim(user=operator_a, claim_id=practice.pk)
        return_claim(user=operator_a, claim_id=practice.pk, reason="Foto KTP buram")
        submit_claim(user=operator_a, claim_id=practice.pk)
        verify_claim(user=operator_a, claim_id=practice.pk)
        approve_claim(user=operator_a, claim_id=practice.pk)
    assert Message.objects.count() == count
    assert not Message.objects.filter(claim_id=practice.pk).exists()
    assert not Delivery.objects.filter(claim_id=practice.pk).exists()
    assert not RegistryCheck.objects.filter(claim_id=practice.pk).exists()
