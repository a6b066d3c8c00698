"""A generated database with claims in every state and several years, paid and unpaid."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def generated(operator_a, bendahara):
    call_command("generate_claims", 150, "--seed", "11", "--every-state", stdout=StringIO())
    call_command("generate_payouts", stdout=StringIO())
