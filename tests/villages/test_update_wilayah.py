"""update_wilayah: a newer Kepmendagri table applied to the regency served. New areas
come in, renamed ones are renamed in place, removed ones are deleted only when nothing
uses them, and every change is reported and recorded; no claim moves."""

import gzip
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from santunan.models import Claim
from tests.conftest import DESA_A, WILAYAH_CSV
from tests.santunan.factories import submitted_claim
from villages.models import AreaChange, Desa, Kecamatan
from villages.services import WilayahError, update_wilayah

pytestmark = pytest.mark.django_db

SODONG = "33.25.01.2002"  # unused in these tests
RENAMED = "33.25.02.2015"  # Puncanggading


def changed_table() -> bytes:
    """Batang's table after an imagined decree: Silurah (which a claim uses) renumbered
    to 33.25.01.2099, Sodong merged away, Puncanggading renamed, Kec. Banyuputih
    (33.25.15) dissolved and a new Kec. Batang Baru (33.25.16) formed."""
    lines = WILAYAH_CSV.read_text(encoding="utf-8").splitlines()
    kept = [
        line.replace("Puncanggading", "Puncang Gading")
        for line in lines
        if not line.startswith((DESA_A + ",", SODONG + ",", "33.25.15"))
    ]
    kept += [
        "33.25.01.2099,Silurah,desa,33.25.01",
        "33.25.16,Batang Baru,kecamatan,33.25",
        "33.25.16.2001,Sidomulyo,desa,33.25.16",
    ]
    return ("\n".join(kept) + "\n").encode()


def areas():
    return (
        sorted(Kecamatan.objects.values_list("code", "name", "is_active")),
        sorted(Desa.objects.values_list("code", "name", "kind", "kecamatan_id", "is_active")),
    )


def changes():
    return sorted(AreaChange.objects.values_list("code", "kind"))


def test_a_changed_table_moves_nothing_a_claim_uses_and_reports_each_change(operator_a):
    claim = submitted_claim(operator_a)
    banyuputih = list(Desa.objects.filter(kecamatan_id="33.25.15").values_list("code", flat=True))

    report = update_wilayah(data=changed_table(), source="wilayah_2026.csv")

    # The claim and the operator keep Silurah, which stays, marked inactive.
    claim.refresh_from_db()
    silurah = Desa.objects.get(pk=DESA_A)
    assert claim.desa_id == DESA_A and not silurah.is_active
    assert operator_a.operator_assignment.desa_id == DESA_A
    # Unused areas that the table no longer lists are gone; the rest is as the table says.
    assert not Desa.objects.filter(pk__in=[SODONG, *banyuputih]).exists()
    assert not Kecamatan.objects.filter(pk="33.25.15").exists()
    assert Desa.objects.get(pk=RENAMED).name == "Puncang Gading"
    assert Desa.objects.get(pk="33.25.01.2099").is_active
    assert Desa.objects.get(pk="33.25.16.2001").kecamatan.name == "Batang Baru"
    # Each change is reported and recorded, with the file it came from. Sodong has no
    # successor: the one new code of its kecamatan carries Silurah's name.
    expected = sorted(
        [
            (DESA_A, "deactivated"),
            (DESA_A, "successor"),
            (SODONG, "deleted"),
            (RENAMED, "renamed"),
            ("33.25.01.2099", "added"),
            ("33.25.16", "added"),
            ("33.25.16.2001", "added"),
            ("33.25.15", "deleted"),
            *[(code, "deleted") for code in banyuputih],
        ]
    )
    assert sorted((c.code, c.kind) for c in report.changes) == expected
    assert changes() == expected
    successor = AreaChange.objects.get(code=DESA_A, kind="successor")
    assert successor.new_name == "33.25.01.2099 Silurah"
    assert (
        "1 klaim dan 1 operator" in AreaChange.objects.get(code=DESA_A, kind="deactivated").detail
    )
    assert set(AreaChange.objects.values_list("source", flat=True)) == {"wilayah_2026.csv"}


