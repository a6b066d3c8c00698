"""The office's view at scale (issue 11), one JSON line per figure:

- the dashboard page (a year, no kecamatan filter), median server time through Django's
  test client (target ≤ 150 ms at 2,500,000 claims);
- the archive search by name (≤ 100 ms), by NIK and by claim number (≤ 20 ms), median;
- a claim's page as the approver opens it, median (held to the queue's 50 ms);
- the yearly recap XLSX of the year with most claims: wall time and peak memory of the
  process; and of exactly 250,000 claims in a year, in a database of their own
  (`esantunan_bench_recap`, `BENCH_RECAP_CLAIMS`), measured in a process that did
  nothing else (target ≤ 10 s and ≤ 300 MB for 250,000 claims);
- a batch's kuitansi merged into one PDF from the letters the worker already made, as
  the print button does (target ≤ 30 s for 1,000 claims on 2 cores); the rendering of
  the batch's documents by the worker is printed apart.

The claims live in their own PostgreSQL database (`esantunan_bench_reports`, created when
missing and reused). `BENCH_REPORT_CLAIMS` (default 2,500,000) and `BENCH_BATCH_CLAIMS`
(default 1,000) ask for less on a shared machine; quick mode (common.py) asks for a few
hundred claims in databases of the quick run, made anew each time. Every figure
carries the load average it was measured under."""

import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import QUICK, postgres_url, sign_in, sized

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
TOTAL = sized("BENCH_REPORT_CLAIMS", 2_500_000, 300)
BATCH = sized("BENCH_BATCH_CLAIMS", 1000, 3)
DATABASE = postgres_url("BENCH_REPORTS_DATABASE", "esantunan_bench_reports")
RECAP_CLAIMS = sized("BENCH_RECAP_CLAIMS", 250_000, 200)
RECAP_DATABASE = postgres_url("BENCH_RECAP_DATABASE", "esantunan_bench_recap")
SAMPLES, WARMUP = (3, 1) if QUICK else (30, 3)


def emit(**figure) -> None:
    figure["loadavg"] = [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]
    print(json.dumps(figure), flush=True)


def median_ms(action, samples: int = SAMPLES) -> float:
    for _ in range(WARMUP):
        action()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def measure_recap(name: str, year: int, in_year: int) -> None:
    """The yearly recap XLSX written once: its time and the process's peak memory."""
    from reports.recap import Period
    from reports.tables import recap_report, write_xlsx

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    with write_xlsx(recap_report(Period(year))) as handle:
        size = handle.seek(0, 2)
    emit(
        name=name,
        value=round(time.perf_counter() - started, 2),
        unit="s",
        target=10,
        claims_in_year=in_year,
        bytes=size,
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        rss_mb_before=round(before),
        target_mb=300,
    )


