"""Synthetic claims for demos and benchmarks: Indonesian names, valid NIKs of the
regency, the villages of the regency served, every state of the workflow up to approval, and the audit
events each state implies. Submissions spread evenly over the last ten calendar years
(`--years`, or one `--year`), as deaths come in a steady flow: 2,500,000 claims are ten
years of a whole province. On PostgreSQL the rows go in by COPY, written as COPY text
straight from the values; elsewhere by bulk_create.

Scheduled and paid claims are not generated: those states belong to payout batches
and payments, which only the finance services may create."""

import bisect
import hashlib
import io
import itertools
import multiprocessing
import random
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone

from santunan import hooks
from santunan.calendar import WorkingDays
from santunan.models import (
    BenefitPolicy,
    Claim,
    ClaimDocument,
    ClaimEvent,
    DocumentKind,
    Holiday,
    Status,
    YearlySequence,
)
from santunan.progress import STEP_FIELDS
from santunan.rules import required_kinds
from villages.models import Desa, OperatorAssignment
from villages.selectors import current_regency

# Share of each state, as in a steady flow of claims: a claim stays final for good but
# waits only days as a draft or in the queue, so only a few percent are in flight.
STATE_WEIGHTS = {
    Status.APPROVED: 82,
    Status.REJECTED: 9,
    Status.CANCELLED: 5,
    Status.DRAFT: 1,
    Status.RETURNED: 1,
    Status.SUBMITTED: 1.5,
    Status.VERIFIED: 0.5,
}
MEN = [
    "Slamet",
    "Sutrisno",
    "Bambang",
    "Suparman",
    "Warsono",
    "Ahmad",
    "Muhammad",
    "Sukardi",
    "Darsono",
    "Kasmuri",
    "Tarmuji",
    "Rasmin",
    "Sugeng",
    "Joko",
    "Wagiman",
    "Karto",
    "Parjo",
    "Sumarno",
    "Supriyadi",
    "Rohmat",
    "Kastari",
    "Mujiono",
    "Tasripin",
    "Abdul",
]
WOMEN = [
    "Siti",
    "Sri",
    "Tukiyem",
    "Painem",
    "Sumiyati",
    "Khotimah",
    "Rukmini",
    "Darsih",
    "Kasmi",
    "Sartini",
    "Warsini",
    "Rasminah",
    "Sujinah",
    "Nur",
    "Aminah",
    "Muslimah",
    "Suwarni",
    "Tarsih",
    "Kustiyah",
    "Ngatini",
    "Casriah",
    "Wartinah",
]
MEN_LAST = [
    "Riyadi",
    "Santoso",
    "Wibowo",
    "Hidayat",
    "Prasetyo",
    "Susanto",
    "Haryanto",
    "Mustofa",
    "Sholeh",
    "Rahmat",
    "Widodo",
    "Saputra",
    "Kurniawan",
    "",
]
WOMEN_LAST = [
    "Aminah",
    "Wahyuni",
    "Rahayu",
    "Lestari",
    "Purwanti",
    "Maryati",
    "Fatimah",
    "Handayani",
    "Rohmah",
    "Khasanah",
    "",
]
DUKUH = [
    "Krajan",
    "Kauman",
    "Kaliputih",
    "Sidomulyo",
    "Karanganyar",
    "Tegalsari",
    "Pesantren",
    "Gondang",
    "Sawahan",
    "Banaran",
    "Kedungdowo",
    "Wonosari",
]
PLACES = [
    "Rumah",
    "Rumah",
    "Rumah",
    "RSUD Batang",
    "RSI Muhammadiyah Batang",
    "Puskesmas",
    "RSUD Kalisari",
    "Perjalanan",
]
BANKS = ["Bank Jateng", "BRI", "BNI", "Bank Mandiri", "BPR BKK Batang"]
RETURN_REASONS = [
    "Foto KK buram, mohon unggah ulang yang jelas.",
    "Surat keterangan kematian belum ditandatangani kepala desa.",
    "NIK ahli waris tidak sama dengan KTP yang diunggah.",
    "Nomor rekening tidak terbaca pada buku tabungan.",
    "Nama almarhum di KTP berbeda dengan surat kematian; mohon dicek.",
]
REJECT_REASONS = [
    "Almarhum bukan penduduk {regency} menurut KK.",
    "Keluarga tidak terdaftar di DTKS dan tidak melampirkan SKTM.",
    "Sudah menerima santunan dari program lain untuk kematian yang sama.",
]
RELATIONS = ["pasangan"] * 4 + ["anak"] * 5 + ["orang_tua", "saudara", "cucu", "lainnya"]
SAMPLE_USERS = [
    ("contoh.operator", "Operator", "Contoh"),
    ("contoh.verifikator", "Verifikator", "Contoh"),
    ("contoh.approver", "Penyetuju", "Contoh"),
]


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
            "users": _sample_users(),
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
                        dropped = _drop_checks()
                connections.close_all()
                with multiprocessing.get_context("fork").Pool(processes) as pool:
                    made = sum(pool.starmap(_write_part, [(*job, shared) for job in jobs]))
            finally:
                if dropped:
                    with transaction.atomic():
                        _restore_checks(dropped)
        with transaction.atomic():
            if processes == 1:
                dropped = _drop_checks() if bulk else None
                made = self.write(*jobs[0], shared=shared, with_documents=with_documents)
                if dropped:
                    _restore_checks(dropped)
            # The claims went in without record_event: what its hooks keep is rebuilt.
            for rebuild in hooks.AFTER_BULK_WRITE:
                rebuild()
        self.stdout.write(self.style.SUCCESS(f"{made} klaim contoh dibuat."))

    def write(self, count, chunk, seed, part, *, shared, with_documents=False) -> int:
        if isinstance(seed, tuple):
            seed = None if seed[0] is None else f"{seed[0]}-{seed[1]}"
        generator = ClaimGenerator(rng=random.Random(seed), part=part, **shared)
        made = 0
        with _given_timestamps():
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


