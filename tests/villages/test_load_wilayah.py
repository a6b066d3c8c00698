import pytest

from tests.conftest import WILAYAH_CSV
from villages.models import Desa, Kecamatan
from villages.services import WilayahError, load_wilayah

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,parent_code\n"
GOOD = HEADER + (
    "33.25,Batang,kabupaten,33\n"
    "33.25.01,Wonotunggal,kecamatan,33.25\n"
    "33.25.01.2001,Silurah,desa,33.25.01\n"
)


def snapshot():
    return (
        sorted(Kecamatan.objects.values_list("code", "name")),
        sorted(Desa.objects.values_list("code", "name", "kind", "kecamatan_id")),
    )


def test_batang_file_gives_15_kecamatan_and_248_villages():
    load_wilayah(data=WILAYAH_CSV.read_bytes(), regency_code="33.25")

    assert Kecamatan.objects.count() == 15
    assert Desa.objects.count() == 248
    assert Desa.objects.filter(kind=Desa.Kind.DESA).count() == 239
    assert Desa.objects.filter(kind=Desa.Kind.KELURAHAN).count() == 9
    assert Desa.objects.get(pk="33.25.02.2015").name == "Puncanggading"


def test_loading_twice_changes_nothing():
    load_wilayah(data=WILAYAH_CSV.read_bytes(), regency_code="33.25")
    before = snapshot()

    result = load_wilayah(data=WILAYAH_CSV.read_bytes(), regency_code="33.25")

    assert not result.changed
    assert result.unchanged == 263
    assert snapshot() == before


def test_a_renamed_village_is_updated_not_duplicated():
    load_wilayah(data=GOOD.encode(), regency_code="33.25")

    result = load_wilayah(
        data=GOOD.replace("Silurah", "Silurah Baru").encode(), regency_code="33.25"
    )

    assert result.updated == 1
    assert list(Desa.objects.values_list("code", "name")) == [("33.25.01.2001", "Silurah Baru")]


BAD_FILES = {
    "missing column": (
        "code,name,level\n33.25.01,Wonotunggal,kecamatan\n",
        "Baris 1",
        "parent_code",
    ),
    "unknown parent": (
        GOOD + "33.25.09.2001,Kalipucang,desa,33.25.09\n",
        "Baris 5",
        "induk 33.25.09",
    ),
    "duplicate code": (GOOD + "33.25.01.2001,Silurah Lagi,desa,33.25.01\n", "Baris 5", "ganda"),
    "outside regency": (
        GOOD + "33.24.01.2001,Lain,desa,33.24.01\n",
        "Baris 5",
        "di luar kabupaten",
    ),
    "bad level": (GOOD + "33.25.01.2002,Sodong,dusun,33.25.01\n", "Baris 5", "dusun"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_malformed_file_is_refused_naming_the_line_and_changes_nothing(case):
    load_wilayah(data=WILAYAH_CSV.read_bytes(), regency_code="33.25")
    before = snapshot()
    content, line, words = BAD_FILES[case]

    with pytest.raises(WilayahError) as refused:
        load_wilayah(
            data=content.replace("Silurah", "Silurah Diubah").encode(), regency_code="33.25"
        )

    assert line in str(refused.value)
    assert words in str(refused.value)
    assert snapshot() == before


def test_non_utf8_bytes_are_refused_with_their_line():
    data = (GOOD + "33.25.01.2002,Sod").encode() + b"\xff\xfeng,desa,33.25.01\n"

    with pytest.raises(WilayahError) as refused:
        load_wilayah(data=data, regency_code="33.25")

    assert "Baris 5" in str(refused.value)
    assert "UTF-8" in str(refused.value)
    assert snapshot() == ([], [])


def test_another_regency_loads_its_own_file():
    other = HEADER + "33.24,Pekalongan,kabupaten,33\n33.24.01,Kandangserang,kecamatan,33.24\n"

    load_wilayah(data=other.encode(), regency_code="33.24")

    assert list(Kecamatan.objects.values_list("code", flat=True)) == ["33.24.01"]


def test_the_management_command_reports_a_refused_file(tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "33.25.01.2001,Dua,desa,33.25.01\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Baris 5"):
        call_command("load_wilayah", str(bad))
    assert Desa.objects.count() == 0
