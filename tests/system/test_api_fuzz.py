"""schemathesis against the live schema: the web server runs as its own process on a
database with demo claims in every state; every operation of /api/v1/schema/ gets
generated requests with a token of the role that uses it. No answer may be a server
error, and every answer must be what the schema says (status, media type, body).

The number of examples per operation is bounded (API_FUZZ_EXAMPLES, 30 by default)
so the whole run stays within a few minutes on two cores."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from tests.system.stack import Stack

pytestmark = [pytest.mark.system]

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "30"))
# Which demo account calls each operation: the role whose work it is, so requests go
# past the role check into the services; everything else with the verifier's token.
ROLE_OF = {
    "claims_create": "operator",
    "claims_update": "operator",
    "claims_documents_create": "operator",
    "claims_submit": "operator",
    "claims_cancel": "operator",
    "claims_approve": "approver",
    "queue_approval": "approver",
    "finance_batches_list": "bendahara",
    "finance_batches_retrieve": "bendahara",
    "finance_letters_download": "bendahara",
    "finance_payments_list": "bendahara",
}
CHECKS = {
    "enabled": False,
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("api-fuzz"), API_THROTTLE_RATE="100000/min")
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("load_wilayah", "villages/data/batang_wilayah.csv")
        stack.manage("create_demo_accounts")
        stack.manage("generate_claims", "20", "--seed", "3", "--with-documents", "--every-state")
        stack.manage("generate_payouts")
        stack.start_web()
        keys = stack.query(
            "from django.contrib.auth.models import User\n"
            "from api.services import issue_token\n"
            "result = {u: issue_token(user=User.objects.get(username=u), name='fuzz')[1]\n"
            "          for u in ['operator', 'verifikator', 'approver', 'bendahara']}"
        )
        yield stack, keys
    finally:
        stack.stop()


def fuzz(operation, *, base_url: str, headers: dict) -> None:
    """Generated requests for one operation, each answer checked; raises on the first
    failing example (Hypothesis shrinks it first)."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(base_url=base_url, headers=headers, timeout=30)

    run()


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live):
    stack, keys = live
    config = schemathesis.Config.from_dict({"checks": CHECKS})
    schema = schemathesis.openapi.from_url(f"{stack.url}/api/v1/schema/", config=config)
    failures, operations = [], 0

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        role = ROLE_OF.get(operation.definition.raw.get("operationId", ""), "verifikator")
        try:
            fuzz(operation, base_url=stack.url, headers={"Authorization": f"Bearer {keys[role]}"})
        # schemathesis reports failed checks as a BaseExceptionGroup; each operation's
        # failures are collected so one run shows them all.
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:1500]}")

    assert operations >= 20
    assert failures == [], "\n\n".join(failures)
