"""Registry sync performance (issue 4), one JSON line per figure:

- import of a 1,000,000-row registry CSV into PostgreSQL (target ≥ 50,000 rows/s and
  ≤ 300 MB peak memory) and into SQLite (target ≥ 20,000 rows/s);
- the social import again with an unmapped DTKS word on every row (each row kept with a
  warning): its slowdown against the clean import (target < 2);
- cross-check of 10,000 open claims against two 1,000,000-row snapshots (≤ 5 s).

Each database runs in its own process against a scratch database (SQLite in a temporary
directory; PostgreSQL database `esantunan_bench`, dropped and created again), so the
figures include nothing left over from another run. `BENCH_ROWS` makes the files smaller
for a quick try, quick mode (common.py) a few thousand rows and a hundred claims;
`BENCH_POSTGRES` points at another server (empty skips PostgreSQL; a server that cannot
be reached fails the run, as no figure of it was measured)."""

import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import fresh_database, loadavg, postgres_url, sized, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
ROWS = sized("BENCH_ROWS", 1_000_000, 5000)
CLAIMS = sized("BENCH_CLAIMS", 10_000, 100)
POSTGRES = os.environ.get("BENCH_POSTGRES", postgres_url("BENCH_POSTGRES", "esantunan_bench"))
HEADERS = {
    "social": "nik,nama,tanggal_lahir,jenis_kelamin,no_kk,kode_desa,alamat,status_dtks,desil,tanggal_update",
    "population": "nik,nama,tanggal_lahir,jenis_kelamin,no_kk,kode_desa,alamat,status_hidup,tanggal_meninggal",
}
FIRST = [
    "SITI",
    "MUHAMMAD",
    "SRI",
    "BAMBANG",
    "TUKIYEM",
    "AHMAD",
    "SUTRISNO",
    "NUR",
    "KHOTIMAH",
    "WARSONO",
    "DEWI",
    "AGUS",
    "RINA",
    "EKO",
    "SUMIATI",
    "JOKO",
    "YULI",
    "HARTONO",
    "TITIK",
    "SLAMET",
    "ENDANG",
    "BUDI",
    "WATI",
    "RUDI",
    "SUPARMI",
    "DARMO",
    "LESTARI",
    "ROHMAT",
]
LAST = [
    "AMINAH",
    "SLAMET",
    "WAHYUNI",
    "SUTEJO",
    "FAUZI",
    "HADI",
    "SUSANTO",
    "RAHAYU",
    "PRASETYO",
    "HIDAYAT",
    "KURNIAWAN",
    "LESTARI",
    "SAPUTRA",
    "NINGSIH",
    "WIBOWO",
    "SETIAWAN",
    "UTAMI",
    "NUGROHO",
    "PURNOMO",
    "HANDAYANI",
    "SANTOSO",
    "MARYATI",
    "SUGIARTO",
    "FITRIANI",
]


def name_for(index: int) -> str:
    return f"{FIRST[index % len(FIRST)]} {LAST[index // len(FIRST) % len(LAST)]}"


def nik_for(index: int) -> str:
    """A distinct, valid-looking Batang NIK for each index: the (kecamatan, day) pair
    changes every 9,999 people and the serial within them."""
    block, serial = divmod(index, 9999)
    kecamatan, day = block % 15 + 1, block // 15 % 28 + 1
    female = index % 2
    month, year = index % 12 + 1, 30 + index % 70
    return f"3325{kecamatan:02d}{day + 40 * female:02d}{month:02d}{year:02d}{serial + 1:04d}"


def write_registry(
    path: Path, source: str, rows: int, desa: list[str], *, status_word: str = ""
) -> None:
    """A registry file; `status_word`, when given, is every social row's DTKS status (a
    word nobody mapped makes each row a warning row)."""
    rng = random.Random(4)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        handle.write(HEADERS[source] + "\r\n")
        for index in range(rows):
            nik = nik_for(index)
            day = int(nik[6:8]) % 40
            born = f"{day:02d}-{nik[8:10]}-19{nik[10:12]}"
            row = [
                nik,
                name_for(index),
                born,
                "P" if index % 2 else "L",
                f"3325{rng.randrange(10**11, 10**12)}",
                desa[index % len(desa)],
                f"DUKUH KRAJAN RT {index % 9 + 1:03d} RW 00{index % 5 + 1}",
            ]
            if source == "social":
                row += [
                    status_word or ("YA", "TIDAK", "")[index % 3],
                    ("", "2", "4", "8")[index % 4],
                    "2025-01-15",
                ]
            else:
                row += ["HIDUP", ""] if index % 10 else ["MENINGGAL", "01-03-2025"]
            out.writerow(row)


