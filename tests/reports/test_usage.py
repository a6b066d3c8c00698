"""Who is not using it: per desa and kecamatan, accounts, logins, claims this year and
deaths in the active population snapshot, with whom to call first at the top; a few
aggregated queries whatever the number of desa; exportable; for Dinas Sosial only."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dinsos_sync.models import RegistryPerson, Snapshot
from reports.usage import usage
from santunan.models import Claim, Status
from tests.conftest import DESA_A, DESA_B, make_user
from villages.models import Desa
from villages.services import assign_operator

DESA_C = "33.25.01.2002"  # Sodong, Wonotunggal, like DESA_A
YEAR = timezone.localdate().year
NIKS = iter(range(1, 10_000))


def claim(desa: str, submitted: datetime | None, by, **extra) -> Claim:
    n = next(NIKS)
    fields = {
        "desa_id": desa,
        "created_by": by,
        "status": Status.SUBMITTED if submitted else Status.DRAFT,
        "number": f"SKM-{submitted.year}-{n:06d}" if submitted else None,
        "first_submitted_at": submitted,
        "deceased_nik": f"332501120350{n:04d}",
        "deceased_name": "Slamet",
        "deceased_sex": "L",
        "deceased_birth_date": date(1950, 3, 12),
        "death_date": (submitted.date() if submitted else timezone.localdate()) - timedelta(days=3),
        "deceased_address": "Dukuh Krajan RT 1",
        "heir_nik": "3325015505800002",
        "heir_name": "Siti Aminah",
        "heir_relation": Claim.Relation.CHILD,
        "heir_phone": "081234567890",
        "payout_method": Claim.PayoutMethod.CASH,
    }
    return Claim.objects.create(**fields | extra)


def deaths(snapshot: Snapshot, desa: str, count: int, year: int = YEAR) -> None:
    RegistryPerson.objects.bulk_create(
        RegistryPerson(
            snapshot=snapshot,
            nik=f"3325{desa[-4:]}{year % 100:02d}{snapshot.pk % 100:02d}{i:04d}",
            name="Warga",
            birth_date=date(1940, 1, 1),
            sex="L",
            desa_code=desa,
            alive=False,
            death_date=date(year, 1, 1),
        )
        for i in range(count)
    )


def at(day: int) -> datetime:
    return timezone.make_aware(datetime(YEAR, 1, day, 9))


@pytest.fixture
def known(operator_a, operator_b):
    now = timezone.now()
    operator_a.last_login = now - timedelta(days=1)
    operator_a.save()
    operator_b.last_login = now - timedelta(days=30)
    operator_b.save()
    sodong = make_user("op.sodong")
    sodong.set_unusable_password()  # imported, never activated
    sodong.save()
    assign_operator(user=sodong, desa=Desa.objects.get(pk=DESA_C))

    claim(DESA_A, at(2), operator_a)
    claim(DESA_A, at(3), operator_a)
    claim(DESA_A, at(3).replace(year=YEAR - 1), operator_a)  # last year: not this year's
    claim(DESA_A, None, operator_a)  # a draft is not a claim filed
    claim(DESA_B, at(4), operator_b)

    active = Snapshot.objects.create(
        source="population", status=Snapshot.Status.ACTIVE, received_on=date(YEAR, 1, 10)
    )
    old = Snapshot.objects.create(
        source="population", status=Snapshot.Status.SUPERSEDED, received_on=date(YEAR, 1, 1)
    )
    deaths(active, DESA_A, 2)
    deaths(active, DESA_B, 6)
    deaths(active, DESA_B, 4, year=YEAR - 1)  # last year's deaths
    deaths(active, DESA_C, 1)
    deaths(old, DESA_C, 9)  # a superseded snapshot counts for nothing


def test_desa_that_never_logged_in_come_first_then_the_largest_gap(
    known, django_assert_max_num_queries
):
    # The regency, the areas, accounts, claims, the snapshot and its deaths (and, the
    # first time in a process, whether the regency table exists): never one per desa.
    with django_assert_max_num_queries(7):
        report = usage(year=YEAR)

    codes = [area.code for area in report.desa]
    assert len(codes) == 248
    assert codes[0] == DESA_C  # never logged in and a death without a claim
    assert codes[-2:] == [DESA_B, DESA_A]  # logged in: 5 deaths without a claim, then none
    by_code = {area.code: area for area in report.desa}
    a, b, c = by_code[DESA_A], by_code[DESA_B], by_code[DESA_C]
    assert (a.accounts, a.activated, a.claims, a.deaths, a.missing_claims) == (1, 1, 2, 2, 0)
    assert (b.accounts, b.activated, b.claims, b.deaths, b.missing_claims) == (1, 1, 1, 6, 5)
    assert (c.accounts, c.activated, c.claims, c.deaths, c.last_login) == (1, 0, 0, 1, None)
    assert a.last_claim == at(3)
    assert by_code["33.25.01.2003"].accounts == 0


def test_kecamatan_add_up_their_desa(known):
    report = usage(year=YEAR)

    by_code = {area.code: area for area in report.kecamatan}
    wonotunggal, batang = by_code["33.25.01"], by_code["33.25.11"]
    assert (wonotunggal.accounts, wonotunggal.activated, wonotunggal.claims) == (2, 1, 2)
    assert (wonotunggal.deaths, wonotunggal.missing_claims) == (3, 1)
    assert wonotunggal.never_logged_in == wonotunggal.desa_count - 1
    assert (batang.claims, batang.deaths) == (1, 6)
    # The two kecamatan where someone logged in come after the thirteen where nobody did.
    assert {k.code for k in report.kecamatan[-2:]} == {"33.25.01", "33.25.11"}


def test_without_an_active_population_snapshot_deaths_are_left_blank(operator_a):
    operator_a.last_login = timezone.now()
    operator_a.save()

    report = usage(year=YEAR)

    assert report.snapshot is None
    assert all(area.deaths is None for area in report.desa)
    assert report.desa[-1].code == DESA_A  # the only desa someone logged in from


def test_the_page_lists_the_desa_in_that_order_for_dinas_sosial(known, client_for, verifikator):
    response = client_for(verifikator).get(reverse("reports:usage"), {"year": YEAR})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(f'data-code="{DESA_C}"') < page.index(f'data-code="{DESA_B}"')
    assert page.index(f'data-code="{DESA_B}"') < page.index(f'data-code="{DESA_A}"')


def test_a_kecamatan_shows_only_its_desa(known, client_for, verifikator):
    response = client_for(verifikator).get(reverse("reports:usage"), {"kecamatan": "33.25.11"})

    page = response.content.decode()
    assert f'data-code="{DESA_B}"' in page and f'data-code="{DESA_A}"' not in page


def test_the_list_exports_as_csv_and_xlsx_in_the_same_order(known, client_for, approver):
    client = client_for(approver)

    as_csv = client.get(reverse("reports:usage"), {"year": YEAR, "format": "csv"})
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert as_csv["Content-Type"].startswith("text/csv")
    assert rows[0][0] == "Kode desa" and len(rows) == 249
    assert rows[1][0] == DESA_C and [r[0] for r in rows[-2:]] == [DESA_B, DESA_A]
    assert rows[-2][6] == "1" and rows[-2][8:] == ["6", "5"]

    as_xlsx = client.get(reverse("reports:usage"), {"year": YEAR, "format": "xlsx"})
    sheet = list(load_workbook(io.BytesIO(as_xlsx.content)).active.values)
    assert sheet[1][0] == DESA_C and sheet[-1][0] == DESA_A
    assert sheet[-1][3:5] == (1, 1) and sheet[-1][8:] == (2, 0)


def test_village_operators_are_refused(known, client_for, operator_a):
    response = client_for(operator_a).get(reverse("reports:usage"))

    assert response.status_code == 403
