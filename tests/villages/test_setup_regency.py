"""`setup_regency CODE`: one regency of the shipped Kepmendagri 2025 table, loaded,
recorded and given its default policy; again changes nothing; another one refused."""

import csv
import gzip
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from office.selectors import head_on, letterhead_on
from santunan.models import BenefitPolicy, Claim
from tests.conftest import WILAYAH_CSV
from tests.santunan.factories import submitted_claim
from villages.models import Desa, Kecamatan, Regency
from villages.services import load_wilayah

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[2] / "villages" / "data" / "indonesia_wilayah.csv.gz"


def shipped_counts(code: str) -> tuple[int, int, int]:
    """Counted straight from the shipped file, without the project's reader: kecamatan,
    desa and kelurahan whose code lies under `code`."""
    kecamatan = desa = kelurahan = 0
    with gzip.open(SHIPPED, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if not row["code"].startswith(code + "."):
                continue
            segments = row["code"].count(".") + 1
            if segments == 3:
                kecamatan += 1
            elif row["level"] == "kelurahan":
                kelurahan += 1
            else:
                desa += 1
    return kecamatan, desa, kelurahan


def setup(code: str, *args) -> str:
    out = StringIO()
    call_command("setup_regency", code, *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        list(Kecamatan.objects.values_list("code", "name", "is_active")),
        list(Desa.objects.values_list("code", "name", "kind", "kecamatan_id", "is_active")),
        list(Regency.objects.values_list("code", "name", "kind", "set_up_at")),
        list(BenefitPolicy.objects.values_list("pk", "name", "amount", "effective_from")),
    )


@pytest.mark.parametrize(
    "code, name, kind",
    [
        ("33.74", "Kota Semarang", "kota"),
        ("33.26", "Kabupaten Pekalongan", "kabupaten"),
        ("35.22", "Kabupaten Bojonegoro", "kabupaten"),
    ],
)
def test_setup_loads_exactly_the_shipped_kecamatan_and_villages_of_the_regency(code, name, kind):
    kecamatan, desa, kelurahan = shipped_counts(code)
    assert kecamatan > 0 and desa + kelurahan > 0

    setup(code)

    assert Kecamatan.objects.count() == kecamatan
    assert Desa.objects.filter(kind=Desa.Kind.DESA).count() == desa
    assert Desa.objects.filter(kind=Desa.Kind.KELURAHAN).count() == kelurahan
    assert not Desa.objects.exclude(code__startswith=code + ".").exists()
    regency = Regency.objects.get()
    assert (regency.code, regency.name, regency.kind) == (code, name, kind)


@pytest.mark.parametrize("code", ["33.74", "33.26", "35.22"])
def test_running_setup_again_changes_nothing_and_says_so(code):
    setup(code)
    before = snapshot()

    output = setup(code)

    assert "Tidak ada yang berubah" in output
    assert snapshot() == before


@pytest.mark.parametrize("first, other", [("33.74", "33.26"), ("33.26", "35.22")])
def test_another_code_on_a_set_up_database_is_refused_with_the_reason(first, other):
    setup(first)
    before = snapshot()

    with pytest.raises(CommandError, match="sudah dipasang untuk .* Satu basis data"):
        setup(other)

    assert snapshot() == before


def test_another_code_is_refused_where_claims_of_the_default_regency_exist(operator_a):
    submitted_claim(operator_a)
    before = snapshot()

    with pytest.raises(CommandError, match="sudah berisi 1 klaim dari wilayah lain"):
        setup("33.74")

    assert snapshot() == before


def test_the_default_regency_can_be_recorded_over_its_loaded_villages_and_claims(operator_a):
    claim = submitted_claim(operator_a)

    output = setup("33.25")

    assert "Kabupaten Batang (33.25, Jawa Tengah) terpasang" in output
    assert "0 baru, 0 diperbarui, 263 tetap" in output
    assert Claim.objects.get(pk=claim.pk).desa_id == claim.desa_id


def test_a_database_holding_another_regencys_villages_is_refused():
    load_wilayah(data=WILAYAH_CSV.read_bytes(), regency_code="33.25")

    with pytest.raises(CommandError, match=r"wilayah kabupaten/kota lain \(33.25\)"):
        setup("33.74")

    assert not Regency.objects.exists()


@pytest.mark.parametrize(
    "code, message",
    [
        ("3374", "Kode '3374' tidak sah"),
        ("33.7", "Kode '33.7' tidak sah"),
        ("33.74.01", "Kode '33.74.01' tidak sah"),
        ("semarang", "Kode 'semarang' tidak sah"),
        ("99.99", "Kode 99.99 tidak ada dalam tabel wilayah"),
        ("33.00", "Kode 33.00 tidak ada dalam tabel wilayah"),
    ],
)
def test_a_malformed_or_unknown_code_is_refused_clearly(code, message):
    with pytest.raises(CommandError, match=message):
        setup(code)

    assert not Regency.objects.exists() and not Desa.objects.exists()


def test_the_migrations_policy_takes_the_regencys_name_while_no_claim_uses_it():
    seed = BenefitPolicy.objects.get()

    output = setup("33.74")

    policy = BenefitPolicy.objects.get()
    assert policy.pk == seed.pk
    assert policy.name == "Santunan kematian Kota Semarang"
    assert (policy.amount, policy.deadline_days) == (seed.amount, seed.deadline_days)
    assert "Kebijakan awal: “Santunan kematian Kota Semarang”" in output


def test_a_default_policy_is_created_when_there_is_none():
    BenefitPolicy.objects.all().delete()

    setup("35.22")

    assert list(BenefitPolicy.objects.values_list("name", "amount")) == [
        ("Santunan kematian Kabupaten Bojonegoro", 1_000_000)
    ]


def test_a_policy_the_office_already_has_is_left_alone():
    BenefitPolicy.objects.update(name="Perbup 12/2024", amount=1_500_000)

    output = setup("33.26")

    assert list(BenefitPolicy.objects.values_list("name", "amount")) == [
        ("Perbup 12/2024", 1_500_000)
    ]
    assert "Kebijakan awal" not in output


def test_the_office_identity_is_recorded_from_the_options_and_not_twice():
    args = [
        "--office=Dinas Sosial",
        "--address=Jl. Pemuda No. 148, Semarang",
        "--head-name=Drs. Heru Santoso",
        f"--head-nip={'1' * 18}",
    ]
    output = setup("33.74", *args)

    today = timezone.localdate()
    letterhead = letterhead_on(today)
    assert (letterhead.regency, letterhead.place) == ("Kota Semarang", "Semarang")
    assert letterhead.address == "Jl. Pemuda No. 148, Semarang"
    assert head_on(today).name == "Drs. Heru Santoso"
    assert "Identitas kantor dicatat" in output

    assert "Tidak ada yang berubah" in setup("33.74", *args)


def test_a_bad_nip_in_the_options_is_refused_in_indonesian_and_nothing_is_set_up():
    before = snapshot()

    with pytest.raises(CommandError, match="NIP terdiri dari 18 angka"):
        setup(
            "33.74",
            "--office=Dinas Sosial",
            "--address=Jl. Pemuda",
            "--head-name=X",
            "--head-nip=12",
        )

    assert snapshot() == before


def test_without_office_options_the_command_points_to_where_it_is_entered():
    output = setup("33.74")

    assert "/admin/office/letterhead/add/" in output
