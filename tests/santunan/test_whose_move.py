"""Whose move: for every claim in every state, with or without registry findings and
missing documents, exactly one kind of person has the next step, and that person's
worklist shows the claim with the step enabled; a final claim is on no one's list.

Each claim is built through the real services (and the registry's findings as the
cross-check stores them), then every role's list and claim page are read as that
person reads them. The step each role takes forward:

- the village: complete or correct the claim (its home's "Perlu dilengkapi" card);
- the verifier: verify (the queue row, the enabled button on the claim page);
- the approver: approve (a checkbox on the approval list, the enabled button);
- the treasurer: schedule, pay or decide on a failed transfer (the finance home and
  the batch page)."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from dinsos_sync.models import Finding
from santunan.finance.services import (
    create_batch,
    disburse_batch,
    reconcile_bank_result,
    set_budget,
    sign_batch,
)
from santunan.models import BatchItem, Claim
from santunan.services import (
    approve_claim,
    attach_document,
    cancel_claim,
    complete_documents,
    reject_claim,
    return_claim,
    send_back_claim,
    verify_claim,
)
from tests.finance.conftest import BANK, csv_upload
from tests.santunan.factories import draft_claim, submitted_claim, upload
from villages.roles import Role

VILLAGE, VERIFIER, APPROVER, TREASURER = "village", "verifier", "approver", "treasurer"
ROLES = (VILLAGE, VERIFIER, APPROVER, TREASURER)
ASKED = ["sktm", "foto_rumah"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Case:
    state: str
    registry: str  # "none", "missing", "completed", "blocker", "warning", "sent back"
    mover: str | None  # None: the claim is final
    claim: Claim | None = None

    @property
    def name(self) -> str:
        return f"{self.state} / {self.registry}"


# Who moves next, per state and what the registry check and the office did.
CASES = [
    Case("draft", "none", VILLAGE),
    Case("returned", "none", VILLAGE),
    Case("returned", "missing", VILLAGE),
    Case("returned", "completed", VILLAGE),
    Case("submitted", "none", VERIFIER),
    Case("submitted", "warning", VERIFIER),
    Case("submitted", "blocker", VERIFIER),
    Case("submitted", "missing", VILLAGE),
    Case("submitted", "completed", VERIFIER),
    Case("submitted", "sent back", VERIFIER),
    Case("verified", "none", APPROVER),
    Case("verified", "warning", APPROVER),
    Case("verified", "missing", VILLAGE),
    Case("verified", "completed", APPROVER),
    Case("approved", "none", TREASURER),
    Case("approved", "missing", TREASURER),
    Case("scheduled", "none", TREASURER),
    Case("payment_failed", "none", TREASURER),
    Case("paid", "none", None),
    Case("rejected", "none", None),
    Case("cancelled", "none", None),
]


def ask_for_documents(claim: Claim) -> None:
    """What the cross-check stores for a household not in DTKS/DTSEN."""
    Finding.objects.create(claim=claim, code="household_not_listed", severity="warning")
    Claim.objects.filter(pk=claim.pk).update(extra_required_documents=ASKED)


@pytest.fixture
def cases(operator_a, verifikator, approver, bendahara):
    """Every case's claim, built through the services; a distinct deceased each."""
    numbers = iter(range(1, 100))

    def new(**overrides):
        return {"deceased_nik": f"33250112035{next(numbers):05d}", **overrides}

    def submitted(case):
        claim = submitted_claim(operator_a, **new())
        if case.registry in ("missing", "completed"):
            ask_for_documents(claim)
        if case.registry == "completed":
            uploads = {kind: upload(f"{kind}.png") for kind in ASKED}
            complete_documents(user=operator_a, claim_id=claim.pk, uploads=uploads)
        if case.registry == "blocker":
            Finding.objects.create(claim=claim, code="not_in_population", severity="blocker")
        if case.registry == "warning":
            Finding.objects.create(claim=claim, code="death_not_recorded", severity="warning")
        return claim

    def verified(case):
        claim = submitted_claim(operator_a, **new())
        verify_claim(user=verifikator, claim_id=claim.pk)
        # A re-check of open claims after verification can still ask for documents.
        if case.registry in ("missing", "completed"):
            ask_for_documents(claim)
        if case.registry == "completed":
            uploads = {kind: upload(f"{kind}.png") for kind in ASKED}
            complete_documents(user=operator_a, claim_id=claim.pk, uploads=uploads)
        if case.registry == "warning":
            Finding.objects.create(claim=claim, code="death_not_recorded", severity="warning")
        return claim

    def approved(case, **overrides):
        claim = submitted_claim(operator_a, **new(**overrides))
        verify_claim(user=verifikator, claim_id=claim.pk)
        approve_claim(user=approver, claim_id=claim.pk)
        if case.registry == "missing":
            ask_for_documents(claim)
        return claim

    def returned(case):
        claim = submitted_claim(operator_a, **new())
        if case.registry in ("missing", "completed"):
            ask_for_documents(claim)
        return_claim(user=verifikator, claim_id=claim.pk, reason="Unggah SKTM dan foto rumah.")
        if case.registry == "completed":
            for kind in ASKED:
                attach_document(user=operator_a, claim_id=claim.pk, kind=kind, upload=upload())
        return claim

    set_budget(user=bendahara, year=timezone.localdate().year, allocation=100_000_000)
    by_state = {
        "draft": lambda case: draft_claim(operator_a, **new()),
        "returned": returned,
        "submitted": submitted,
        "verified": verified,
        "approved": approved,
        "rejected": lambda case: reject_claim(
            user=verifikator,
            claim_id=submitted_claim(operator_a, **new()).pk,
            reason="Bukan warga.",
        ),
        "cancelled": lambda case: cancel_claim(
            user=operator_a, claim_id=draft_claim(operator_a, **new()).pk
        ),
    }
    for case in CASES:
        if case.state in by_state:
            case.claim = by_state[case.state](case)
        if case.registry == "sent back":
            verify_claim(user=verifikator, claim_id=case.claim.pk)
            send_back_claim(user=approver, claim_id=case.claim.pk, reason="Periksa KK lagi.")

    # The money's states, through a batch each: cash waiting to be signed; a transfer
    # batch whose bank result pays one claim and refuses the other.
    scheduled = next(c for c in CASES if c.state == "scheduled")
    scheduled.claim = approved(scheduled)
    create_batch(user=bendahara, claim_ids=[scheduled.claim.pk])
    paid = next(c for c in CASES if c.state == "paid")
    failed = next(c for c in CASES if c.state == "payment_failed")
    paid.claim = approved(paid, **BANK)
    failed.claim = approved(failed, **{**BANK, "bank_account": "9876543210"})
    batch = create_batch(user=bendahara, claim_ids=[paid.claim.pk, failed.claim.pk])
    sign_batch(
        user=bendahara,
        batch_id=batch.pk,
        signer_name="Drs. Bambang Wijaya",
        signer_nip="197501012000031001",
    )
    disburse_batch(user=bendahara, batch_id=batch.pk)
    rows = [
        [paid.claim.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "TRX-1", ""],
        [failed.claim.number, "9876543210", "1000000", "GAGAL", "2026-11-27", "TRX-2", "Tutup"],
        ["TOTAL", "2", "2000000", "", "", "", ""],
    ]
    header = "Referensi,No Rekening,Nominal,Status,Tanggal,No Referensi Bank,Keterangan\r\n"
    result = header + "".join(",".join(row) + "\r\n" for row in rows)
    reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(result))

    for case in CASES:
        case.claim = Claim.objects.get(pk=case.claim.pk)
        assert case.claim.status == case.state, case.name
    return CASES