def test_a_kecamatan_whose_used_village_stays_is_kept_inactive(operator_b):
    claim = submitted_claim(operator_b)  # a kelurahan of Kec. Batang (33.25.11)
    lines = WILAYAH_CSV.read_text(encoding="utf-8").splitlines()
    table = "\n".join(line for line in lines if not line.startswith("33.25.11")) + "\n"

    update_wilayah(data=table.encode(), source="tanpa-kec-batang.csv")

    kecamatan = Kecamatan.objects.get(pk="33.25.11")
    assert not kecamatan.is_active
    assert list(kecamatan.desa_set.values_list("code", flat=True)) == [claim.desa_id]
    assert Claim.objects.get(pk=claim.pk).desa_id == claim.desa_id


def test_loading_the_same_table_again_changes_nothing(operator_a):
    submitted_claim(operator_a)
    update_wilayah(data=changed_table(), source="wilayah_2026.csv")
    before, recorded = areas(), AreaChange.objects.count()

    report = update_wilayah(data=changed_table(), source="wilayah_2026.csv")

    assert report.changes == []
    assert areas() == before and AreaChange.objects.count() == recorded


def test_a_village_listed_again_is_active_again(operator_a):
    submitted_claim(operator_a)
    update_wilayah(data=changed_table(), source="2026.csv")

    report = update_wilayah(data=WILAYAH_CSV.read_bytes(), source="kembali.csv")

    assert Desa.objects.get(pk=DESA_A).is_active
    assert (DESA_A, "added") in [(c.code, c.kind) for c in report.changes]


def test_a_national_gzip_table_is_read_for_the_regency_only(wilayah):
    national = (
        "code,name,level,parent_code\n"
        "33,Jawa Tengah,provinsi,\n"
        "33.74,Kota Semarang,kota,33\n"
        "33.74.01,Semarang Tengah,kecamatan,33.74\n"
        + WILAYAH_CSV.read_text(encoding="utf-8")
        .split("\n", 1)[1]
        .replace("Silurah", "Silurah Asri")
    )

    report = update_wilayah(data=gzip.compress(national.encode()), source="indonesia.csv.gz")

    assert [(c.code, c.kind, c.new_name) for c in report.changes] == [
        (DESA_A, "renamed", "Silurah Asri")
    ]
    assert not Kecamatan.objects.filter(pk="33.74.01").exists()


def test_a_dry_run_reports_without_changing_anything(operator_a):
    submitted_claim(operator_a)
    before = areas()

    report = update_wilayah(data=changed_table(), source="2026.csv", dry_run=True)

    assert report.changes and not report.applied
    assert areas() == before and not AreaChange.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"code,name\n33.25.01,Wonotunggal\n", "kolom wajib tidak ada"),
        (b"\x1f\x8b\x08\x00broken", "gzip rusak"),
        (b"code,name,level,parent_code\n33.25.01.2001,,desa,33.25.01\n", "nama wilayah"),
        (b"code,name,level,parent_code\n33.74.01,Semarang Tengah,kecamatan,33.74\n", "33.25"),
        (b"\xff\xfe\x00bad", "bukan UTF-8"),
    ],
)
def test_a_bad_table_is_refused_and_nothing_changes(wilayah, data, message):
    before = areas()

    with pytest.raises(WilayahError, match=message):
        update_wilayah(data=data, source="rusak.csv")

    assert areas() == before and not AreaChange.objects.exists()


def test_the_command_prints_every_change_and_refuses_a_bad_file(operator_a, tmp_path):
    submitted_claim(operator_a)
    path = tmp_path / "wilayah_2026.csv"
    path.write_bytes(changed_table())
    out = StringIO()

    call_command("update_wilayah", str(path), stdout=out)

    printed = out.getvalue()
    assert "Perubahan wilayah Kabupaten Batang dari wilayah_2026.csv diterapkan" in printed
    for code, _kind in changes():
        assert code in printed
    assert "Puncanggading → Puncang Gading" in printed
    assert "Silurah → 33.25.01.2099 Silurah" in printed
    assert "Tidak ada perubahan" in call_command_output("update_wilayah", str(path))
    bad = tmp_path / "rusak.csv"
    bad.write_bytes(b"code,name\n")
    with pytest.raises(CommandError, match="Berkas ditolak, tidak ada yang diubah"):
        call_command("update_wilayah", str(bad))


def call_command_output(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