def emit(**figure) -> None:
    figure["loadavg"] = loadavg()
    print(json.dumps(figure), flush=True)


def worker(database_url: str, workdir: Path) -> None:
    """Runs inside a fresh process with DATABASE_URL set to the scratch database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATA_DIR"] = str(workdir / "data")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from dinsos_sync.services import check_claims, import_snapshot
    from santunan.models import Claim, Status
    from villages.models import Desa

    call_command("migrate", verbosity=0)
    call_command(
        "load_wilayah",
        str(ROOT / "villages" / "data" / "batang_wilayah.csv"),
        verbosity=0,
        stdout=io.StringIO(),  # its summary line is not a figure
    )
    desa = list(Desa.objects.values_list("code", flat=True))
    files = {}
    for source in ("social", "population"):
        files[source] = workdir / f"{source}.csv"
        write_registry(files[source], source, ROWS, desa)

    database = connection.vendor
    seconds = {}
    for source in ("population", "social"):
        started = time.perf_counter()
        snapshot = import_snapshot(source=source, path=files[source])
        elapsed = seconds[source] = time.perf_counter() - started
        assert snapshot.status == "active", snapshot.message
        emit(
            benchmark="registry_import",
            database=database,
            source=source,
            rows=snapshot.rows_loaded,
            seconds=round(elapsed, 2),
            rows_per_second=round(snapshot.rows_loaded / elapsed),
            peak_memory_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        )

    # The same social file with an unmapped DTKS word on every row: each row is kept with
    # a warning, and the load must not take twice as long for it (issue 21, item 8).
    warned_file = workdir / "social-unmapped.csv"
    write_registry(warned_file, "social", ROWS, desa, status_word="NON_DTKS_LAMA")
    started = time.perf_counter()
    snapshot = import_snapshot(source="social", path=warned_file)
    elapsed = time.perf_counter() - started
    assert snapshot.status == "active" and snapshot.rows_warned == ROWS, snapshot.message
    emit(
        benchmark="registry_import_warnings",
        database=database,
        source="social",
        rows=snapshot.rows_loaded,
        rows_warned=snapshot.rows_warned,
        seconds=round(elapsed, 2),
        rows_per_second=round(snapshot.rows_loaded / elapsed),
        slowdown=round(elapsed / seconds["social"], 2),
        target_slowdown="< 2",
    )
    # The cross-check below reads the clean social snapshot again.
    import_snapshot(source="social", path=files["social"])

    user = User.objects.create_user("bench")
    today = date.today()
    claims = []
    for number in range(CLAIMS):
        index = number * (ROWS // CLAIMS) + number % 97
        nik = nik_for(index)
        claims.append(
            Claim(
                status=Status.SUBMITTED,
                number=f"SKM-BENCH-{number:06d}",
                desa_id=desa[index % len(desa)],
                deceased_nik=nik,
                deceased_name=name_for(index) if number % 4 else name_for(index + 7),
                deceased_sex="P" if index % 2 else "L",
                deceased_birth_date=date(
                    1900 + int(nik[10:12]), int(nik[8:10]), int(nik[6:8]) % 40
                ),
                death_date=today - timedelta(days=5),
                deceased_kk="",
                heir_nik=nik_for(index + 1),
                heir_name="AHLI WARIS",
                created_by=user,
            )
        )
    Claim.objects.bulk_create(claims, batch_size=2000)
    ids = list(Claim.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    summary = check_claims(claim_ids=ids)
    elapsed = time.perf_counter() - started
    assert summary.checked == CLAIMS, f"{summary.checked} of {CLAIMS} claims checked"
    emit(
        benchmark="registry_crosscheck",
        database=database,
        claims=summary.checked,
        snapshot_rows=ROWS,
        findings=summary.findings,
        seconds=round(elapsed, 2),
    )


def main() -> None:
    targets, unreachable = [], False
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        tmp = Path(tmp)
        targets.append(("sqlite", sqlite_url(tmp / "sqlite" / "bench.sqlite3"), tmp / "sqlite"))
        if POSTGRES:
            try:
                fresh_database(POSTGRES)
                targets.append(("postgresql", POSTGRES, tmp / "postgresql"))
            except Exception as exc:  # no server: report, go on with SQLite, then fail
                emit(benchmark="registry_import", database="postgresql", failed=str(exc)[:200])
                unreachable = True
        failed = unreachable
        for _label, url, workdir in targets:
            (workdir / "data").mkdir(parents=True, exist_ok=True)
            result = subprocess.run(
                [sys.executable, __file__, "--worker", url, str(workdir)], cwd=ROOT, check=False
            )
            failed = failed or result.returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
