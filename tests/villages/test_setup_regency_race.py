"""Two first setups at the same moment: one regency is recorded, its areas once; the
other setup is either a harmless repeat or refused with a message."""

import pytest

from tests.santunan.test_concurrency import race
from villages.models import Desa, Kecamatan, Regency
from villages.services import RegencyError, SetupResult, setup_regency

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("codes", [("33.74", "33.74"), ("33.74", "33.26")])
def test_two_setups_at_once_record_exactly_one_regency(codes):
    results = race(*[lambda code=code: setup_regency(code=code) for code in codes])

    assert all(isinstance(r, SetupResult | RegencyError) for r in results), results
    recorded = [r for r in results if isinstance(r, SetupResult) and r.recorded]
    assert len(recorded) == 1
    regency = Regency.objects.get()
    assert regency.code == recorded[0].regency.code
    prefix = regency.code + "."
    assert Kecamatan.objects.exclude(code__startswith=prefix).count() == 0
    assert Desa.objects.exclude(code__startswith=prefix).count() == 0
    expected = {"33.74": (16, 177), "33.26": (19, 285)}[regency.code]
    assert (Kecamatan.objects.count(), Desa.objects.count()) == expected