def _drop_checks() -> tuple[list, list]:
    """Drop the claim and event tables' non-unique indexes and foreign keys; return
    their definitions for _restore_checks. Unique indexes stay: they guard the data
    being loaded."""
    tables = [Claim._meta.db_table, ClaimEvent._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT index.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class index ON index.oid = i.indexrelid "
            "JOIN pg_class tbl ON tbl.oid = i.indrelid "
            "WHERE tbl.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT tbl.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class tbl ON tbl.oid = c.conrelid "
            "WHERE tbl.relname = ANY(%s) AND c.contype = 'f'",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        # Checks still queued in this transaction (rows written before) run now: a
        # table with pending checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return indexes, foreign_keys


def _restore_checks(dropped: tuple[list, list]) -> None:
    """Build the dropped indexes again and add the foreign keys back (each checked
    over the whole table at once)."""
    indexes, foreign_keys = dropped
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )


@contextmanager
def _given_timestamps():
    """Let bulk_create keep the past timestamps we give: auto_now(_add) would stamp
    every row with the moment of generation and flatten the history."""
    fields = [
        Claim._meta.get_field("created_at"),
        Claim._meta.get_field("updated_at"),
        ClaimEvent._meta.get_field("at"),
        ClaimDocument._meta.get_field("uploaded_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


# COPY's text format: a value's tab, newline, carriage return and backslash escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_GENERATED = '{"generated": true}'


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _claim_line(c: dict) -> str:
    """A claim's COPY line, the values in the order of CLAIM_COLUMNS: written out in
    one expression, which costs a tenth of a call per value for millions of claims.
    Free text is escaped; the other columns are digits, codes, dates or empty."""
    n = "\\N"
    esc = _COPY_ESCAPES

    def day(value):
        return n if value is None else value.isoformat()

    def num(value):
        return n if value is None else str(value)

    return (
        f"{c['number'] or n}\t{c['status']}\t{c['desa_id']}\t{num(c['policy_id'])}\t"
        f"{num(c['amount'])}\t{c['deceased_nik']}\t{c['deceased_name'].translate(esc)}\t"
        f"{c['deceased_sex']}\t{day(c['deceased_birth_date'])}\t{day(c['death_date'])}\t"
        f"{c['death_place'].translate(esc)}\t{c['deceased_kk']}\t"
        f"{c['deceased_address'].translate(esc)}\t{c['heir_nik']}\t"
        f"{c['heir_name'].translate(esc)}\t{c['heir_relation']}\t{c['heir_phone']}\t"
        f"{c['heir_address'].translate(esc)}\t{c['payout_method']}\t"
        f"{c['bank_name'].translate(esc)}\t{c['bank_account']}\t"
        f"{c['bank_account_holder'].translate(esc)}\t{c['notes'].translate(esc)}\t"
        f"{c['created_by_id']}\t{c['created_at'].isoformat()}\t{c['updated_at'].isoformat()}\t"
        f"{day(c['first_submitted_at'])}\t{day(c['submitted_at'])}\t{day(c['due_date'])}\t"
        f"{num(c['verified_by_id'])}\t{day(c['verified_at'])}\t{num(c['approved_by_id'])}\t"
        f"{day(c['approved_at'])}\t{c['last_reason'].translate(esc)}\t{day(c['decided_on'])}\t"
        f"{num(c['days_to_verify'])}\t{num(c['days_to_approve'])}\t{num(c['days_to_pay'])}\t"
        f"{num(c['days_submit_to_paid'])}\t[]\n"
    )


# The claim's columns as written; what a claim row holds (ClaimGenerator.claim) is
# given in this order. `extra_required_documents` is always the empty list.
CLAIM_COLUMNS = [
    "number",
    "status",
    "desa_id",
    "policy_id",
    "amount",
    "deceased_nik",
    "deceased_name",
    "deceased_sex",
    "deceased_birth_date",
    "death_date",
    "death_place",
    "deceased_kk",
    "deceased_address",
    "heir_nik",
    "heir_name",
    "heir_relation",
    "heir_phone",
    "heir_address",
    "payout_method",
    "bank_name",
    "bank_account",
    "bank_account_holder",
    "notes",
    "created_by_id",
    "created_at",
    "updated_at",
    "first_submitted_at",
    "submitted_at",
    "due_date",
    "verified_by_id",
    "verified_at",
    "approved_by_id",
    "approved_at",
    "last_reason",
    "decided_on",
    *STEP_FIELDS,
]
EVENT_COLUMNS = ["claim_id", "action", "from_status", "to_status", "at", "actor_id", "reason"]


def _write_copy(model, attnames: list[str], lines, *, with_keys: int = 0) -> list[int]:
    """COPY tab-separated `lines` (each ending in a newline, values in the order of
    `attnames`) into the model's table. With `with_keys`, that many primary keys are
    taken from the table's sequence first and each line is prefixed with its own,
    so the events can point at their claims; returns them."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    column = {f.attname: f.column for f in model._meta.concrete_fields}
    names = [column[name] for name in attnames]
    keys = []
    with connection.cursor() as cursor:
        if with_keys:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, with_keys],
            )
            keys = [key for (key,) in cursor.fetchall()]
            names.insert(0, pk)
            lines = (f"{key}\t{line}" for key, line in zip(keys, lines, strict=True))
        columns = ", ".join(connection.ops.quote_name(c) for c in names)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            copy.write("".join(lines))
    return keys


def _sample_users() -> dict:
    """Distinct people per role: the database refuses a claim approved by its verifier."""
    User = get_user_model()
    users = {}
    for username, first, last in SAMPLE_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users[username.split(".")[1]] = user
    return users


RECENT = frozenset((Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VERIFIED))
HOUR, MINUTE = timedelta(hours=1), timedelta(minutes=1)


class ClaimGenerator:
    """Builds claims as plain rows of column values, millions of them: the cost of a
    claim is its random draws, so everything else is looked up in tables made once
    (names, villages, working days, due dates)."""

    def __init__(
        self,
        *,
        rng,
        desa,
        staffed,
        policies,
        users,
        holidays,
        used_niks,
        span: tuple[date, date] | None = None,
        every_state=False,
        part: tuple[int, int] = (0, 1),
        regency: tuple[str, str] | None = None,
    ):
        self.rng, self.policies = rng, policies
        if regency is None:
            served = current_regency()
            regency = (served.code, served.name)
        # NIK and KK start with the regency's code (3325 for Batang, 3374 for Semarang).
        self.region = regency[0].replace(".", "")
        self.regency_name = regency[1]
        self.kecamatan_numbers = sorted({d.kecamatan.code[-2:] for d in desa}) or ["01"]
        # The methods the newest policy offers; three in ten by transfer where both are.
        offered = policies[-1].payout_methods
        self.transfer_share = (
            0.0 if Claim.PayoutMethod.TRANSFER not in offered else 1.0 if len(offered) == 1 else 0.3
        )
        # (code, the kecamatan's two digits, "Desa Name") per village, computed once.
        self.desa = [(d.code, d.kecamatan.code[-2:], str(d)) for d in desa]
        self.staffed_desa = [
            row for row, d in zip(self.desa, desa, strict=True) if d.code in staffed
        ]
        self.users = {role: user.pk for role, user in users.items()}
        self.used_niks = used_niks
        # Processes writing at once draw the deceased's NIK serials from disjoint
        # residues, so their claims never collide on the one-active-claim rule.
        self.serial_offset, self.serial_step = part[0] + 1, part[1]
        self.serial_top = (9999 - self.serial_offset) // self.serial_step
        self.today = timezone.localdate()
        self.oldest = self.today - timedelta(days=99 * 365)
        self.first_day, self.last_day = span or (self.today - timedelta(days=720), self.today)
        # Every moment is made in the office's zone: its .date() is the local day.
        self.tz = timezone.get_current_timezone()
        self.now = timezone.localtime(timezone.now())
        self.states = list(STATE_WEIGHTS)
        self.cumulative = list(itertools.accumulate(STATE_WEIGHTS.values()))
        # A demo shows every state: the first claims take each one in turn.
        self.first_states = list(self.states) if every_state else []
        self.men = [f"{a} {b}".strip() for a in MEN for b in MEN_LAST]
        self.women = [f"{a} {b}".strip() for a in WOMEN for b in WOMEN_LAST]
        # Working days as a running count per day, so the working days between two days
        # (santunan.calendar.WorkingDays.between) is a subtraction.
        self.base = (self.first_day - timedelta(days=60)).toordinal()
        end = max(self.today, self.last_day).toordinal() + 60
        calendar = WorkingDays(list(holidays))
        self.working, count = [], 0
        for ordinal in range(self.base, end + 1):
            day = date.fromordinal(ordinal)
            if ordinal > self.base and calendar.between(day - timedelta(days=1), day):
                count += 1
            self.working.append(count)
        self.due = {}

    # --- people -----------------------------------------------------------------------

    def nik(self, kecamatan: str, born: date, sex: str, *, unique: bool) -> str:
        """Regency (3325) + kecamatan + DDMMYY (day + 40 for women) + serial."""
        day = born.day + (40 if sex == "P" else 0)
        prefix = f"{self.region}{kecamatan}{day:02d}{born.month:02d}{born.year % 100:02d}"
        randint = self.rng.randint
        while True:
            if unique:
                serial = self.serial_offset + self.serial_step * randint(0, self.serial_top)
            else:
                serial = randint(1, 9999)
            nik = f"{prefix}{serial:04d}"
            if not unique or nik not in self.used_niks:
                self.used_niks.add(nik)
                return nik

    def moment(self, day: date) -> datetime:
        """A time in office hours on `day`, never in the future."""
        rng = self.rng
        at = datetime(
            day.year,
            day.month,
            day.day,
            8 + int(rng.random() * 8),
            int(rng.random() * 60),
            tzinfo=self.tz,
        )
        if day >= self.today:
            at = min(at, self.now - MINUTE * rng.randint(1, 600))
        return at

    def between(self, start: date, end: date) -> int:
        if end <= start:
            return 0
        return (
            self.working[end.toordinal() - self.base] - self.working[start.toordinal() - self.base]
        )

    def due_date(self, start: date) -> date:
        """Three working days after `start`: the service promise."""
        due = self.due.get(start)
        if due is None:
            index = start.toordinal() - self.base
            target, working = self.working[index] + 3, self.working
            while working[index] < target:
                index += 1
            due = self.due[start] = date.fromordinal(self.base + index)
        return due

    # --- claims ---------------------------------------------------------------------------

    def claim(self, status: str, *, staffed: bool = False) -> tuple[dict, list[tuple]]:
        """One claim in `status`: its column values and the steps of its history as
        (action, from, to, at, actor, reason)."""
        rng = self.rng
        r = rng.random
        randint = rng.randint
        # A quarter goes to villages that have an official, so a demo login sees some;
        # the one-of-each-state claims all do, so the demo village sees every state.
        pool = self.staffed_desa if self.staffed_desa and (staffed or r() < 0.25) else self.desa
        desa, kecamatan, desa_name = pool[int(r() * len(pool))]
        sex = "L" if r() < 0.5 else "P"
        created_day = self.created_day(status)
        death = created_day - timedelta(days=randint(1, 20))
        # A NIK keeps two digits of the year: nobody born a century ago or more, whom
        # it would read as born this century.
        born = max(death - timedelta(days=randint(30 * 365, 95 * 365)), self.oldest)
        # Most people hold a NIK issued where they live; some moved within the regency.
        numbers = self.kecamatan_numbers
        nik_kecamatan = kecamatan if r() < 0.9 else numbers[int(r() * len(numbers))]
        nik = self.nik(nik_kecamatan, born, sex, unique=True)
        stated_birth = born if r() > 0.02 else born + timedelta(days=randint(1, 300))
        heir_sex = "L" if r() < 0.5 else "P"
        heir_born = max(
            born + timedelta(days=18 * 365), death - timedelta(days=randint(20 * 365, 60 * 365))
        )
        names = self.men if heir_sex == "L" else self.women
        heir_name = names[int(r() * len(names))]
        names = self.men if sex == "L" else self.women
        transfer = r() < self.transfer_share
        address = (
            f"Dukuh {DUKUH[int(r() * len(DUKUH))]} RT {randint(1, 8):02d}/RW "
            f"{randint(1, 5):02d}, {desa_name}"
        )
        issued = self.today - timedelta(days=randint(200, 9000))
        claim = {
            "number": None,
            "status": status,
            "desa_id": desa,
            "policy_id": None,
            "amount": None,
            "deceased_nik": nik,
            "deceased_name": names[int(r() * len(names))],
            "deceased_sex": sex,
            "deceased_birth_date": stated_birth,
            "death_date": death,
            "death_place": PLACES[int(r() * len(PLACES))],
            "deceased_kk": f"{self.region}{kecamatan}{issued.day:02d}{issued.month:02d}"
            f"{issued.year % 100:02d}{randint(1, 9999):04d}",
            "deceased_address": address,
            "heir_nik": self.nik(kecamatan, heir_born, heir_sex, unique=False),
            "heir_name": heir_name,
            "heir_relation": RELATIONS[int(r() * len(RELATIONS))],
            # Stored as the entry form stores it (E.164); every 08x prefix here is mobile.
            "heir_phone": f"+628{'1235789'[int(r() * 7)]}{randint(10**8, 10**9 - 1)}",
            "heir_address": address,
            "payout_method": Claim.PayoutMethod.TRANSFER if transfer else Claim.PayoutMethod.CASH,
            "bank_name": BANKS[int(r() * len(BANKS))] if transfer else "",
            "bank_account": str(randint(10**9, 10**13 - 1)) if transfer else "",
            "bank_account_holder": heir_name if transfer else "",
            "notes": "",
            "created_by_id": self.users["operator"],
            "first_submitted_at": None,
            "submitted_at": None,
            "due_date": None,
            "verified_by_id": None,
            "verified_at": None,
            "approved_by_id": None,
            "approved_at": None,
            "last_reason": "",
            "decided_on": None,
            **dict.fromkeys(STEP_FIELDS),
        }
        steps = self.history(claim, status, created_day)
        claim["updated_at"] = steps[-1][3]
        return claim, steps

    def created_day(self, status: str) -> date:
        """The day the village entered the claim. Closed claims spread evenly over the
        span (a steady flow of deaths, year after year); claims still in flight were
        entered in its last weeks."""
        rng = self.rng
        if status in RECENT:
            death = self.last_day - timedelta(days=rng.randint(1, 40))
            return min(death + timedelta(days=rng.randint(1, 20)), self.last_day)
        days = (self.last_day - self.first_day).days
        return self.first_day + timedelta(days=int(rng.random() * (days + 1)))

    def history(self, claim: dict, status: str, created_day: date) -> list[tuple]:
        rng, users = self.rng, self.users
        randint = rng.randint
        operator, verifier, approver = users["operator"], users["verifikator"], users["approver"]
        created = self.moment(created_day)
        claim["created_at"] = created
        steps = [("create", "", Status.DRAFT, created, operator, "")]
        if status == Status.DRAFT:
            return steps
        if status == Status.CANCELLED:
            steps.append(
                (
                    "cancel",
                    Status.DRAFT,
                    Status.CANCELLED,
                    min(created + 2 * HOUR, self.now),
                    operator,
                    "",
                )
            )
            return steps
        if status in RECENT:
            # Queue claims were sent in the last days, so some are past their due date.
            submitted_day = max(created_day, self.last_day - timedelta(days=randint(0, 8)))
        else:
            submitted_day = min(created_day + timedelta(days=randint(0, 5)), self.last_day)
        submitted = min(max(self.moment(submitted_day), created + 5 * MINUTE), self.now)
        claim["first_submitted_at"] = claim["submitted_at"] = submitted
        steps.append(("submit", Status.DRAFT, Status.SUBMITTED, submitted, operator, ""))
        last = Status.SUBMITTED
        if status in (Status.SUBMITTED, Status.APPROVED) and rng.random() < 0.15:
            # Returned once, corrected and sent again.
            back = submitted + HOUR * randint(2, 30)
            again = back + HOUR * randint(2, 48)
            if again < self.now:
                reason = RETURN_REASONS[int(rng.random() * len(RETURN_REASONS))]
                steps.append(
                    ("return_to_village", Status.SUBMITTED, Status.RETURNED, back, verifier, reason)
                )
                steps.append(("submit", Status.RETURNED, Status.SUBMITTED, again, operator, ""))
                claim["submitted_at"] = again
        claim["due_date"] = self.due_date(claim["submitted_at"].date())
        if status == Status.SUBMITTED:
            return steps
        decided = min(claim["submitted_at"] + HOUR * randint(1, 70), self.now - 3 * MINUTE)
        # What the services' transitions stamp (santunan/progress.py): the day Dinas
        # Sosial decided the current submission, and the working days of each step.
        claim["decided_on"] = decided.date()
        if status == Status.RETURNED:
            reason = claim["last_reason"] = RETURN_REASONS[int(rng.random() * len(RETURN_REASONS))]
            steps.append(("return_to_village", last, Status.RETURNED, decided, verifier, reason))
        elif status == Status.REJECTED:
            reason = REJECT_REASONS[int(rng.random() * len(REJECT_REASONS))]
            reason = claim["last_reason"] = reason.format(regency=self.regency_name)
            steps.append(("reject", last, Status.REJECTED, decided, verifier, reason))
        elif status in (Status.VERIFIED, Status.APPROVED):
            claim["verified_by_id"], claim["verified_at"] = verifier, decided
            steps.append(("verify", last, Status.VERIFIED, decided, verifier, ""))
            first = claim["first_submitted_at"].date()
            claim["days_to_verify"] = self.between(first, decided.date())
            if status == Status.APPROVED:
                approved = min(decided + HOUR * randint(1, 48), self.now - MINUTE)
                claim["approved_by_id"], claim["approved_at"] = approver, approved
                claim["days_to_approve"] = self.between(decided.date(), approved.date())
                steps.append(("approve", Status.VERIFIED, Status.APPROVED, approved, approver, ""))
        return steps

    def policy_on(self, day: date) -> BenefitPolicy:
        current = self.policies[0]
        for policy in self.policies:
            if policy.effective_from <= day:
                current = policy
        return current

    def next_claim(self) -> tuple[dict, list[tuple]]:
        if self.first_states:
            return self.claim(self.first_states.pop(0), staffed=True)
        pick = self.rng.random() * self.cumulative[-1]
        return self.claim(self.states[bisect.bisect_right(self.cumulative, pick)])

    def write_chunk(self, size: int) -> list[int]:
        """Make `size` claims with their events and write them; returns their keys."""
        made = [self.next_claim() for _ in range(size)]
        numbered = sorted(
            (c for c, _steps in made if c["first_submitted_at"]),
            key=lambda c: c["first_submitted_at"],
        )
        for year, in_year in itertools.groupby(
            numbered, key=lambda c: c["first_submitted_at"].year
        ):
            in_year = list(in_year)
            start = _reserve_numbers(year, len(in_year))
            for offset, claim in enumerate(in_year):
                claim["number"] = f"SKM-{year}-{start + offset:06d}"
                policy = self.policy_on(claim["first_submitted_at"].date())
                claim["policy_id"], claim["amount"] = policy.pk, policy.amount
        if connection.vendor == "postgresql":
            return self.copy_chunk(made)
        claims = Claim.objects.bulk_create(
            Claim(**claim, extra_required_documents=[]) for claim, _steps in made
        )
        ClaimEvent.objects.bulk_create(
            ClaimEvent(
                claim_id=claim.pk,
                action=action,
                from_status=old,
                to_status=new,
                at=at,
                actor_id=actor,
                reason=reason,
                data={"generated": True},
            )
            for claim, (_values, steps) in zip(claims, made, strict=True)
            for action, old, new, at, actor, reason in steps
        )
        return [claim.pk for claim in claims]

    def copy_chunk(self, made: list) -> list[int]:
        """PostgreSQL: the rows as COPY text, written straight from the values (no
        model objects, no per-value adaptation by the driver)."""
        text = _copy_text
        keys = _write_copy(
            Claim,
            [*CLAIM_COLUMNS, "extra_required_documents"],
            (_claim_line(claim) for claim, _steps in made),
            with_keys=len(made),
        )
        _write_copy(
            ClaimEvent,
            [*EVENT_COLUMNS, "data"],
            (
                f"{key}\t{action}\t{old}\t{new}\t{at.isoformat()}\t{actor}\t"
                f"{text(reason)}\t{_GENERATED}\n"
                for key, (_claim, steps) in zip(keys, made, strict=True)
                for action, old, new, at, actor, reason in steps
            ),
        )
        return keys

    def attach_sample_documents(self, claim: Claim) -> None:
        kinds = required_kinds(claim, claim.policy or self.policies[-1])
        for kind in kinds:
            content = _sample_image(str(DocumentKind(kind).label))
            document = ClaimDocument(
                claim=claim,
                kind=kind,
                content_type="image/png",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                original_name=f"{kind}.png",
                uploaded_by=claim.created_by,
                uploaded_at=claim.created_at,
            )
            document.file.save("contoh", ContentFile(content), save=False)
            document.save()


def _reserve_numbers(year: int, count: int) -> int:
    """Take `count` consecutive claim numbers of `year` and return the first, so that
    real submissions continue after the generated ones."""
    YearlySequence.objects.get_or_create(key="claim", year=year)
    sequence = YearlySequence.objects.select_for_update().get(key="claim", year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return first


def _sample_image(label: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), (236, 240, 243))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 469, 289), outline=(11, 110, 79), width=4)
    draw.text((30, 40), "CONTOH - DATA SINTETIS", fill=(180, 35, 24))
    draw.text((30, 80), label, fill=(27, 31, 36))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
