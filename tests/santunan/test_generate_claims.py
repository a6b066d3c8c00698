"""`generate_claims`: valid, varied synthetic claims that the real workflow accepts."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from reports.counts import differences
from santunan.identity import nik_birth_date, nik_problem, nik_sex
from santunan.management.commands import generate_claims
from santunan.models import ACTIVE_STATUSES, Claim, ClaimEvent, Status
from santunan.phones import to_e164
from santunan.services import submit_claim
from tests.santunan.factories import draft_claim


def generate(count, *args):
    out = StringIO()
    call_command("generate_claims", count, *args, stdout=out)
    return out.getvalue()


def test_it_makes_valid_claims_of_batang_in_many_states(wilayah):
    generate(1000, "--seed", "7", "--chunk", "400")

    claims = Claim.objects.all()
    assert claims.count() == 1000
    states = set(claims.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.VERIFIED, Status.APPROVED} <= states
    assert claims.values("desa").distinct().count() > 100
    for claim in claims:
        assert nik_problem(claim.deceased_nik) is None, claim.deceased_nik
        assert nik_problem(claim.heir_nik) is None, claim.heir_nik
        assert claim.deceased_nik.startswith("3325")
        assert nik_sex(claim.deceased_nik) == claim.deceased_sex
        assert nik_birth_date(claim.deceased_nik) <= claim.death_date
        # As the entry form would have stored it: an Indonesian mobile number in E.164.
        assert to_e164(claim.heir_phone) == claim.heir_phone, claim.heir_phone


def test_submitted_claims_have_unique_yearly_numbers_and_their_history(wilayah):
    generate(200, "--seed", "3")

    numbered = Claim.objects.exclude(status__in=[Status.DRAFT, Status.CANCELLED])
    numbers = list(numbered.values_list("number", flat=True))
    assert all(re.fullmatch(r"SKM-\d{4}-\d{6}", n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert Claim.objects.filter(status=Status.DRAFT, number__isnull=False).count() == 0
    for claim in numbered.filter(status=Status.APPROVED)[:20]:
        actions = list(claim.events.values_list("action", flat=True))
        assert actions[0] == "create" and actions[-2:] == ["verify", "approve"]
        assert claim.approved_by_id != claim.verified_by_id
        assert claim.amount == 1_000_000


def test_each_deceased_has_at_most_one_active_claim(wilayah):
    generate(250, "--seed", "11")

    duplicates = (
        Claim.objects.filter(status__in=ACTIVE_STATUSES)
        .values("deceased_nik")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_a_real_submission_continues_after_the_generated_numbers(wilayah, operator_a):
    generate(50, "--seed", "5")
    claim = draft_claim(operator_a, deceased_nik="3325011203509999")

    claim = submit_claim(user=operator_a, claim_id=claim.pk)

    year = claim.number.split("-")[1]
    taken = Claim.objects.filter(number__startswith=f"SKM-{year}-").exclude(pk=claim.pk)
    assert claim.number > max(taken.values_list("number", flat=True), default="")


def test_the_same_seed_gives_the_same_claims(wilayah):
    generate(30, "--seed", "42")
    first = list(Claim.objects.order_by("pk").values_list("deceased_name", "status", "desa"))
    ClaimEvent.objects.all().delete()
    Claim.objects.all().delete()

    generate(30, "--seed", "42")

    assert (
        list(Claim.objects.order_by("pk").values_list("deceased_name", "status", "desa")) == first
    )


def test_if_empty_creates_nothing_when_claims_exist(wilayah):
    generate(5, "--seed", "1")

    output = generate(5, "--if-empty")

    assert "tidak ada yang dibuat" in output
    assert Claim.objects.count() == 5


def test_demo_claims_may_carry_sample_documents(wilayah, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    generate(3, "--seed", "2", "--with-documents")

    for claim in Claim.objects.all():
        assert claim.documents.count() >= 4


def test_it_needs_the_villages_first(db):
    with pytest.raises(CommandError, match="load_wilayah"):
        generate(5)


def test_every_state_gives_the_demo_village_one_claim_in_each_state(operator_a):
    generate(7, "--seed", "5", "--every-state")

    claims = Claim.objects.all()
    assert set(claims.values_list("status", flat=True)) == {
        Status.APPROVED, Status.REJECTED, Status.CANCELLED, Status.DRAFT,
        Status.RETURNED, Status.SUBMITTED, Status.VERIFIED,
    }
    assert set(claims.values_list("desa_id", flat=True)) == {operator_a.operator_assignment.desa_id}


def test_submissions_spread_over_the_last_ten_calendar_years(wilayah):
    generate(600, "--seed", "8")

    this_year = timezone.localdate().year
    years = Counter(
        timezone.localtime(moment).year
        for moment in Claim.objects.exclude(first_submitted_at=None).values_list(
            "first_submitted_at", flat=True
        )
    )
    assert set(years) == set(range(this_year - 9, this_year + 1))
    # A steady flow: no year holds a large share (each about a tenth).
    assert max(years.values()) < 0.2 * sum(years.values())


def test_one_year_puts_every_submission_in_it(wilayah):
    year = timezone.localdate().year - 3
    generate(80, "--seed", "9", "--year", str(year))

    submitted = Claim.objects.exclude(first_submitted_at=None)
    assert submitted.count() > 60
    assert {timezone.localtime(c.first_submitted_at).year for c in submitted} == {year}
    assert all(c.number.startswith(f"SKM-{year}-") for c in submitted)


def test_a_year_in_the_future_is_refused(wilayah):
    with pytest.raises(CommandError, match="Tahun"):
        generate(5, "--year", str(timezone.localdate().year + 1))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and indexes of PostgreSQL")
def test_a_bulk_load_builds_the_same_indexes_again(wilayah, monkeypatch):
    def indexes():
        with connection.cursor() as cursor:
            # Name, method, columns (included ones too), uniqueness and condition; the
            # text of a condition may come back deparsed differently.
            cursor.execute(
                "SELECT index.relname, am.amname, i.indkey::text, i.indnkeyatts, "
                "i.indisunique, i.indpred IS NOT NULL FROM pg_index i "
                "JOIN pg_class index ON index.oid = i.indexrelid "
                "JOIN pg_class tbl ON tbl.oid = i.indrelid "
                "JOIN pg_am am ON am.oid = index.relam "
                "WHERE tbl.relname IN ('santunan_claim', 'santunan_claimevent') ORDER BY 1"
            )
            return cursor.fetchall()

    before = indexes()
    monkeypatch.setattr(generate_claims, "BULK_LOAD_MIN", 100)

    generate(300, "--seed", "4")

    assert indexes() == before
    assert Claim.objects.count() == 300
    assert ClaimEvent.objects.count() > 600
    assert differences() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY of PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_writer_processes_beside_existing_claims_make_distinct_claims(wilayah):
    generate(20, "--seed", "1")

    generate(400, "--seed", "2", "--processes", "2", "--chunk", "100")

    assert Claim.objects.count() == 420
    numbers = list(Claim.objects.exclude(number=None).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    duplicates = (
        Claim.objects.filter(status__in=ACTIVE_STATUSES)
        .values("deceased_nik")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    assert differences() == []
