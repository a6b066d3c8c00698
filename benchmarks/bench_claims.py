"""Claim workflow performance (issue 3), one JSON line per figure:

- the verifier queue page (50 rows, a kecamatan filter applied), median server time
  through Django's test client with 200,000 claims and their audit events in
  PostgreSQL (target ≤ 50 ms);
- the SQL queries of that page at page sizes 50 and 200 (target: the same number);
- the archive searched by NIK and by claim number, median (target ≤ 20 ms);
- submitting a claim with four 1 MB documents: the documents step and the submit
  button, median server time (target ≤ 200 ms).

The claims live in their own PostgreSQL database (`esantunan_bench_claims`, created when
missing; not `esantunan_bench`, which bench_sync.py drops on every run). Generating
200,000 claims takes minutes, so a database that already holds them is reused, and each
run adds its few dozen submitted claims to it. `BENCH_QUEUE_CLAIMS` asks for fewer
claims for a quick try and `BENCH_CLAIMS_DATABASE` points elsewhere. Quick mode
(common.py): a few hundred claims and samples, in a database of the quick run made
anew each time."""

import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import QUICK, fresh_database, postgres_url, sign_in, sized

ROOT = Path(__file__).resolve().parent.parent
TOTAL = sized("BENCH_QUEUE_CLAIMS", 200_000, 300)
DATABASE = postgres_url("BENCH_CLAIMS_DATABASE", "esantunan_bench_claims")
# The machine is shared: many samples keep one busy moment from moving the median.
SAMPLES, WARMUP = (5, 1) if QUICK else (100, 5)
SUBMISSIONS = 3 if QUICK else 40
DESA = "33.25.01.2001"


def emit(**figure) -> None:
    figure.setdefault("loadavg", [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]])
    print(json.dumps(figure), flush=True)


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    if QUICK:  # every path each time, the generation of the claims too
        fresh_database(url)
        return
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup(workdir: Path) -> None:
    ensure_database(DATABASE)
    os.environ["DATABASE_URL"] = DATABASE
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATA_DIR"] = str(workdir / "data")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # The test client needs the test server name; nothing else differs from production.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def fill(total: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from santunan.models import Claim
    from villages.models import Desa

    call_command("migrate", verbosity=0)
    if not Desa.objects.exists():
        call_command(
            "load_wilayah",
            str(ROOT / "villages/data/batang_wilayah.csv"),
            verbosity=0,
            stdout=io.StringIO(),
        )
    missing = total - Claim.objects.count()
    if missing > 0:
        started = time.perf_counter()
        call_command(
            "generate_claims",
            missing,
            "--seed",
            "2026",
            "--chunk",
            "5000",
            "--processes",
            os.environ.get("BENCH_GENERATE_PROCESSES", "2"),
            verbosity=0,
            stdout=io.StringIO(),
        )
        emit(
            name="generate_claims",
            value=round(time.perf_counter() - started, 1),
            unit="s",
            # 15 minutes for 2,500,000 claims (issue 11), in proportion for fewer.
            target=round(900 * missing / 2_500_000, 1),
            claims=missing,
            processes=int(os.environ.get("BENCH_GENERATE_PROCESSES", "2")),
        )
        # What autovacuum does soon after a bulk load: statistics for the planner and the
        # visibility map that lets PostgreSQL answer counts from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def user(username: str, role: str | None = None, desa: str | None = None):
    from django.contrib.auth.models import Group, User

    from villages.models import Desa
    from villages.services import assign_operator

    account, created = User.objects.get_or_create(username=username)
    if created:
        if role:
            account.groups.add(Group.objects.get(name=role))
        if desa:
            assign_operator(user=account, desa=Desa.objects.get(pk=desa))
    return account


def median_ms(action, samples: int = SAMPLES) -> float:
    for _ in range(WARMUP):
        action()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def bench_queue() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from santunan.models import ACTIVE_STATUSES, Claim
    from villages.roles import Role

    client = Client()
    sign_in(client, user("bench.verifikator", Role.VERIFIKATOR))
    queue = "/verifikasi/?kecamatan=33.25.01"
    in_queue = Claim.objects.filter(status__in=["submitted", "verified"]).count()

    def page():
        response = client.get(queue)
        assert response.status_code == 200

    emit(
        name="verifier_queue_page_median",
        value=median_ms(page),
        unit="ms",
        target=50,
        claims=Claim.objects.count(),
        in_queue=in_queue,
        active=Claim.objects.filter(status__in=ACTIVE_STATUSES).count(),
    )
    counts = {}
    for size in (50, 200):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{queue}&per_page={size}").status_code == 200
        counts[size] = len(queries.captured_queries)
        emit(
            name=f"verifier_queue_queries_per_page_{size}",
            value=counts[size],
            unit="queries",
            target="same at every page size",
        )


