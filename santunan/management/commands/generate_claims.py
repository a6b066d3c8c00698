"""Synthetic claims for demos and benchmarks (built by santunan.sample_claims): Indonesian
names, valid NIKs of the regency, the villages of the regency served, every state of the
workflow up to approval, and the audit events each state implies. Submissions spread evenly over the last ten calendar years
(`--years`, or one `--year`), as deaths come in a steady flow: 2,500,000 claims are ten
years of a whole province. On PostgreSQL the rows go in by COPY, written as COPY text
straight from the values; elsewhere by bulk_create.

Scheduled and paid claims are not generated: those states belong to payout batches
and payments, which only the finance services may create."""

import multiprocessing
import random
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone

from santunan import hooks
from santunan.bulk_load import drop_checks, given_timestamps, restore_checks
from santunan.models import BenefitPolicy, Claim, Holiday
from santunan.sample_claims import ClaimGenerator, sample_users
from villages.models import Desa, OperatorAssignment
from villages.selectors import current_regency


class Command(BaseCommand):
    help = "Buat N klaim contoh (data sintetis) tersebar di desa-desa dan status alur kerja."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=None, help="hasil sama untuk seed sama")
        parser.add_argument("--if-empty", action="store_true", help="hanya bila belum ada klaim")
        parser.add_argument("--chunk", type=int, default=5000)
        parser.add_argument(
            "--years",
            type=int,
            default=10,
            help="sebar pengajuan merata pada sekian tahun kalender terakhir (bawaan 10)",
        )
        parser.add_argument(
            "--year", type=int, default=None, help="semua pengajuan dalam satu tahun kalender"
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="jumlah proses penulis sekaligus (PostgreSQL; mis. 2 untuk jutaan klaim)",
        )
        parser.add_argument(
            "--with-documents",
            action="store_true",
            help="sertakan gambar contoh untuk dokumen wajib (untuk demo, bukan benchmark)",
        )
        parser.add_argument(
            "--every-state",
            action="store_true",
            help="klaim pertama mencakup setiap status (untuk demo dan uji halaman)",
        )

    def handle(
        self,
        *args,
        count,
        seed,
        if_empty,
        chunk,
        years,
        year,
        processes,
        with_documents,
        every_state,
        **options,
    ):
        if if_empty and Claim.objects.exists():
            self.stdout.write("Sudah ada klaim; tidak ada yang dibuat.")
            return
        regency = current_regency()
        desa = list(
            Desa.objects.filter(code__startswith=regency.code + ".", is_active=True)
            .select_related("kecamatan")
            .order_by("code")
        )
        if not desa:
            raise CommandError(
                f"Belum ada data desa {regency.name}. Muat dulu: "
                f"python manage.py setup_regency {regency.code} "
                "(atau load_wilayah BERKAS.csv)"
            )
        policies = list(BenefitPolicy.objects.order_by("effective_from"))
        if not policies:
            raise CommandError("Belum ada kebijakan santunan (jalankan migrate).")
        today = timezone.localdate()
        if year is not None and not 1900 < year <= today.year:
            raise CommandError(f"Tahun harus antara 1901 dan {today.year}.")
        if years < 1:
            raise CommandError("Jumlah tahun minimal 1.")
        if year is not None:
            span = (date(year, 1, 1), min(date(year, 12, 31), today))
        else:
            span = (date(today.year - years + 1, 1, 1), today)
        if processes < 1:
            raise CommandError("Jumlah proses minimal 1.")
        # Into an empty table on PostgreSQL, a large load goes in with the secondary
        # indexes and foreign keys dropped and made again at the end: one sort per index
        # and one join per key cost far less than a dozen index insertions and checks
        # per row. One writer does it all in one transaction, so a failure takes the
        # drop back with the rows; several writers each commit their own chunks, and
        # the indexes and keys come back when they finish or fail (a killed process
        # leaves them missing: start again on a new database).
        bulk = (
            connection.vendor == "postgresql"
            and count >= BULK_LOAD_MIN
            and not with_documents
            and not Claim.objects.exists()
        )
        if connection.vendor != "postgresql" or with_documents or every_state:
            processes = 1
        shared = {
            "desa": desa,
            "staffed": set(OperatorAssignment.objects.values_list("desa_id", flat=True)),
            "policies": policies,
            "users": sample_users(),
            "holidays": set(Holiday.objects.values_list("date", flat=True)),
            "used_niks": set(
                Claim.objects.exclude(deceased_nik="").values_list("deceased_nik", flat=True)
            ),
            "span": span,
            "every_state": every_state,
            "regency": (regency.code, regency.name),
        }
        # Building rows and the database's writing of them each take a core: with
        # several processes, each with its own connection, both sides run at once.
        shares = [count // processes + (i < count % processes) for i in range(processes)]
        jobs = [
            (shares[i], chunk, seed if processes == 1 else (seed, i), (i, processes))
            for i in range(processes)
        ]
        if processes > 1:
            dropped = None
            try:
                if bulk:
                    with transaction.atomic():
                        dropped = drop_checks()
                connections.close_all()
                with multiprocessing.get_context("fork").Pool(processes) as pool:
                    made = sum(pool.starmap(_write_part, [(*job, shared) for job in jobs]))
            finally:
                if dropped:
                    with transaction.atomic():
                        restore_checks(dropped)
        with transaction.atomic():
            if processes == 1:
                dropped = drop_checks() if bulk else None
                made = self.write(*jobs[0], shared=shared, with_documents=with_documents)
                if dropped:
                    restore_checks(dropped)
            # The claims went in without record_event: what its hooks keep is rebuilt.
            for rebuild in hooks.AFTER_BULK_WRITE:
                rebuild()
        self.stdout.write(self.style.SUCCESS(f"{made} klaim contoh dibuat."))

    def write(self, count, chunk, seed, part, *, shared, with_documents=False) -> int:
        if isinstance(seed, tuple):
            seed = None if seed[0] is None else f"{seed[0]}-{seed[1]}"
        generator = ClaimGenerator(rng=random.Random(seed), part=part, **shared)
        made = 0
        with given_timestamps():
            while made < count:
                size = min(chunk, count - made)
                with transaction.atomic(savepoint=False):
                    keys = generator.write_chunk(size)
                    if with_documents:
                        for claim in Claim.objects.filter(pk__in=keys).order_by("pk"):
                            generator.attach_sample_documents(claim)
                made += len(keys)
                if count > chunk and part[1] == 1:
                    self.stdout.write(f"  {made}/{count}")
        return made


def _write_part(count, chunk, seed, part, shared) -> int:
    """One writer process of `--processes`: a connection of its own."""
    try:
        return Command().write(count, chunk, seed, part, shared=shared)
    finally:
        connections.close_all()


# From this many claims into an empty table, indexes are built after the load.
BULK_LOAD_MIN = 100_000
