"""Registry files and claims for the dinsos_sync tests."""

import csv
from datetime import date, timedelta

import pytest
from django.utils import timezone

from dinsos_sync.files import LAYOUTS
from dinsos_sync.services import import_snapshot
from santunan.models import Claim, Status
from tests.conftest import DESA_A

# Valid Batang NIKs: Slamet (man, born 12-03-1950) and his daughter Siti (born 05-06-1975).
DECEASED_NIK = "3325011203500001"
HEIR_NIK = "3325014506750002"
KK = "3325010101090003"
OTHER_NIK = "3325012208600004"


def person(source: str, **values) -> dict:
    row = {
        "nik": DECEASED_NIK,
        "nama": "SLAMET",
        "tanggal_lahir": "12-03-1950",
        "jenis_kelamin": "L",
        "no_kk": KK,
        "kode_desa": DESA_A,
        "alamat": "Dukuh Krajan RT 1",
    }
    if source == "social":
        row.update(
            {"status_dtks": "YA", "desil": "1", "tanggal_update": timezone.localdate().isoformat()}
        )
    else:
        row.update(
            {
                "status_hidup": "MENINGGAL",
                "tanggal_meninggal": (timezone.localdate() - timedelta(days=5)).strftime(
                    "%d/%m/%Y"
                ),
            }
        )
    row.update(values)
    return row


def write_csv(path, source: str, rows: list[dict], *, delimiter=",", encoding="utf-8") -> str:
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=LAYOUTS[source], delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


@pytest.fixture
def load_registry(tmp_path, wilayah):
    """load_registry("population", [row, ...]) → the (active) snapshot."""
    counter = iter(range(1000))

    def load(source: str, rows: list[dict], **kwargs):
        path = write_csv(tmp_path / f"{source}-{next(counter)}.csv", source, rows)
        return import_snapshot(source=source, path=path, **kwargs)

    return load


@pytest.fixture
def both_registries(load_registry):
    """Slamet deceased in Dukcapil, poor in DTKS; his daughter in the same KK."""
    load_registry(
        "population",
        [
            person("population"),
            person(
                "population",
                nik=HEIR_NIK,
                nama="SITI AMINAH",
                tanggal_lahir="05-06-1975",
                jenis_kelamin="P",
                status_hidup="HIDUP",
                tanggal_meninggal="",
            ),
        ],
    )
    load_registry(
        "social",
        [
            person("social"),
            person(
                "social",
                nik=HEIR_NIK,
                nama="SITI AMINAH",
                tanggal_lahir="05-06-1975",
                jenis_kelamin="P",
            ),
        ],
    )


@pytest.fixture
def make_claim(operator_a):
    counter = iter(range(1, 1000))

    def make(status=Status.SUBMITTED, **values) -> Claim:
        n = next(counter)
        fields = {
            "desa_id": DESA_A,
            "created_by": operator_a,
            "status": status,
            "number": None if status == Status.DRAFT else f"SKM-2025-{n:06d}",
            "deceased_nik": DECEASED_NIK,
            "deceased_name": "Slamet",
            "deceased_sex": "L",
            "deceased_birth_date": date(1950, 3, 12),
            "death_date": timezone.localdate() - timedelta(days=5),
            "deceased_kk": KK,
            "deceased_address": "Dukuh Krajan RT 1",
            "heir_nik": HEIR_NIK,
            "heir_name": "Siti Aminah",
            "heir_relation": Claim.Relation.CHILD,
            "heir_phone": "081234567890",
            "payout_method": Claim.PayoutMethod.CASH,
        }
        fields.update(values)
        return Claim.objects.create(**fields)

    return make
