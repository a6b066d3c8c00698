"""Onboarding officials in bulk (issue 22), one JSON line per figure:

- `import_officials` of one sheet with an operator per desa of Batang (248, target
  under 60 s), the accounts, roles, desa assignments and activation codes written;
- the same sheet imported again (nothing changes);
- the activation slips of all of them, one PDF per kecamatan (weasyprint, a QR each).

A PostgreSQL database of its own (`esantunan_bench_onboarding`, made anew each run).
Quick mode (common.py) imports a sheet of 24 operators instead."""

import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from common import QUICK, fresh_database, loadavg, postgres_url, sized

ROOT = Path(__file__).resolve().parent.parent
DATABASE = postgres_url("BENCH_ONBOARDING_DATABASE", "esantunan_bench_onboarding")
OPERATORS = sized("BENCH_ONBOARDING_OPERATORS", 248, 24)


def emit(**figure) -> None:
    import json

    figure["loadavg"] = loadavg()
    print(json.dumps(figure), flush=True)


def setup(workdir: Path) -> None:
    fresh_database(DATABASE)
    os.environ["DATABASE_URL"] = DATABASE
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATA_DIR"] = str(workdir / "data")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command(
        "load_wilayah",
        str(ROOT / "villages/data/batang_wilayah.csv"),
        verbosity=0,
        stdout=io.StringIO(),
    )


def sheet(path: Path) -> int:
    with (ROOT / "villages/data/batang_wilayah.csv").open(encoding="utf-8") as handle:
        desa = [row for row in csv.DictReader(handle) if row["level"] in ("desa", "kelurahan")]
    rows = [
        [
            f"op{row['code'].replace('.', '')}",
            f"Operator {row['name']}",
            "Operator desa",
            row["code"],
            f"0812{index:08d}",
        ]
        for index, row in enumerate(desa[:OPERATORS])
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "nama", "peran", "desa", "no_hp"])
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        workdir = Path(workdir)
        setup(workdir)
        from django.core.management import call_command

        from accounts.activation import render_slips

        path = workdir / "petugas.csv"
        count = sheet(path)
        out = io.StringIO()
        started = time.perf_counter()
        call_command("import_officials", str(path), "--no-slips", "--sms", stdout=out)
        first = time.perf_counter() - started
        assert f"{count} dibuat, 0 diubah" in out.getvalue(), out.getvalue()
        emit(
            name="import_officials_first",
            value=round(first, 2),
            unit="s",
            target=60,
            operators=count,
            quick=QUICK,
        )

        again = io.StringIO()
        started = time.perf_counter()
        call_command("import_officials", str(path), "--no-slips", "--sms", stdout=again)
        second = time.perf_counter() - started
        assert "0 dibuat, 0 diubah" in again.getvalue(), again.getvalue()
        emit(
            name="import_officials_again_unchanged",
            value=round(second, 2),
            unit="s",
            operators=count,
        )

        # The slips of the whole sheet, as the command writes them after an import.
        from django.contrib.auth.models import User

        from accounts.activation import issue_codes

        codes = issue_codes(users=list(User.objects.filter(username__startswith="op")))
        started = time.perf_counter()
        slips = render_slips(codes)
        emit(
            name="activation_slips_pdf",
            value=round(time.perf_counter() - started, 2),
            unit="s",
            slips=len(codes),
            pdfs=len(slips),
            bytes=sum(len(pdf) for _h, pdf in slips.values()),
        )


if __name__ == "__main__":
    main()
