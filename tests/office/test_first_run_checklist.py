"""The administrator's first-run checklist: each step done or missing, with where to
put it right; linked from the administrator's home and navigation."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dinsos_sync.models import Snapshot
from office.checklist import first_run_steps
from office.models import BudgetAccount, Letterhead, Official
from santunan.models import BenefitPolicy, Holiday
from villages.models import OperatorAssignment

NIP = "197501012000031001"


@pytest.fixture(autouse=True)
def no_officials_from_the_environment(settings):
    settings.TREASURER_NAME = ""  # the database decides


def states(user) -> dict[str, bool]:
    return {step.key: step.done for step in first_run_steps(user=user, day=timezone.localdate())}


def complete_the_office(operator_a):
    """Everything the checklist asks for, entered as the administrator would."""
    today = timezone.localdate()
    Letterhead.objects.create(
        valid_from=date(2000, 1, 1),
        regency="Kabupaten Batang",
        office="Dinas Sosial",
        address="Jl. Jend. Sudirman 1",
        place="Batang",
    )
    for position in Official.Position.values:
        Official.objects.create(
            position=position, name=f"Pejabat {position}", nip=NIP, valid_from=date(2000, 1, 1)
        )
    BudgetAccount.objects.create(year=today.year, code="5.1.02.99.99.0001")
    BenefitPolicy.objects.update(name="Peraturan Bupati Batang Nomor 12 Tahun 2017")
    Holiday.objects.create(date=date(today.year, 12, 25), name="Hari Raya Natal")
    for source in ("social", "population"):
        Snapshot.objects.create(source=source, status="active", received_on=today)
    assert OperatorAssignment.objects.filter(user=operator_a).exists()


def test_a_fresh_installation_misses_every_step(administrator):
    assert states(administrator) == {
        "letterhead": False,
        "officials": False,
        "budget_account": False,
        "policy": False,
        "holidays": False,
        "registries": False,
        "operators": False,
    }


def test_each_step_is_done_once_its_data_is_entered(administrator, operator_a):
    complete_the_office(operator_a)

    assert all(states(administrator).values())


def test_one_registry_loaded_leaves_the_other_named(administrator):
    Snapshot.objects.create(source="social", status="active", received_on=timezone.localdate())
    Snapshot.objects.create(source="population", status="failed", received_on=timezone.localdate())

    step = next(
        s
        for s in first_run_steps(user=administrator, day=timezone.localdate())
        if s.key == "registries"
    )

    assert not step.done and "Dukcapil" in step.detail and "DTKS" not in step.detail


def test_the_page_shows_each_state_and_where_to_fix_it(client_for, administrator):
    page = client_for(administrator).get(reverse("office:checklist"))

    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('data-done="no"') == 7
    assert "7 langkah belum selesai" in body
    assert f'href="{reverse("villages:setup")}"' in body
    assert reverse("admin:office_budgetaccount_add") in body
    assert reverse("admin:santunan_holiday_changelist") in body
    assert reverse("dinsos_sync:home") in body
    assert "Kode rekening: -" in body


def test_a_completed_office_reads_all_done(client_for, administrator, operator_a):
    complete_the_office(operator_a)

    body = client_for(administrator).get(reverse("office:checklist")).content.decode()

    assert body.count('data-done="yes"') == 7 and "Semua langkah selesai" in body


def test_only_the_administrator_opens_the_checklist(client_for, bendahara, verifikator):
    assert client_for(bendahara).get(reverse("office:checklist")).status_code == 403
    assert client_for(verifikator).get(reverse("office:checklist")).status_code == 403


def test_the_administrators_home_and_navigation_link_to_the_checklist(client_for, administrator):
    client = client_for(administrator)

    admin_home = client.get(reverse("admin:index")).content.decode()
    site_page = client.get(reverse("office:checklist")).content.decode()

    assert f'href="{reverse("office:checklist")}"' in admin_home
    assert f'<a href="{reverse("office:checklist")}" aria-current="page">' in site_page
