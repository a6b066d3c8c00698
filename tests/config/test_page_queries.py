"""Every page type costs a known number of database round trips, whatever the number of
rows it lists: the session, the person (roles, language and second factor in one query,
accounts/person.py), then the page's own reads. A change that adds queries to a page
fails here and has to say why (raise its ceiling in the same commit, with the reason).

Ceilings were measured when they were set, in the test's transaction (where the
regency is read on every request; a server process keeps it, villages/selectors.py).
Each page lists three rows, then three more: the count must not move with the rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from santunan.finance.services import create_batch
from tests.api.conftest import api_for  # noqa: F401 (a fixture)
from tests.finance.conftest import approve  # noqa: F401 (a fixture)
from tests.santunan.factories import draft_claim, submitted_claim

# Queries at most per page type, as measured when set. The three role homes read one
# more: whether the person closed their first-steps list (accounts/first_steps.py).
CEILING = {
    "village_home": 15,
    "claim_page": 11,
    "verifier_queue": 9,
    "archive_search": 6,
    "finance_home": 19,
    "batch_page": 17,
    "dashboard": 15,
    "api_list": 3,
    "minimal_page": 4,
}


def queries_of(client, url: str, **extra) -> list[str]:
    """The SQL of one warm request of `url` (the first request fills per-process caches,
    as on a running server)."""
    assert client.get(url, **extra).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def within_ceiling(page: str, client, url: str, **extra) -> int:
    sql = queries_of(client, url, **extra)
    listing = "\n".join(statement[:160] for statement in sql)
    assert len(sql) <= CEILING[page], (
        f"{page} made {len(sql)} queries, its ceiling is {CEILING[page]}:\n{listing}"
    )
    return len(sql)


def claims(operator, start: int, count: int) -> list:
    return [
        submitted_claim(operator, deceased_nik=f"33250112035{n:05d}")
        for n in range(start, start + count)
    ]


def drafts(operator, start: int, count: int) -> list:
    """Drafts: the village home lists what each still lacks."""
    return [
        draft_claim(operator, deceased_nik=f"33250112035{n:05d}")
        for n in range(start, start + count)
    ]


def test_the_smallest_page_costs_the_session_the_person_and_the_regency(client_for, verifikator):
    assert within_ceiling("minimal_page", client_for(verifikator), reverse("password_change_done"))


def test_a_second_factor_adds_no_query_of_its_own(client_for, verifikator, approver):
    url = reverse("password_change_done")
    without = len(queries_of(client_for(verifikator), url))
    client_for(verifikator).logout()

    with_factor = len(queries_of(client_for(approver), url))

    assert with_factor == without


def test_the_village_home_reads_the_same_however_many_claims_and_drafts(client_for, operator_a):
    client = client_for(operator_a)
    claims(operator_a, 1, 3)
    drafts(operator_a, 11, 3)
    first = within_ceiling("village_home", client, reverse("santunan:desa_home"))
    claims(operator_a, 4, 3)
    drafts(operator_a, 14, 3)

    assert within_ceiling("village_home", client, reverse("santunan:desa_home")) == first


def test_the_verifier_queue_reads_the_same_however_many_claims(client_for, operator_a, verifikator):
    client = client_for(verifikator)
    claims(operator_a, 1, 3)
    first = within_ceiling("verifier_queue", client, reverse("santunan:verifikator_home"))
    claims(operator_a, 4, 3)

    assert within_ceiling("verifier_queue", client, reverse("santunan:verifikator_home")) == first


def test_the_claim_page_stays_within_its_ceiling(client_for, operator_a, approver):
    claim = claims(operator_a, 1, 1)[0]

    within_ceiling(
        "claim_page", client_for(approver), reverse("santunan:claim_detail", args=[claim.pk])
    )


def test_an_archive_search_by_nik_stays_within_its_ceiling(client_for, operator_a, verifikator):
    client = client_for(verifikator)
    nik = claims(operator_a, 1, 3)[0].deceased_nik
    location = client.post(reverse("santunan:archive"), {"q": nik})["Location"]

    within_ceiling("archive_search", client, location)


def test_the_finance_pages_read_the_same_however_many_claims(client_for, bendahara, approve):  # noqa: F811
    client = client_for(bendahara)
    for n in range(1, 4):
        approve(n)
    home = within_ceiling("finance_home", client, reverse("finance:home"))
    batch = create_batch(
        user=bendahara,
        claim_ids=[approve(n).pk for n in range(4, 7)],
        confirm_over_budget=True,
        over_budget_note="Pagu belum diisi",
    )
    within_ceiling("batch_page", client, reverse("finance:batch", args=[batch.pk]))
    for n in range(7, 10):
        approve(n)

    assert within_ceiling("finance_home", client, reverse("finance:home")) == home


def test_the_dashboard_stays_within_its_ceiling(client_for, operator_a, approver):
    claims(operator_a, 1, 3)

    within_ceiling("dashboard", client_for(approver), reverse("reports:dashboard"))


def test_the_api_claim_list_reads_the_same_however_many_claims(api_for, operator_a):  # noqa: F811
    api = api_for(operator_a)
    claims(operator_a, 1, 3)
    assert api.get("/api/v1/claims/").status_code == 200
    with CaptureQueriesContext(connection) as three:
        assert api.get("/api/v1/claims/").status_code == 200
    claims(operator_a, 4, 3)
    with CaptureQueriesContext(connection) as six:
        assert api.get("/api/v1/claims/").status_code == 200

    assert len(three.captured_queries) <= CEILING["api_list"]
    assert len(six.captured_queries) == len(three.captured_queries)
