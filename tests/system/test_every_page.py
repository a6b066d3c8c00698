"""Every page each role can reach answers without a server error, on a database filled
with demo claims in every state and then processed by the background worker: the
servers run as separate processes, as `make run` starts them, and a missing template
variable fails the page (TEMPLATE_STRICT)."""

import re

import pytest

from tests.system.crawler import Crawler
from tests.system.stack import Stack, demo_passwords, demo_totp_secrets

pytestmark = [pytest.mark.system]

ROLES = ["operator", "verifikator", "approver", "bendahara", "admin"]
EVERY_STATE = {
    "draft", "submitted", "returned", "verified", "approved", "scheduled", "paid",
    "payment_failed", "rejected", "cancelled",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("every-page"))
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("load_wilayah", "villages/data/batang_wilayah.csv")
        accounts = stack.manage("create_demo_accounts")
        passwords = demo_passwords(accounts)
        stack.totp_secrets = demo_totp_secrets(accounts)
        stack.manage("generate_claims", "30", "--seed", "8", "--with-documents", "--every-state")
        stack.manage("generate_payouts")
        stack.start_worker()
        stack.start_web()
        # The verifier asks for a re-check of every open claim, as on the registry page,
        # and the worker writes its findings and required documents.
        verifier = Crawler(stack.url)
        verifier.login("verifikator", passwords["verifikator"])
        status, _landed = verifier.post("/registri/", "/registri/periksa-ulang/")
        assert status == 200
        stack.wait_for_worker()
        yield stack, passwords
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def crawls(demo):
    stack, passwords = demo
    done = {}
    for role in ROLES:
        crawler = Crawler(stack.url)
        start = crawler.login(role, passwords[role], stack.totp_secrets.get(role))
        crawler.crawl(start)
        done[role] = crawler
    return done


@pytest.mark.parametrize("role", ROLES)
def test_no_page_of_the_role_answers_a_server_error(demo, crawls, role):
    stack, _passwords = demo
    crawler = crawls[role]

    assert len(crawler.visits) > 5
    assert crawler.errors() == [], server_errors(stack.log("web"))


def server_errors(log: str) -> str:
    """The exception line of each server error in the web server's log."""
    lines = [line for line in log.splitlines() if re.match(r"^[\w.]+(Error|Exception|Exist)\b", line)]
    return "\n".join(dict.fromkeys(lines))


def test_the_crawl_reaches_claims_in_every_state(crawls):
    seen = set().union(*(c.claim_statuses for c in crawls.values()))

    assert seen >= EVERY_STATE


def test_the_village_sees_only_its_own_claim_pages(demo, crawls):
    stack, _passwords = demo
    own = set(
        stack.query(
            "from santunan.models import Claim\n"
            "result = list(Claim.objects.filter(desa_id='33.25.01.2001').values_list('pk', flat=True))"
        )
    )
    visited = {
        int(v.path.split("/")[2]) for v in crawls["operator"].visits
        if v.path.startswith("/klaim/") and v.status == 200
    }

    assert visited and visited <= own


def test_the_worker_finished_without_a_failed_task(demo):
    stack, _passwords = demo

    assert stack.tasks()["failed"] == []
