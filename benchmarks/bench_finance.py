"""Finance performance (issue 5), one JSON line per figure:

- one kuitansi PDF, median server time when warm (target ≤ 60 ms): the download view
  asked through Django's test client, the document's stored hash cleared before each
  request so every request renders the PDF again (its CPU time alongside); and beside
  it, in the same process, a bare weasyprint A4 letter in the same fonts through
  weasyprint's public API, and the ratio of the two (target ≤ 2);
- a batch of 1,000 claims: all 1,000 kuitansi plus the daftar nominatif and the order to
  pay, rendered as the background task does (target ≤ 30 s wall time on 2 cores and
  ≤ 1 GB peak memory, this process plus its render processes), with the CPU time of
  this process and of the render processes.

Each line carries the load average before and after: others' work on the same two
cores inflates wall times.

Each figure runs in its own process against a throwaway SQLite database in a temporary
directory, so nothing is left over from another run. `BENCH_CLAIMS` makes the batch
smaller for a quick try; quick mode (common.py) makes it a few claims and samples."""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import QUICK, sign_in, sized, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = sized("BENCH_CLAIMS", 1000, 3)
SAMPLES, WARMUP = (3, 1) if QUICK else (30, 3)


def emit(**figure) -> None:
    print(json.dumps(figure), flush=True)


