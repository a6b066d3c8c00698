"""The village operator's statistics page: their own desa's claims of a year by state,
what was paid, and the median working days to Dinas Sosial's decision."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from santunan.models import Claim, Status
from santunan.selectors import desa_statistics
from santunan.services import reject_claim, verify_claim
from tests.santunan.factories import draft_claim, submitted_claim
from villages.selectors import desa_of_operator

STATS = reverse("santunan:desa_statistics")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def claim(operator, n: int, **overrides) -> Claim:
    return submitted_claim(operator, deceased_nik=f"33250112035{n:05d}", **overrides)


def at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day} 09:00"))


def in_2026(claim: Claim, *, submitted: str, decided: str | None = None, **fields) -> None:
    """Place a claim made through the services on the days the figures read."""
    Claim.objects.filter(pk=claim.pk).update(
        first_submitted_at=at(submitted),
        submitted_at=at(submitted),
        decided_on=datetime.fromisoformat(decided).date() if decided else None,
        **fields,
    )


def test_the_figures_count_the_desa_s_claims_of_the_year_by_state(
    operator_a, operator_b, verifikator
):
    verified = claim(operator_a, 1)
    verify_claim(user=verifikator, claim_id=verified.pk)
    rejected = claim(operator_a, 2)
    reject_claim(user=verifikator, claim_id=rejected.pk, reason="Bukan warga desa ini")
    paid, waiting = claim(operator_a, 3), claim(operator_a, 4)
    # Monday 2 March 2026 to Thursday 5 March: three working days; to Monday 9 March,
    # five; Friday 6 March to Monday 9 March, one.
    in_2026(verified, submitted="2026-03-02", decided="2026-03-05")
    in_2026(rejected, submitted="2026-03-02", decided="2026-03-09")
    in_2026(paid, submitted="2026-03-06", decided="2026-03-09", status=Status.PAID)
    in_2026(waiting, submitted="2026-03-06")
    # Not counted: another desa's claim, a claim of another year, a draft.
    in_2026(claim(operator_b, 5), submitted="2026-03-02", decided="2026-03-03")
    in_2026(claim(operator_a, 6), submitted="2025-12-30")
    draft_claim(operator_a, deceased_nik="3325011203500007")

    stats = desa_statistics(desa_id=desa_of_operator(operator_a).pk, year=2026)

    assert stats.by_status == [
        (Status.SUBMITTED, 1),
        (Status.VERIFIED, 1),
        (Status.PAID, 1),
        (Status.REJECTED, 1),
    ]
    assert stats.total == 4
    assert (stats.paid_claims, stats.paid_amount) == (1, paid.amount)
    assert (stats.decided, stats.median_days_to_decision) == (3, 3)


def test_a_year_without_decisions_has_no_median(operator_a):
    stats = desa_statistics(desa_id=desa_of_operator(operator_a).pk, year=2026)

    assert (stats.total, stats.paid_amount, stats.median_days_to_decision) == (0, 0, None)


def test_the_operator_reaches_the_page_from_the_village_home(client_for, operator_a):
    client = client_for(operator_a)

    home = client.get(reverse("santunan:desa_home")).content.decode()

    assert f'href="{STATS}"' in home


def test_the_page_shows_only_the_operator_s_own_desa(client_for, operator_a, operator_b):
    claim(operator_a, 1)

    own = client_for(operator_a).get(STATS).content.decode()
    other = client_for(operator_b).get(STATS).content.decode()

    assert '<dd data-figure="total">1</dd>' in own
    assert '<dd data-figure="total">0</dd>' in other
    assert "Slamet Riyadi" not in own  # figures only, no names


def test_dinas_sosial_has_the_office_dashboard_instead(client_for, verifikator):
    assert client_for(verifikator).get(STATS).status_code == 403


@pytest.mark.parametrize("year", ["1999", "abc", "2026'--"])
def test_a_year_not_offered_shows_this_year(client_for, operator_a, year):
    response = client_for(operator_a).get(STATS, {"tahun": year})

    assert response.status_code == 200
    assert response.context["stats"].year == timezone.localdate().year