# --- reading each person's pages -------------------------------------------------------------


def button_enabled(page: str, label: str) -> bool:
    """A submit button with this label is on the page and not disabled."""
    if label not in page:
        return False
    tag = page.split(label)[0].rsplit("<button", 1)[-1]
    return "disabled" not in tag


class Pages:
    """Each role's worklist, read once; claim pages read per claim."""

    def __init__(self, client_for, users):
        self.client_for, self.users = client_for, users
        self.lists = {
            VILLAGE: self.read(VILLAGE, reverse("santunan:desa_home")),
            VERIFIER: self.read(VERIFIER, reverse("santunan:verifikator_home")),
            APPROVER: self.read(APPROVER, reverse("santunan:approver_home")),
            TREASURER: self.read(TREASURER, reverse("finance:home")),
        }

    def read(self, role: str, url: str) -> str:
        response = self.client_for(self.users[role]).get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    def claim_page(self, role: str, claim: Claim) -> str:
        """The claim page, or nothing where the person may not see the claim (a draft
        belongs to the village alone): no page, no step."""
        response = self.client_for(self.users[role]).get(
            reverse("santunan:claim_detail", args=[claim.pk])
        )
        assert response.status_code in (200, 404)
        return response.content.decode() if response.status_code == 200 else ""

    def has_move(self, role: str, claim: Claim) -> bool:
        return getattr(self, f"{role}_moves")(claim)

    def village_moves(self, claim: Claim) -> bool:
        home = self.lists[VILLAGE]
        to_do = home.split("Perlu dilengkapi")[1].split("Semua klaim desa")[0]
        links = [
            reverse("santunan:claim_review", args=[claim.pk]),
            reverse("santunan:claim_documents", args=[claim.pk]),
        ]
        listed = any(f'href="{link}"' in to_do for link in links)
        page = self.claim_page(VILLAGE, claim)
        on_page = any(f'class="button primary" href="{link}"' in page for link in links)
        assert listed == on_page, f"the village's list and claim page disagree on {claim}"
        return listed

    def verifier_moves(self, claim: Claim) -> bool:
        queue = self.lists[VERIFIER]
        marker = f">{claim.number}</a>" if claim.number else None
        row = queue.split(marker)[1].split("</tr>")[0] if marker and marker in queue else ""
        listed = 'badge-submitted"' in row and "menunggu dokumen desa" not in row
        page = self.claim_page(VERIFIER, claim)
        on_page = button_enabled(page, "Verifikasi: data dan dokumen sesuai")
        assert listed == on_page, f"the verifier's queue and claim page disagree on {claim}"
        return listed

    def approver_moves(self, claim: Claim) -> bool:
        listed = f'name="claim" value="{claim.pk}"' in self.lists[APPROVER]
        page = self.claim_page(APPROVER, claim)
        on_page = button_enabled(page, "Setujui pembayaran")
        assert listed == on_page, f"the approval list and claim page disagree on {claim}"
        return listed

    def treasurer_moves(self, claim: Claim) -> bool:
        home = self.lists[TREASURER]
        if f'name="claims" value="{claim.pk}"' in home:
            return True  # approved: tick it for a batch
        if f'href="{reverse("finance:reopen", args=[claim.pk])}"' in home:
            return True  # failed transfer: schedule again
        item = BatchItem.objects.filter(claim=claim, outcome="pending").first()
        if item is None or reverse("finance:batch", args=[item.batch_id]) not in home:
            return False
        batch = self.read(TREASURER, reverse("finance:batch", args=[item.batch_id]))
        # In a batch: its page lists the claim and offers the batch's next step.
        return f'data-claim="{claim.number}"' in batch and any(
            step in batch
            for step in (
                reverse("finance:sign", args=[item.batch_id]),
                reverse("finance:disburse", args=[item.batch_id]),
                reverse("finance:bank_result", args=[item.batch_id]),
            )
        )


