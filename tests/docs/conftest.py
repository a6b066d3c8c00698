"""The demo the guides describe, in the test database: the accounts `make run` creates,
claims in every state, payout batches and the registries; plus the few objects the
demo does not make and a guide section shows (a batch still in draft, one signed, a
claim waiting for a document the registry check asked for)."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from dinsos_sync.models import Snapshot
from santunan.finance.services import create_batch, sign_batch
from santunan.models import (
    BankResultUpload,
    BatchItem,
    Claim,
    DocumentKind,
    PayoutBatch,
    Status,
)
from santunan.practice import practice_claims, start_practice_claim
from santunan.services import approve_claim, return_claim, submit_claim, verify_claim
from tests.conftest import PASSWORD
from tests.santunan.factories import submitted_claim
from villages.roles import Role

DEMO_DESA = "33.25.01.2001"  # create_demo_accounts assigns the operator to Silurah
ROOT = Path(__file__).resolve().parents[2]
GUIDES = ROOT / "docs" / "panduan"
DEMO_USERNAMES = {
    Role.OPERATOR_DESA: "operator",
    Role.VERIFIKATOR: "verifikator",
    Role.APPROVER: "approver",
    Role.BENDAHARA: "bendahara",
    Role.ADMINISTRATOR: "admin",
}
# A heading with its anchor: "## Mengajukan klaim { #mengajukan-klaim }"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*\{\s*#([\w-]+)\s*\}\s*$")
# What a guide names on a page: **Kirim**{ .tombol } (a button) or **Antrean**{ .menu }.
NAMED = re.compile(r"\*\*([^*]+)\*\*\{\s*\.(tombol|menu)\s*\}")


def guide_sections(slug: str) -> dict[str, str]:
    """The sections of a guide by anchor: the text from its heading to the next anchored
    heading."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in (GUIDES / f"{slug}.md").read_text(encoding="utf-8").splitlines():
        match = HEADING.match(line)
        if match:
            current = match.group(3)
            sections[current] = []
        elif current:
            sections[current].append(line)
    return {anchor: "\n".join(lines) for anchor, lines in sections.items()}


def named_labels(text: str) -> list[tuple[str, str]]:
    """(label, "tombol" or "menu") for everything a section tells the reader to press."""
    return NAMED.findall(text)


@pytest.fixture
def demo(settings, tmp_path, wilayah):
    """The demo data; returns the demo accounts by role, each with the test password."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(DEBUG=True):
        call_command("setup_regency", "33.25", stdout=_quiet())
        call_command("create_demo_accounts", stdout=_quiet())
    call_command(
        "generate_claims",
        "24",
        "--seed",
        "8",
        "--with-documents",
        "--every-state",
        stdout=_quiet(),
    )
    call_command("generate_payouts", stdout=_quiet())
    call_command("load_demo_registries", stdout=_quiet())
    users = {}
    for role, username in DEMO_USERNAMES.items():
        user = get_user_model().objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
        users[role] = user
    _draft_and_signed_batches(users[Role.BENDAHARA])
    _claim_waiting_for_a_document(users[Role.OPERATOR_DESA])
    for role in (Role.OPERATOR_DESA, Role.VERIFIKATOR):
        _practice_claims(users[role])
    return users


def _quiet() -> io.StringIO:
    return io.StringIO()


def _draft_and_signed_batches(treasurer) -> None:
    approved = list(Claim.objects.filter(status=Status.APPROVED).order_by("pk")[:2])
    for n, claim in enumerate(approved):
        batch = create_batch(
            user=treasurer, claim_ids=[claim.pk], confirm_over_budget=True, over_budget_note="Demo"
        )
        if n:
            sign_batch(
                user=treasurer,
                batch_id=batch.pk,
                signer_name="Drs. Sutrisno",
                signer_nip="196805121990031004",
            )


def _claim_waiting_for_a_document(operator) -> None:
    """Submitted, then a registry check asks for an SKTM the village did not send (what
    dinsos_sync's check writes on the claim)."""
    claim = submitted_claim(operator, deceased_nik="3325011203500099")
    Claim.objects.filter(pk=claim.pk).update(extra_required_documents=[DocumentKind.SKTM])


def _practice_claims(user) -> None:
    """One practice claim at each step a guide shows: a draft, then one submitted, one
    verified, one approved and one returned, as the official plays every role (mode
    latihan)."""
    steps = [submit_claim, verify_claim, approve_claim]
    for done in range(len(steps) + 1):
        claim = start_practice_claim(user=user)
        for step in steps[:done]:
            step(user=user, claim_id=claim.pk)
    returned = start_practice_claim(user=user)
    submit_claim(user=user, claim_id=returned.pk)
    return_claim(user=user, claim_id=returned.pk, reason="Foto KK buram, unggah ulang.")


def sample_kwargs(sample: str, user) -> dict:
    """The URL arguments of the demo object a guide section's page shows (config/help.py)."""
    if not sample:
        return {}
    kind, _sep, detail = sample.partition(":")
    if kind == "claim":
        claims = Claim.objects.order_by("pk")
        if user.groups.filter(name=Role.OPERATOR_DESA).exists():
            claims = claims.filter(desa_id=DEMO_DESA)
        if detail == "late":
            claim = claims.filter(status=Status.SUBMITTED, deceased_nik="3325011203500099").first()
        else:
            claim = claims.filter(status=detail).first()
        assert claim is not None, f"no demo claim for {sample}"
        return {"pk": claim.pk} if detail != "payment_failed" else {"claim_pk": claim.pk}
    if kind == "practice":
        claim = practice_claims(user).filter(status=detail).first()
        assert claim is not None, f"no practice claim for {sample}"
        return {"pk": claim.pk}
    if kind == "batch":
        batches = PayoutBatch.objects.order_by("pk")
        if detail in {"drafted", "signed", "disbursed", "closed"}:
            batch = batches.filter(status=detail).first()
        else:
            batch = batches.filter(payout_method=detail, status="disbursed").first()
        assert batch is not None, f"no demo batch for {sample}"
        return {"pk": batch.pk}
    if kind == "cash":
        item = BatchItem.objects.filter(
            outcome=BatchItem.Outcome.PENDING,
            batch__status="disbursed",
            batch__payout_method="tunai",
        ).first()
        return {"pk": item.batch_id, "claim_pk": item.claim_id}
    if kind == "bank_result":
        return {"pk": BankResultUpload.objects.order_by("pk").first().pk}
    if kind == "snapshot":
        return {"pk": Snapshot.objects.order_by("pk").first().pk}
    if kind == "desa":
        return {"code": "33.25.01.2001"}
    raise AssertionError(f"unknown sample {sample}")
