"""The claim page as each role sees it after the background worker has written to the
claim (events without an actor), and the timeline in words: every action the code can
record has an Indonesian label."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django_fsm import FSMField

from santunan.models import Claim, ClaimEvent
from santunan.services import record_event
from santunan.templatetags.santunan_tags import ACTION_LABELS
from tests.conftest import ROOT
from tests.santunan.factories import submitted_claim


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def worker_event(claim: Claim) -> ClaimEvent:
    """What the registry cross-check writes: an event with no person behind it."""
    return record_event(
        claim=claim,
        actor=None,
        action="registry_documents",
        data={"extra_required_documents": ["sktm", "foto_rumah"]},
    )


@pytest.mark.parametrize("role", ["verifikator", "operator_a"])
def test_the_claim_page_renders_after_an_event_without_an_actor(
    request, client_for, operator_a, verifikator, role
):
    claim = submitted_claim(operator_a)
    worker_event(claim)

    response = client_for(request.getfixturevalue(role)).get(
        reverse("santunan:claim_detail", args=[claim.pk])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "oleh sistem" in page
    assert "Dokumen wajib diperbarui dari pemeriksaan registri" in page
    assert "registry_documents" not in page


def test_the_timeline_names_batch_steps_in_words(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    for action in ("batch_signed", "batch_disbursed", "batch_closed"):
        record_event(claim=claim, actor=verifikator, action=action, data={"batch": "B-1"})

    page = client_for(verifikator).get(reverse("santunan:claim_detail", args=[claim.pk]))

    text = page.content.decode()
    for label in ("ditandatangani", "dicairkan", "ditutup"):
        assert f"Batch pembayaran {label}" in text
    assert "batch_signed" not in text


def _recorded_actions() -> set[str]:
    """Every `action="..."` the code passes (record_event, apply_transition, ClaimEvent,
    batch events), read from the source of the apps that write claim events."""
    actions = set()
    for folder in ("santunan", "dinsos_sync"):
        for path in Path(ROOT, folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if not isinstance(node, ast.Call):
                    continue
                if getattr(node.func, "attr", None) == "add_argument":
                    continue  # argparse's action="store_true"
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        actions.add(keyword.value.value)
    return actions


def _transitions() -> set[str]:
    """apply_transition records the name of the @transition method it ran."""
    field = next(f for f in Claim._meta.fields if isinstance(f, FSMField))
    return {t.name for t in field.get_all_transitions(Claim)}


def test_every_action_the_code_records_has_an_indonesian_label():
    actions = _recorded_actions() | _transitions()

    assert {"registry_documents", "batch_signed", "verify", "create"} <= actions
    assert sorted(actions - set(ACTION_LABELS)) == []
