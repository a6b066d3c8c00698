"""Loading registry files into snapshots: formats, bad rows, refusal, the switch."""

import dataclasses

import pytest
from openpyxl import Workbook

from dinsos_sync.errors import SyncError
from dinsos_sync.files import COLUMNS
from dinsos_sync.models import ImportProblem, RegistryPerson, Snapshot
from dinsos_sync.records import Person
from dinsos_sync.selectors import active_snapshot, snapshot_persons
from dinsos_sync.services import import_snapshot
from tests.conftest import DESA_A
from tests.dinsos_sync.conftest import DECEASED_NIK, HEIR_NIK, OTHER_NIK, person, write_csv
from villages.models import Desa

POP_HEADER = (
    "nik,nama,tanggal_lahir,jenis_kelamin,no_kk,kode_desa,alamat,status_hidup,tanggal_meninggal"
)


def good_rows(count: int) -> list[dict]:
    return [
        person(
            "population", nik=f"33250112035{index:05d}", status_hidup="HIDUP", tanggal_meninggal=""
        )
        for index in range(1, count + 1)
    ]


@pytest.fixture
def tolerant(settings):
    settings.REGISTRY_MAX_BAD_SHARE = 0.9


def problems(snapshot) -> dict[int, str]:
    return dict(ImportProblem.objects.filter(snapshot=snapshot).values_list("line", "message"))


def test_it_loads_a_population_file_and_makes_it_active(load_registry):
    snapshot = load_registry("population", [person("population")])

    assert snapshot.status == Snapshot.Status.ACTIVE
    assert (snapshot.rows_read, snapshot.rows_loaded, snapshot.rows_refused) == (1, 1, 0)
    assert len(snapshot.sha256) == 64
    slamet = snapshot_persons(snapshot.pk, [DECEASED_NIK])[DECEASED_NIK]
    assert slamet.alive is False and slamet.death_date is not None
    assert slamet.desa_code == DESA_A


def test_it_reads_semicolons_and_a_utf8_bom(tmp_path, wilayah):
    path = write_csv(
        tmp_path / "p.csv",
        "population",
        [person("population", nama="MA’RUF")],
        delimiter=";",
        encoding="utf-8-sig",
    )

    snapshot = import_snapshot(source="population", path=path)

    assert snapshot_persons(snapshot.pk, [DECEASED_NIK])[DECEASED_NIK].name == "MA’RUF"


def test_it_recognises_windows_1252(tmp_path, wilayah):
    rows = [
        person("population", nik=f"33250112035{i:05d}", nama="ANDRÉ MA’RUF") for i in range(1, 30)
    ]
    path = write_csv(tmp_path / "p.csv", "population", rows, encoding="cp1252")

    snapshot = import_snapshot(source="population", path=path)

    names = {p.name for p in snapshot_persons(snapshot.pk, [r["nik"] for r in rows]).values()}
    assert names == {"ANDRÉ MA’RUF"}


def test_it_reads_xlsx_and_day_first_dates(tmp_path, wilayah):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(POP_HEADER.split(","))
    sheet.append(
        [
            DECEASED_NIK,
            "SLAMET",
            "12/03/1950",
            "L",
            "3325010101090003",
            DESA_A,
            "Krajan",
            "HIDUP",
            None,
        ]
    )
    workbook.save(tmp_path / "p.xlsx")

    snapshot = import_snapshot(source="population", path=tmp_path / "p.xlsx")

    assert snapshot.status == Snapshot.Status.ACTIVE
    assert snapshot_persons(snapshot.pk, [DECEASED_NIK])[DECEASED_NIK].birth_date.year == 1950


def test_it_refuses_a_nik_excel_stored_as_a_number_in_a_workbook(tmp_path, wilayah, tolerant):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(POP_HEADER.split(","))
    sheet.append([3325011203500010, "SLAMET", "12-03-1950", "L", None, DESA_A, "", "HIDUP", None])
    sheet.append([HEIR_NIK, "SITI", "05-06-1975", "P", None, DESA_A, "", "HIDUP", None])
    workbook.save(tmp_path / "p.xlsx")

    snapshot = import_snapshot(source="population", path=tmp_path / "p.xlsx")

    assert "digit ke-16 hilang" in problems(snapshot)[2]
    assert snapshot.rows_loaded == 1


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"nik": "33250112035000"}, "NIK harus 16 angka"),
        ({"nik": "3325O11203500001"}, "NIK harus 16 angka"),
        ({"nik": "3,32501E+15"}, "rusak oleh Excel"),
        ({"nik": "3325011203500000"}, "dipotong Excel"),
        ({"nik": "3325019913500001"}, "bagian tanggal lahir"),
        ({"tanggal_lahir": "31-02-1950"}, "Tanggal lahir tidak sah"),
        ({"tanggal_lahir": "1950/31/12"}, "Tanggal lahir tidak sah"),
        ({"kode_desa": "33.25.01.9999"}, "Kode desa tidak dikenal di kabupaten ini"),
        ({"kode_desa": "Silurah"}, "Kode desa tidak dikenal"),
        ({"status_hidup": "WAFAT"}, "Status hidup tidak dikenal"),
        ({"jenis_kelamin": "X"}, "Jenis kelamin"),
    ],
)
def test_it_reports_each_kind_of_bad_row_by_line(load_registry, tolerant, values, reason):
    rows = [person("population", nik=HEIR_NIK), person("population", **values)]

    snapshot = load_registry("population", rows)

    assert reason in problems(snapshot)[3]
    assert snapshot.rows_refused == 1 and snapshot.rows_loaded == 1