def at_scale(workdir: Path) -> None:
    sys.path.insert(0, str(HERE))
    import bench_claims

    bench_claims.DATABASE = DATABASE
    bench_claims.setup(workdir)
    bench_claims.fill(TOTAL)

    from django.db.models import Count
    from django.db.models.functions import ExtractYear
    from django.test import Client
    from django.urls import reverse

    from santunan.models import Claim
    from villages.roles import Role

    client = Client()
    sign_in(client, bench_claims.user("bench.approver", Role.APPROVER))
    year, in_year = (
        Claim.objects.exclude(first_submitted_at=None)
        .annotate(y=ExtractYear("first_submitted_at"))
        .values_list("y")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    claims = Claim.objects.count()

    def dashboard():
        assert client.get(reverse("reports:dashboard"), {"year": year}).status_code == 200

    emit(
        name="dashboard_median",
        value=median_ms(dashboard),
        unit="ms",
        target=150,
        claims=claims,
        claims_in_year=in_year,
    )

    sample = Claim.objects.exclude(number=None).order_by("pk")[claims // 2]
    for kind, text, target in (
        ("name", sample.deceased_name.split()[0], 100),
        ("nik", sample.deceased_nik, 20),
        ("number", sample.number, 20),
    ):
        location = client.post(reverse("santunan:archive"), {"q": text})["Location"]

        def search(location=location):
            assert client.get(location).status_code == 200

        emit(
            name=f"archive_search_by_{kind}_median",
            value=median_ms(search),
            unit="ms",
            target=target,
            claims=claims,
        )

    # The claim page as the approver opens it from a search: facts, timeline, findings
    # and documents of one claim among millions (read by primary key and the claim's own
    # indexed rows, so its time should not grow with the table).
    def claim_page():
        assert client.get(reverse("santunan:claim_detail", args=[sample.pk])).status_code == 200

    emit(
        name="claim_page_median",
        value=median_ms(claim_page),
        unit="ms",
        target=50,
        claims=claims,
    )

    measure_recap("recap_xlsx_year", year, in_year)


def recap_exact(workdir: Path) -> None:
    """The yearly recap XLSX of exactly RECAP_CLAIMS claims submitted in one year (last
    year), in a database of its own: generated with `--year`, topped up until the
    year holds that many claims that reached Dinas Sosial (drafts never count), then
    measured in this process, which has done nothing else."""
    sys.path.insert(0, str(HERE))
    import bench_claims

    bench_claims.DATABASE = RECAP_DATABASE
    bench_claims.setup(workdir)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from reports.recap import Period, claims_in
    from villages.models import Desa

    call_command("migrate", verbosity=0)
    if not Desa.objects.exists():
        call_command(
            "load_wilayah",
            str(ROOT / "villages/data/batang_wilayah.csv"),
            verbosity=0,
            stdout=io.StringIO(),  # its summary line is not a figure
        )
    year = timezone.localdate().year - 1
    started, seed = time.perf_counter(), 0
    while (missing := RECAP_CLAIMS - claims_in(Period(year)).count()) > 0:
        seed += 1
        # Another process: what it holds in memory stays out of this one's peak.
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "generate_claims", str(missing)]
            + ["--year", str(year), "--seed", str(seed), "--processes", "2"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=os.environ,
        )
    if seed:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        emit(name="generate_recap_year", value=round(time.perf_counter() - started, 1), unit="s")
    in_year = claims_in(Period(year)).count()
    measure_recap("recap_xlsx_year_exact", year, in_year)


def merged_pdf(workdir: Path) -> None:
    sys.path.insert(0, str(HERE))
    import bench_finance

    treasurer, desa = bench_finance.setup(workdir)
    from santunan.finance.documents import render_batch_documents
    from santunan.finance.printing import claim_letters, stale_letters
    from santunan.finance.printing import merged_pdf as merge

    batch = bench_finance.batch_of(BATCH, treasurer, desa)
    started = time.perf_counter()
    render_batch_documents(batch.pk)
    emit(
        name="batch_documents_render",
        value=round(time.perf_counter() - started, 2),
        unit="s",
        target=None,
        claims=BATCH,
        cores=os.cpu_count(),
    )
    # What "Cetak semua" does once the worker has made the letters: check that every
    # stored letter is current, then merge them as they are (no rendering again).
    started = time.perf_counter()
    assert stale_letters(batch) == 0
    merged = merge(claim_letters(batch))
    emit(
        name="merged_kuitansi_pdf",
        value=round(time.perf_counter() - started, 2),
        unit="s",
        target=30,
        claims=BATCH,
        bytes=len(merged.getvalue()),
        cores=os.cpu_count(),
    )


def main() -> int:
    if len(sys.argv) > 1:
        with tempfile.TemporaryDirectory() as workdir:
            parts = {"scale": at_scale, "recap": recap_exact, "merged": merged_pdf}
            parts[sys.argv[1]](Path(workdir))
        return 0
    failed = 0
    for part in ("scale", "recap", "merged"):
        failed |= subprocess.run([sys.executable, __file__, part], check=False).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
