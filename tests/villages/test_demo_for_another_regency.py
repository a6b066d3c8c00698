"""`make run REGENCY=33.74`: the demo's commands work on another regency's villages."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from santunan.models import Claim, PayoutBatch, Status
from santunan.services import submission_problems
from villages.models import OperatorAssignment

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_demo_of_kota_semarang_has_its_own_villages_people_and_payouts(settings):
    settings.DEBUG = True
    run("setup_regency", "33.74")

    run("create_demo_accounts")
    run("generate_claims", 24, "--seed", "7", "--every-state")
    printed = run("generate_payouts", "--if-empty")

    operator = OperatorAssignment.objects.get(user__username="operator")
    assert operator.desa.code.startswith("33.74.")
    assert operator.user.get_full_name() == f"Operator {operator.desa}"
    claims = Claim.objects.all()
    assert claims.count() == 24
    assert all(c.desa.code.startswith("33.74.") for c in claims)
    assert all(c.deceased_nik.startswith("3374") for c in claims)
    assert claims.filter(desa=operator.desa).exists()
    draft = claims.filter(status=Status.DRAFT).first()
    assert "Desa almarhum tidak berada di kabupaten ini." not in submission_problems(draft)
    assert PayoutBatch.objects.count() == 2 and "Batch tunai" in printed
    rejected = claims.filter(status=Status.REJECTED).exclude(last_reason="")
    assert "Kabupaten Batang" not in " ".join(rejected.values_list("last_reason", flat=True))


def test_the_demo_accounts_ask_for_the_regency_first_when_it_has_no_villages(settings):
    settings.DEBUG = True
    settings.REGENCY_CODE, settings.REGENCY_NAME = "33.74", "Kota Semarang"

    with pytest.raises(CommandError, match="jalankan dulu setup_regency 33.74"):
        run("create_demo_accounts")
