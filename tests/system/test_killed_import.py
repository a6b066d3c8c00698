"""A registry import killed with SIGKILL half-way, as an out-of-memory killer or a
reboot does it: the real `import_registry` process on the service's own database.
The next import marks the dead load failed and removes its rows; the page says so."""

import csv
import os
import signal
import subprocess
import sys
from datetime import date, timedelta

import pytest

from tests.system.crawler import Crawler
from tests.system.stack import ROOT, Stack, demo_passwords

pytestmark = [pytest.mark.system]

ROWS = 300_000


def write_population(path, rows: int) -> None:
    """A Dukcapil extract of `rows` living people of Silurah with valid NIKs."""
    born = date(1950, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nik", "nama", "tanggal_lahir", "jenis_kelamin", "no_kk", "kode_desa",
                         "alamat", "status_hidup", "tanggal_meninggal"])
        for n in range(rows):
            day = born + timedelta(days=n % 20000)
            serial = n // 20000 + 1
            nik = f"332501{day:%d%m%y}{serial:04d}"
            writer.writerow([nik, f"WARGA {n}", day.strftime("%d-%m-%Y"), "L",
                             "3325010101090003", "33.25.01.2001", "Silurah", "HIDUP", ""])


def snapshots(stack) -> list[dict]:
    return stack.query(
        "from dinsos_sync.models import RegistryPerson, Snapshot\n"
        "result = [dict(pk=s.pk, status=s.status, rows=RegistryPerson.objects"
        ".filter(snapshot_id=s.pk).count()) for s in Snapshot.objects.order_by('pk')]"
    )


def test_a_load_killed_half_way_is_failed_and_its_rows_gone_after_the_next_import(
    tmp_path_factory,
):
    stack = Stack(tmp_path_factory.mktemp("killed-import"))
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("load_wilayah", "villages/data/batang_wilayah.csv")
        passwords = demo_passwords(stack.manage("create_demo_accounts"))
        big, small = stack.workdir / "besar.csv", stack.workdir / "kecil.csv"
        write_population(big, ROWS)
        write_population(small, 50)

        load = subprocess.Popen(
            [sys.executable, "manage.py", "import_registry", "--source", "population", str(big)],
            cwd=ROOT, env=stack.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            stack.wait_until(
                lambda: any(s["status"] == "loading" and s["rows"] > 0 for s in snapshots(stack)),
                timeout=120,
                what="the import to write its first rows",
            )
        finally:
            os.kill(load.pid, signal.SIGKILL)
            load.wait()
        killed = snapshots(stack)[0]
        # Killed before the load was made active. On a fast machine the import may have
        # written its last row between two polls (each poll starts a process); the load
        # is still unfinished, which is what the next import must clean up.
        assert killed["status"] == "loading" and 0 < killed["rows"] <= ROWS

        stack.manage("import_registry", "--source", "population", str(small))

        after = {s["pk"]: s for s in snapshots(stack)}
        assert after[killed["pk"]] == {"pk": killed["pk"], "status": "failed", "rows": 0}
        assert [s["status"] for s in after.values() if s["pk"] != killed["pk"]] == ["active"]

        stack.start_web()
        verifier = Crawler(stack.url)
        verifier.login("verifikator", passwords["verifikator"])
        _status, _kind, page, _final = verifier.fetch("/registri/")
        assert "Gagal" in page and "Sedang dimuat" not in page
    finally:
        stack.stop()