def test_it_refuses_a_nik_twice_in_one_file(load_registry, tolerant):
    snapshot = load_registry(
        "population", [person("population"), person("population", nama="LAIN")]
    )

    assert problems(snapshot) == {3: "NIK sama dengan baris 2."}


def test_an_unknown_dtks_status_or_decile_keeps_the_person_with_a_warning(load_registry, tolerant):
    snapshot = load_registry(
        "social",
        [
            person("social", nik=HEIR_NIK),
            person("social", status_dtks="MUNGKIN"),
            person("social", nik=OTHER_NIK, desil="11"),
        ],
    )

    assert snapshot.rows_loaded == 3 and snapshot.rows_refused == 0 and snapshot.rows_warned == 2
    assert "Status DTKS tidak dikenal" in problems(snapshot)[3]
    assert "Desil harus angka 1–10" in problems(snapshot)[4]
    people = snapshot_persons(snapshot.pk, [DECEASED_NIK, OTHER_NIK])
    assert people[DECEASED_NIK].dtks is None and people[OTHER_NIK].decile is None


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"no_kk": "3325010101090000"}, "Nomor KK berakhir 0000"),
        ({"no_kk": "3,32501E+15"}, "Nomor KK rusak oleh Excel"),
        ({"no_kk": "12345"}, "Nomor KK harus 16 angka"),
        ({"tanggal_meninggal": "30-02-2024"}, "Tanggal meninggal tidak sah"),
        ({"status_hidup": "HIDUP"}, "padahal status HIDUP"),
    ],
)
def test_a_bad_secondary_field_keeps_the_person_with_that_field_empty(
    load_registry, values, reason
):
    rows = [person("population", nik=HEIR_NIK), person("population", **values)]

    snapshot = load_registry("population", rows)

    assert snapshot.status == Snapshot.Status.ACTIVE
    assert snapshot.rows_loaded == 2 and snapshot.rows_refused == 0 and snapshot.rows_warned == 1
    assert reason in problems(snapshot)[3] and "Baris tetap dimuat" in problems(snapshot)[3]
    assert ImportProblem.objects.get().kind == ImportProblem.Kind.WARNING
    slamet = snapshot_persons(snapshot.pk, [DECEASED_NIK])[DECEASED_NIK]
    field = "kk" if "no_kk" in values else "death_date"
    assert getattr(slamet, field) in ("", None)


def test_a_file_with_bad_kks_imports_every_person(load_registry):
    rows = [
        person("population", nik=f"332501120350{n:04d}", no_kk=f"332501010109{n % 3:04d}")
        for n in range(1, 301)
    ]

    snapshot = load_registry("population", rows)

    assert snapshot.status == Snapshot.Status.ACTIVE
    assert snapshot.rows_loaded == 300 and snapshot.rows_warned == 100


def test_the_report_names_unread_and_missing_columns(tmp_path, wilayah, settings):
    settings.REGISTRY_COLUMNS = {"population": {"tanggal_meninggal": "tgl_wafat"}, "social": {}}
    path = tmp_path / "p.csv"
    path.write_text(
        "nik,nama,tanggal_lahir,jenis_kelamin,no_kk,kode_desa,alamat,status_hidup,tgl_mati,rt\n"
        f"{DECEASED_NIK},SLAMET,12-03-1950,L,,{DESA_A},,MENINGGAL,01-01-2024,1\n"
    )

    snapshot = import_snapshot(source="population", path=path)

    assert snapshot.report == {
        "unread_columns": ["tgl_mati", "rt"],
        "missing_columns": ["tgl_wafat"],
        "warnings": [],
    }


def test_it_keeps_people_registered_outside_the_regency(load_registry):
    snapshot = load_registry("population", [person("population", kode_desa="3374010001")])

    assert snapshot_persons(snapshot.pk, [DECEASED_NIK])[DECEASED_NIK].desa_code == "33.74.01.0001"


def test_it_refuses_a_file_with_too_many_bad_rows(load_registry):
    previous = load_registry("population", good_rows(3))
    rows = (
        good_rows(99) + [person("population", nik="3,32501E+15")] + [person("population", nik="1")]
    )

    snapshot = load_registry("population", rows)

    assert snapshot.status == Snapshot.Status.REFUSED
    assert "2 dari 101 baris" in snapshot.message
    assert active_snapshot("population") == previous
    assert not RegistryPerson.objects.filter(snapshot_id=snapshot.pk).exists()
    assert len(problems(snapshot)) == 2