def bench_archive() -> None:
    """The archive searched by a deceased's NIK and by a claim number, as a verifier
    types them (the search is posted once, its result page asked again and again)."""
    from django.test import Client
    from django.urls import reverse

    from santunan.models import Claim
    from villages.roles import Role

    client = Client()
    sign_in(client, user("bench.verifikator", Role.VERIFIKATOR))
    numbered = Claim.objects.exclude(number=None).exclude(number="").order_by("pk")
    sample = numbered[numbered.count() // 2]
    for kind, text in (("nik", sample.deceased_nik), ("number", sample.number)):
        location = client.post(reverse("santunan:archive"), {"q": text})["Location"]

        def search(location=location):
            assert client.get(location).status_code == 200

        emit(
            name=f"archive_search_by_{kind}_median",
            value=median_ms(search),
            unit="ms",
            target=20,
            claims=Claim.objects.count(),
        )


def documents_body(boundary: str) -> bytes:
    """Four 1 MB documents, encoded once: noise does not compress, so each PNG stays
    about 1 MB, and the PDF is padded to 1 MB."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import encode_multipart
    from PIL import Image

    rng = random.Random(1)
    files = {}
    for kind in ("kk", "ktp_almarhum", "ktp_ahli_waris"):
        noise = Image.frombytes("RGB", (580, 580), rng.randbytes(580 * 580 * 3))
        buffer = io.BytesIO()
        noise.save(buffer, format="PNG")
        files[f"doc-{kind}"] = SimpleUploadedFile(f"{kind}.png", buffer.getvalue(), "image/png")
    pdf = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 20) + b"\n%%EOF\n"
    files["doc-surat_kematian"] = SimpleUploadedFile("surat.pdf", pdf, "application/pdf")
    return encode_multipart(boundary, files)


def bench_submit() -> None:
    from django.test import Client
    from django.test.client import BOUNDARY, MULTIPART_CONTENT
    from django.utils import timezone

    from santunan.models import Claim
    from santunan.services import create_claim
    from villages.roles import Role

    operator = user("bench.operator", Role.OPERATOR_DESA, DESA)
    client = Client()
    sign_in(client, operator)
    body = documents_body(BOUNDARY)
    rng = random.Random()

    def fresh_nik() -> str:
        while True:
            nik = f"3325150101{rng.randint(30, 69)}{rng.randint(1, 9999):04d}"
            if not Claim.objects.filter(deceased_nik=nik).exists():
                return nik

    def new_draft() -> Claim:
        nik = fresh_nik()
        born = date(1900 + int(nik[10:12]), 1, 1)
        return create_claim(
            user=operator,
            data={
                "deceased_nik": nik,
                "deceased_name": "Tukiyem",
                "deceased_sex": "L",
                "deceased_birth_date": born,
                "death_date": timezone.localdate() - timezone.timedelta(days=3),
                "deceased_kk": "3325150101090001",
                "deceased_address": "Dukuh Krajan RT 01/02",
                "heir_nik": "3325154507800002",
                "heir_name": "Siti Aminah",
                "heir_relation": "anak",
                "heir_phone": "081234567890",
                "payout_method": "tunai",
            },
        )

    drafts = iter([new_draft() for _ in range(SUBMISSIONS + WARMUP)])

    def submit():
        claim = next(drafts)
        response = client.generic(
            "POST", f"/desa/klaim/{claim.pk}/dokumen/", body, content_type=MULTIPART_CONTENT
        )
        assert response.status_code == 302 and response.url.endswith("/periksa/"), response
        response = client.post(f"/desa/klaim/{claim.pk}/ajukan/")
        assert response.url == "/desa/", response

    emit(
        name="submit_claim_with_four_1mb_documents_median",
        value=median_ms(submit, SUBMISSIONS),
        unit="ms",
        target=200,
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        setup(Path(workdir))
        fill(TOTAL)
        bench_queue()
        bench_archive()
        bench_submit()


if __name__ == "__main__":
    main()