def loadavg() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages: other work on the two cores
    inflates wall times, so each figure carries the load it was measured under."""
    return [float(value) for value in Path("/proc/loadavg").read_text().split()[:3]]


def setup(workdir: Path):
    """Django on a fresh, migrated SQLite database; returns (treasurer, desa)."""
    os.environ["DATABASE_URL"] = sqlite_url(workdir / "bench.sqlite3")
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATA_DIR"] = str(workdir / "data")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from villages.models import Desa, Kecamatan
    from villages.roles import Role

    call_command("migrate", verbosity=0)
    kecamatan = Kecamatan.objects.create(code="33.25.01", name="Wonotunggal")
    desa = Desa.objects.create(
        code="33.25.01.2001", name="Silurah", kecamatan=kecamatan, kind=Desa.Kind.DESA
    )
    treasurer = User.objects.create_user("bendahara", first_name="Rina", last_name="Lestari")
    treasurer.groups.add(Group.objects.get(name=Role.BENDAHARA))
    return treasurer, desa


def approved_claims(count: int, desa, user) -> list[int]:
    from django.utils import timezone

    from santunan.models import Claim

    now, ids = timezone.now(), []
    for index in range(count):
        claim = Claim.objects.create(
            status="approved",
            number=f"SKM-2026-{index + 1:06d}",
            desa=desa,
            amount=1_000_000,
            deceased_nik=f"3325011203{index:06d}",
            deceased_name=f"Almarhum Nomor {index + 1}",
            heir_nik=f"3325014507{index:06d}",
            heir_name=f"Ahli Waris Nomor {index + 1}",
            heir_relation="anak",
            payout_method="tunai",
            created_by=user,
            approved_at=now,
        )
        ids.append(claim.pk)
    return ids


def batch_of(count: int, treasurer, desa):
    from santunan.finance.services import create_batch, set_budget

    set_budget(user=treasurer, year=2026, allocation=10_000_000_000)
    return create_batch(user=treasurer, claim_ids=approved_claims(count, desa, treasurer))


def kuitansi(workdir: Path) -> None:
    treasurer, desa = setup(workdir)
    from django.test import Client
    from django.urls import reverse

    from santunan.models import PayoutDocument

    batch = batch_of(1, treasurer, desa)
    claim_id = batch.items.get().claim_id
    client = Client(SERVER_NAME="localhost")
    sign_in(client, treasurer)
    url = reverse("finance:claim_document", args=[batch.pk, "kuitansi", claim_id])
    times, cpu = [], []
    load_before = loadavg()
    for sample in range(SAMPLES + WARMUP):
        PayoutDocument.objects.update(input_hash="")
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        assert response.status_code == 200, f"kuitansi answered {response.status_code}"
        assert response.get("Content-Type") == "application/pdf", response.get("Content-Type")
        b"".join(response.streaming_content)
        elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        if sample >= WARMUP:  # the first requests load fonts and templates
            times.append(elapsed)
            cpu.append(elapsed_cpu)
    bare = bare_letter_ms()
    median = statistics.median(times) * 1000
    emit(
        benchmark="finance.kuitansi_pdf",
        median_ms=round(median, 1),
        bare_letter_median_ms=round(bare, 1),
        ratio_to_bare_letter=round(median / bare, 2),
        target_ratio=2,
        p90_ms=round(sorted(times)[int(len(times) * 0.9)] * 1000, 1),
        median_cpu_ms=round(statistics.median(cpu) * 1000, 1),
        samples=len(times),
        target_ms=60,
        loadavg_before=load_before,
        loadavg_after=loadavg(),
    )


# The anchor of the kuitansi: what weasyprint itself costs for one A4 page of text in
# the letters' fonts, through its public API alone, nothing of the service around it.
BARE_LINES = "".join(
    f"<p>Baris {n}: telah terima dari Bendahara Pengeluaran uang sejumlah Rp1.000.000"
    " (satu juta rupiah) untuk pembayaran santunan kematian.</p>"
    for n in range(1, 13)
)
BARE_LETTER = (
    '<!doctype html><html lang="id"><head><style>'
    "@page { size: A4; margin: 18mm 20mm 20mm 25mm; }"
    'body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.35; }'
    'h1 { font-family: "DejaVu Sans", sans-serif; font-size: 13pt; text-align: center; }'
    f"</style></head><body><h1>KUITANSI</h1>{BARE_LINES}</body></html>"
)


def bare_letter_ms() -> float:
    """Median time of the bare letter, warm, in this process."""
    from weasyprint import HTML

    times = []
    for sample in range(SAMPLES + WARMUP):
        started = time.perf_counter()
        pdf = HTML(string=BARE_LETTER).write_pdf()
        if sample >= WARMUP:
            times.append(time.perf_counter() - started)
    assert pdf.startswith(b"%PDF"), "the bare letter is not a PDF"
    return statistics.median(times) * 1000


def batch(workdir: Path) -> None:
    treasurer, desa = setup(workdir)
    from django.conf import settings

    from santunan.finance.documents import render_batch_documents

    payout = batch_of(CLAIMS, treasurer, desa)
    load_before = loadavg()
    before = os.times()
    started = time.perf_counter()
    rendered = render_batch_documents(payout.pk)
    elapsed = time.perf_counter() - started
    # A kuitansi per claim, the daftar nominatif and the order to pay.
    assert rendered == CLAIMS + 2, f"{rendered} of {CLAIMS + 2} documents rendered"
    after = os.times()
    own_cpu = after.user + after.system - before.user - before.system
    children_cpu = (
        after.children_user + after.children_system - before.children_user - before.children_system
    )
    # ru_maxrss is in KiB on Linux; the render processes are children of this one.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    emit(
        benchmark="finance.batch_documents",
        claims=CLAIMS,
        pdfs=rendered,
        wall_s=round(elapsed, 2),
        processes=settings.FINANCE_RENDER_PROCESSES,
        cores=os.cpu_count(),
        peak_rss_mb_main=round(own),
        peak_rss_mb_largest_child=round(children),
        peak_rss_mb_total_bound=round(own + children * settings.FINANCE_RENDER_PROCESSES),
        cpu_s_main=round(own_cpu, 1),
        cpu_s_render_processes=round(children_cpu, 1),
        target_s=30,
        target_mb=1024,
        loadavg_before=load_before,
        loadavg_after=loadavg(),
    )


def main() -> int:
    failed = 0
    for figure in ("kuitansi", "batch"):
        with tempfile.TemporaryDirectory(prefix="bench-finance-") as workdir:
            failed |= subprocess.run(
                [sys.executable, __file__, figure, workdir], cwd=ROOT, check=False
            ).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3:
        {"kuitansi": kuitansi, "batch": batch}[sys.argv[1]](Path(sys.argv[2]))
    else:
        sys.exit(main())
