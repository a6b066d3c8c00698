"""Every change of a year's allocation is kept with who, when and why."""

import pytest
from django.urls import reverse
from django.utils import timezone

from santunan.finance.services import FinanceError, set_budget
from santunan.models import Budget, BudgetChange


def test_the_first_allocation_and_each_correction_are_kept(bendahara, bendahara2):
    set_budget(user=bendahara, year=2026, allocation=2_500_000_000)
    set_budget(user=bendahara2, year=2026, allocation=2_700_000_000, reason="APBD-P 2026")

    assert Budget.objects.filter(year=2026).count() == 1
    first, second = BudgetChange.objects.order_by("changed_at", "pk")
    assert (first.old_allocation, first.new_allocation, first.changed_by) == (
        None,
        2_500_000_000,
        bendahara,
    )
    assert (second.old_allocation, second.new_allocation, second.reason, second.changed_by) == (
        2_500_000_000,
        2_700_000_000,
        "APBD-P 2026",
        bendahara2,
    )


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(bendahara):
    set_budget(user=bendahara, year=2026, allocation=2_500_000_000)

    with pytest.raises(FinanceError, match="alasan"):
        set_budget(user=bendahara, year=2026, allocation=1_000_000_000, reason="  ")

    assert Budget.objects.get(year=2026).allocation == 2_500_000_000
    assert BudgetChange.objects.count() == 1


def test_the_budget_page_shows_the_history(client_for, bendahara):
    set_budget(user=bendahara, year=2026, allocation=2_500_000_000)
    client = client_for(bendahara)
    response = client.post(
        reverse("finance:budget"),
        {"year": 2026, "allocation": 2_600_000_000, "reason": "Perubahan APBD"},
    )
    assert response.status_code == 302

    page = client.get(reverse("finance:budget")).content.decode()
    assert "Perubahan APBD" in page and "Rp2.600.000.000" in page and "Rp2.500.000.000" in page


def test_the_page_explains_a_missing_reason(client_for, bendahara):
    set_budget(user=bendahara, year=2026, allocation=2_500_000_000)
    response = client_for(bendahara).post(
        reverse("finance:budget"), {"year": 2026, "allocation": 2_600_000_000}, follow=True
    )
    assert "Tuliskan alasan perubahan pagu." in response.content.decode()
    assert Budget.objects.get(year=2026).allocation == 2_500_000_000


@pytest.mark.parametrize("typed", ["2.600.000.000", "2600000000", "Rp 2.600.000.000"])
def test_the_allocation_may_be_typed_with_or_without_dots(client_for, bendahara, typed):
    client = client_for(bendahara)

    client.post(reverse("finance:budget"), {"year": 2026, "allocation": typed})

    assert Budget.objects.get(year=2026).allocation == 2_600_000_000


def test_the_budget_form_shows_this_years_allocation_grouped(client_for, bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=2_600_000_000)

    page = client_for(bendahara).get(reverse("finance:budget")).content.decode()

    assert 'name="allocation" value="2.600.000.000"' in page


def test_an_allocation_that_is_not_rupiah_is_explained_and_nothing_changes(client_for, bendahara):
    set_budget(user=bendahara, year=2026, allocation=2_500_000_000)

    response = client_for(bendahara).post(
        reverse("finance:budget"), {"year": 2026, "allocation": "2,6 M", "reason": "APBD-P"}
    )

    assert "Tulis jumlah rupiah dengan angka" in response.content.decode()
    assert Budget.objects.get(year=2026).allocation == 2_500_000_000