@pytest.fixture
def pages(cases, client_for, operator_a, verifikator, approver, bendahara):
    users = {VILLAGE: operator_a, VERIFIER: verifikator, APPROVER: approver}
    return Pages(client_for, {**users, TREASURER: bendahara})


def test_exactly_one_kind_of_person_has_the_next_step(cases, pages, subtests):
    for case in cases:
        with subtests.test(case.name):
            movers = [role for role in ROLES if pages.has_move(role, case.claim)]

            assert movers == ([case.mover] if case.mover else []), case.name


# --- what the invariant needs the pages to say ---------------------------------------------


def test_the_verifier_sees_missing_documents_as_the_villages_move(cases, pages):
    case = next(c for c in cases if (c.state, c.registry) == ("submitted", "missing"))

    page = pages.claim_page(VERIFIER, case.claim)

    assert "Desa sudah diminta mengunggahnya" in page
    assert not button_enabled(page, "Verifikasi: data dan dokumen sesuai")


def test_the_approver_who_verified_is_told_why_there_is_no_approve_button(
    operator_a, verifikator, approver, client_for
):
    verifikator.groups.add(Group.objects.get(name=Role.APPROVER))
    own = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=own.pk)
    client = client_for(verifikator)

    page = client.get(reverse("santunan:claim_detail", args=[own.pk])).content.decode()
    approvals = client.get(reverse("santunan:approver_home")).content.decode()

    assert "Setujui pembayaran" not in page
    assert "Anda memverifikasi klaim ini sendiri" in page
    row = approvals.split(own.number)[0].rsplit("<tr>", 1)[1]
    assert f'value="{own.pk}"' not in row and "Anda verifikasi sendiri" in row
    assert "Setujui klaim yang dicentang" not in approvals  # nothing here to tick
    # Another approver has the step.
    other = client_for(approver).get(reverse("santunan:approver_home")).content.decode()
    assert f'name="claim" value="{own.pk}"' in other


def test_registry_findings_stand_before_the_documents(cases, pages):
    case = next(c for c in cases if (c.state, c.registry) == ("submitted", "blocker"))

    page = pages.claim_page(VERIFIER, case.claim)

    findings = page.index('class="card registry-findings"')
    assert findings < page.index('class="card doc-viewer"')
    assert findings < page.index('class="card claim-timeline"')