def test_it_accepts_a_file_within_the_bad_row_share(load_registry):
    snapshot = load_registry("population", good_rows(100) + [person("population", nik="1")])

    assert snapshot.status == Snapshot.Status.ACTIVE
    assert snapshot.rows_refused == 1


def test_it_switches_the_active_snapshot_and_keeps_the_previous_one(load_registry):
    first = load_registry("population", good_rows(2))
    second = load_registry("population", good_rows(3))

    first.refresh_from_db()
    assert first.status == Snapshot.Status.SUPERSEDED
    assert active_snapshot("population") == second
    assert RegistryPerson.objects.filter(snapshot_id=first.pk).count() == 2


def test_it_prunes_snapshots_beyond_the_kept_number(load_registry):
    first = load_registry("population", good_rows(1))
    load_registry("population", good_rows(1))
    load_registry("population", good_rows(1))

    assert not Snapshot.objects.filter(pk=first.pk).exists()
    assert not RegistryPerson.objects.filter(snapshot_id=first.pk).exists()


def test_a_file_that_breaks_midway_leaves_the_previous_snapshot_and_nothing_half_loaded(
    tmp_path, load_registry, monkeypatch
):
    previous = load_registry("population", good_rows(2))
    monkeypatch.setattr("dinsos_sync.services.BATCH_ROWS", 500)
    path = tmp_path / "broken.csv"
    # Valid UTF-8 for well past the encoding sample, so several batches are written
    # before the reader meets the bytes it cannot decode.
    path.write_bytes(
        POP_HEADER.encode()
        + b"\n"
        + b"".join(
            f"33250112035{i:05d},SLAMET,12-03-1950,L,,{DESA_A},,HIDUP,\n".encode()
            for i in range(1, 6000)
        )
        + b"3325011203599999,JOS\xe9,12-03-1950,L,,33.25.01.2001,,HIDUP,\n"
    )

    with pytest.raises(SyncError):
        import_snapshot(source="population", path=path)

    failed = Snapshot.objects.exclude(pk=previous.pk).get()
    assert failed.status == Snapshot.Status.FAILED
    assert not RegistryPerson.objects.filter(snapshot_id=failed.pk).exists()
    assert active_snapshot("population") == previous


def test_it_refuses_a_file_without_the_required_columns(tmp_path, wilayah):
    path = tmp_path / "p.csv"
    path.write_text("nik;nama\n3325011203500001;SLAMET\n", encoding="utf-8")

    with pytest.raises(SyncError, match="kolom wajib tidak ada: tanggal_lahir"):
        import_snapshot(source="population", path=path)


def test_a_registry_row_maps_onto_a_person_field_by_field():
    # snapshot_persons builds a Person straight from the selected columns.
    assert [f.name for f in dataclasses.fields(Person)] == COLUMNS


@pytest.mark.parametrize(
    "source, values",
    [
        ("population", {}),
        ("population", {"status_hidup": "HIDUP", "tanggal_meninggal": ""}),
        ("population", {"no_kk": "", "alamat": "  RT 1\tRW 2  "}),
        ("population", {"jenis_kelamin": "p", "tanggal_lahir": " 1950-03-12 "}),
        ("population", {"tanggal_meninggal": "01-01-1940"}),
        ("population", {"status_hidup": "HIDUP"}),
        ("population", {"nik": "3325011203500000"}),
        ("population", {"nik": "3325019913500001"}),
        ("population", {"no_kk": "3,32501E+15"}),
        ("population", {"kode_desa": "3325012001"}),
        ("population", {"kode_desa": "33.25.99.9999"}),
        ("population", {"nama": "  "}),
        ("social", {}),
        ("social", {"status_dtks": "", "desil": "10", "tanggal_update": ""}),
        ("social", {"status_dtks": "tidak", "desil": "4.0"}),
        ("social", {"desil": "11"}),
        ("social", {"tanggal_update": "31-02-2024"}),
    ],
)
def test_the_quick_check_of_a_row_agrees_with_the_full_one(source, values, wilayah):
    from django.conf import settings

    from dinsos_sync.files import LAYOUTS, RowChecker

    row = person(source, **values)
    cells = [row[name] for name in LAYOUTS[source]]
    known = set(Desa.objects.values_list("code", flat=True))

    def checker():
        return RowChecker(source, known_desa=known, regency_code=settings.REGENCY_CODE)

    warm = checker()  # caches filled by an earlier row, as in a long file
    warm.check_fully(1, cells)
    warm.seen.clear()

    assert warm.check(2, cells) == checker().check_fully(2, cells)
    assert checker().check(2, cells) == checker().check_fully(2, cells)
