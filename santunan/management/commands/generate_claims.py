"""Synthetic claims for demos and benchmarks: Indonesian names, valid NIKs of the
regency, Batang's villages, every state of the workflow up to approval, and the audit
events each state implies. Rows are written with bulk_create in chunks, so 200,000
claims take minutes, not hours, on PostgreSQL.

Scheduled and paid claims are not generated: those states belong to payout batches
and payments, which only the finance services may create."""

import hashlib
import io
import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from santunan import hooks
from santunan.calendar import WorkingDays
from santunan.models import (
    REQUIRED_DOCUMENTS,
    BenefitPolicy,
    Claim,
    ClaimDocument,
    ClaimEvent,
    DocumentKind,
    Holiday,
    Status,
    YearlySequence,
)
from santunan.progress import decision_day, step_days
from villages.models import Desa, OperatorAssignment

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
    "Almarhum bukan penduduk Kabupaten Batang menurut KK.",
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
            "--with-documents",
            action="store_true",
            help="sertakan gambar contoh untuk dokumen wajib (untuk demo, bukan benchmark)",
        )
        parser.add_argument(
            "--every-state",
            action="store_true",
            help="klaim pertama mencakup setiap status (untuk demo dan uji halaman)",
        )

    def handle(self, *args, count, seed, if_empty, chunk, with_documents, every_state, **options):
        if if_empty and Claim.objects.exists():
            self.stdout.write("Sudah ada klaim; tidak ada yang dibuat.")
            return
        desa = list(Desa.objects.select_related("kecamatan").order_by("code"))
        if not desa:
            raise CommandError(
                "Belum ada data desa. Muat dulu: "
                "python manage.py load_wilayah villages/data/batang_wilayah.csv"
            )
        policies = list(BenefitPolicy.objects.order_by("effective_from"))
        if not policies:
            raise CommandError("Belum ada kebijakan santunan (jalankan migrate).")
        generator = ClaimGenerator(
            rng=random.Random(seed),
            desa=desa,
            staffed=set(OperatorAssignment.objects.values_list("desa_id", flat=True)),
            policies=policies,
            users=_sample_users(),
            holidays=set(Holiday.objects.values_list("date", flat=True)),
            used_niks=set(
                Claim.objects.exclude(deceased_nik="").values_list("deceased_nik", flat=True)
            ),
            every_state=every_state,
        )
        made = 0
        with _given_timestamps():
            while made < count:
                size = min(chunk, count - made)
                with transaction.atomic():
                    claims = generator.write_chunk(size, with_documents=with_documents)
                made += len(claims)
                if count > chunk:
                    self.stdout.write(f"  {made}/{count}")
        # The claims went in without record_event: what its hooks keep is rebuilt.
        for rebuild in hooks.AFTER_BULK_WRITE:
            rebuild()
        self.stdout.write(self.style.SUCCESS(f"{made} klaim contoh dibuat."))


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


def _insert(model, rows: list) -> list:
    """bulk_create, or on PostgreSQL a COPY, which spares Django compiling an INSERT
    of every value and fills millions of claims in minutes (benchmarks). The primary
    keys are taken from the table's sequence first, so the events can point at their
    claims."""
    if connection.vendor != "postgresql" or not rows:
        return model.objects.bulk_create(rows)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    for row in rows:
        # A related object given as an object (the claim's creator) gives its key now.
        for field in fields:
            if field.is_relation and field.is_cached(row):
                setattr(row, field.attname, getattr(row, field.name).pk)
    keys = _copy(
        model,
        [f.attname for f in fields],
        (
            [
                Jsonb(getattr(row, f.attname))
                if f.attname in json_fields
                else getattr(row, f.attname)
                for f in fields
            ]
            for row in rows
        ),
        count=len(rows),
    )
    for row, pk in zip(rows, keys, strict=True):
        row.pk = pk
    return rows


def _copy(model, attnames: list[str], values, *, extra=(), count: int | None = None) -> list:
    """COPY rows (values in the order of `attnames` + `extra`) into the model's table
    with fresh primary keys from its sequence; returns the keys in row order."""
    rows = list(values) if count is None else values
    count = len(rows) if count is None else count
    table = model._meta.db_table
    pk = model._meta.pk.column
    column = {f.attname: f.column for f in model._meta.concrete_fields}
    names = [column[name] for name in attnames]
    columns = ", ".join(connection.ops.quote_name(c) for c in [pk, *names, *extra])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, count],
        )
        keys = [key for (key,) in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for key, row in zip(keys, rows, strict=True):
                copy.write_row((key, *row))
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


class ClaimGenerator:
    def __init__(
        self, *, rng, desa, staffed, policies, users, holidays, used_niks, every_state=False
    ):
        self.rng, self.desa, self.policies = rng, desa, policies
        self.staffed_desa = [d for d in desa if d.code in staffed]
        self.users, self.holidays, self.used_niks = users, holidays, used_niks
        self.calendar = WorkingDays(list(holidays))
        self.now = timezone.now()
        self.today = timezone.localdate()
        # The office's zone, looked up once: timezone.localtime() per moment costs more
        # than the rest of a claim when millions are made.
        self.tz = timezone.get_current_timezone()
        self.states = list(STATE_WEIGHTS)
        self.weights = list(STATE_WEIGHTS.values())
        # A demo shows every state: the first claims take each one in turn.
        self.first_states = list(self.states) if every_state else []

    # --- people -----------------------------------------------------------------------

    def name(self, sex: str) -> str:
        first = self.rng.choice(MEN if sex == "L" else WOMEN)
        last = self.rng.choice(MEN_LAST if sex == "L" else WOMEN_LAST)
        return f"{first} {last}".strip()

    def nik(self, kecamatan: str, born: date, sex: str, *, unique: bool) -> str:
        """3325 + kecamatan + DDMMYY (day + 40 for women) + serial."""
        day = born.day + (40 if sex == "P" else 0)
        prefix = f"3325{kecamatan}{day:02d}{born:%m%y}"
        while True:
            nik = f"{prefix}{self.rng.randint(1, 9999):04d}"
            if not unique or nik not in self.used_niks:
                self.used_niks.add(nik)
                return nik

    def kk(self, kecamatan: str) -> str:
        issued = self.today - timedelta(days=self.rng.randint(200, 9000))
        return f"3325{kecamatan}{issued:%d%m%y}{self.rng.randint(1, 9999):04d}"

    def moment(self, day: date) -> datetime:
        """A time in office hours on `day`, never in the future."""
        at = datetime.combine(
            day, time(self.rng.randint(8, 15), self.rng.randint(0, 59)), tzinfo=self.tz
        )
        return min(at, self.now - timedelta(minutes=self.rng.randint(1, 600)))

    def working_days_after(self, start: date, days: int) -> date:
        current = start
        while days > 0:
            current += timedelta(days=1)
            if current.weekday() < 5 and current not in self.holidays:
                days -= 1
        return current

    # --- claims ---------------------------------------------------------------------------

    def claim(self, status: str, *, staffed: bool = False) -> tuple[Claim, list[tuple]]:
        """One claim in `status` and the steps of its history as (action, from, to, at, actor, reason)."""
        rng = self.rng
        # A quarter goes to villages that have an official, so a demo login sees some;
        # the one-of-each-state claims all do, so the demo village sees every state.
        staffed = self.staffed_desa and (staffed or rng.random() < 0.25)
        desa = rng.choice(self.staffed_desa if staffed else self.desa)
        kecamatan = desa.kecamatan.code[-2:]
        sex = rng.choice("LP")
        recent = status in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.VERIFIED)
        death = self.today - timedelta(days=rng.randint(1, 40) if recent else rng.randint(30, 720))
        born = death - timedelta(days=rng.randint(30 * 365, 95 * 365))
        # Most people hold a NIK issued where they live; some moved within the regency.
        nik_kecamatan = kecamatan if rng.random() < 0.9 else f"{rng.randint(1, 15):02d}"
        nik = self.nik(nik_kecamatan, born, sex, unique=True)
        stated_birth = born if rng.random() > 0.02 else born + timedelta(days=rng.randint(1, 300))
        heir_sex = rng.choice("LP")
        heir_born = max(
            born + timedelta(days=18 * 365), death - timedelta(days=rng.randint(20 * 365, 60 * 365))
        )
        heir_name = self.name(heir_sex)
        transfer = rng.random() < 0.3
        dukuh = rng.choice(DUKUH)
        address = f"Dukuh {dukuh} RT {rng.randint(1, 8):02d}/RW {rng.randint(1, 5):02d}, {desa}"
        claim = Claim(
            status=status,
            desa=desa,
            deceased_nik=nik,
            deceased_name=self.name(sex),
            deceased_sex=sex,
            deceased_birth_date=stated_birth,
            death_date=death,
            death_place=rng.choice(PLACES),
            deceased_kk=self.kk(kecamatan),
            deceased_address=address,
            heir_nik=self.nik(kecamatan, heir_born, heir_sex, unique=False),
            heir_name=heir_name,
            heir_relation=rng.choice(RELATIONS),
            # Stored as the entry form stores it (E.164); every 08x prefix here is mobile.
            heir_phone=f"+628{rng.choice('1235789')}{rng.randint(10**8, 10**9 - 1)}",
            heir_address=address,
            payout_method=Claim.PayoutMethod.TRANSFER if transfer else Claim.PayoutMethod.CASH,
            bank_name=rng.choice(BANKS) if transfer else "",
            bank_account=str(rng.randint(10**9, 10**13 - 1)) if transfer else "",
            bank_account_holder=heir_name if transfer else "",
            created_by=self.users["operator"],
        )
        steps = self.history(claim, status, recent)
        claim.updated_at = steps[-1][3]
        # What the services' transitions would have stamped (santunan/progress.py).
        for action, old, new, at, _actor, _reason in steps:
            if action != "create":
                claim.decided_on = decision_day(
                    from_status=old,
                    to_status=new,
                    today=at.astimezone(self.tz).date(),
                    current=claim.decided_on,
                )
        for name, value in step_days(
            self.calendar, claim.first_submitted_at, claim.verified_at, claim.approved_at, None
        ).items():
            setattr(claim, name, value)
        return claim, steps

    def history(self, claim: Claim, status: str, recent: bool) -> list[tuple]:
        rng, users = self.rng, self.users
        operator, verifier, approver = users["operator"], users["verifikator"], users["approver"]
        created_day = min(claim.death_date + timedelta(days=rng.randint(1, 20)), self.today)
        created = self.moment(created_day)
        claim.created_at = created
        steps = [("create", "", Status.DRAFT, created, operator, "")]
        if status == Status.DRAFT:
            return steps
        if status == Status.CANCELLED:
            steps.append(
                (
                    "cancel",
                    Status.DRAFT,
                    Status.CANCELLED,
                    min(created + timedelta(hours=2), self.now),
                    operator,
                    "",
                )
            )
            return steps
        if recent:
            # Queue claims were sent in the last days, so some are past their due date.
            submitted_day = max(created_day, self.today - timedelta(days=rng.randint(0, 8)))
        else:
            submitted_day = min(created_day + timedelta(days=rng.randint(0, 5)), self.today)
        submitted = min(max(self.moment(submitted_day), created + timedelta(minutes=5)), self.now)
        claim.first_submitted_at = claim.submitted_at = submitted
        steps.append(("submit", Status.DRAFT, Status.SUBMITTED, submitted, operator, ""))
        last = Status.SUBMITTED
        if status in (Status.SUBMITTED, Status.APPROVED) and rng.random() < 0.15:
            # Returned once, corrected and sent again.
            back = submitted + timedelta(hours=rng.randint(2, 30))
            again = back + timedelta(hours=rng.randint(2, 48))
            if again < self.now:
                reason = rng.choice(RETURN_REASONS)
                steps.append(
                    ("return_to_village", Status.SUBMITTED, Status.RETURNED, back, verifier, reason)
                )
                steps.append(("submit", Status.RETURNED, Status.SUBMITTED, again, operator, ""))
                claim.submitted_at = again
        due_from = claim.submitted_at.astimezone(self.tz).date()
        claim.due_date = self.working_days_after(due_from, 3)
        decided = min(
            claim.submitted_at + timedelta(hours=rng.randint(1, 70)),
            self.now - timedelta(minutes=3),
        )
        if status == Status.RETURNED:
            claim.last_reason = rng.choice(RETURN_REASONS)
            steps.append(
                ("return_to_village", last, Status.RETURNED, decided, verifier, claim.last_reason)
            )
        elif status == Status.REJECTED:
            claim.last_reason = rng.choice(REJECT_REASONS)
            steps.append(("reject", last, Status.REJECTED, decided, verifier, claim.last_reason))
        elif status in (Status.VERIFIED, Status.APPROVED):
            claim.verified_by, claim.verified_at = verifier, decided
            steps.append(("verify", last, Status.VERIFIED, decided, verifier, ""))
            if status == Status.APPROVED:
                approved = min(
                    decided + timedelta(hours=rng.randint(1, 48)), self.now - timedelta(minutes=1)
                )
                claim.approved_by, claim.approved_at = approver, approved
                steps.append(("approve", Status.VERIFIED, Status.APPROVED, approved, approver, ""))
        return steps

    def policy_on(self, day: date) -> BenefitPolicy:
        current = self.policies[0]
        for policy in self.policies:
            if policy.effective_from <= day:
                current = policy
        return current

    def next_claim(self) -> tuple[Claim, list[tuple]]:
        if self.first_states:
            return self.claim(self.first_states.pop(0), staffed=True)
        return self.claim(self.rng.choices(self.states, self.weights)[0])

    def write_chunk(self, size: int, *, with_documents: bool) -> list[Claim]:
        made = [self.next_claim() for _ in range(size)]
        numbered = sorted(
            (c for c, _steps in made if c.first_submitted_at), key=lambda c: c.first_submitted_at
        )
        tz = self.tz
        for year in sorted({c.first_submitted_at.astimezone(tz).year for c in numbered}):
            in_year = [c for c in numbered if c.first_submitted_at.astimezone(tz).year == year]
            start = _reserve_numbers(year, len(in_year))
            for offset, claim in enumerate(in_year):
                claim.number = f"SKM-{year}-{start + offset:06d}"
                policy = self.policy_on(claim.first_submitted_at.astimezone(tz).date())
                claim.policy, claim.amount = policy, policy.amount
        claims = _insert(Claim, [c for c, _steps in made])
        events = (
            (claim.pk, action, old, new, at, actor.pk, reason)
            for claim, steps in made
            for action, old, new, at, actor, reason in steps
        )
        if connection.vendor == "postgresql":
            # Plain rows: building millions of ClaimEvent objects costs more than COPY.
            _copy(
                ClaimEvent,
                ["claim_id", "action", "from_status", "to_status", "at", "actor_id", "reason"],
                ((*event, None, Jsonb({"generated": True})) for event in events),
                extra=["client_ip", "data"],
            )
        else:
            ClaimEvent.objects.bulk_create(
                ClaimEvent(
                    claim_id=claim_id,
                    action=action,
                    from_status=old,
                    to_status=new,
                    at=at,
                    actor_id=actor_id,
                    reason=reason,
                    data={"generated": True},
                )
                for claim_id, action, old, new, at, actor_id, reason in events
            )
        if with_documents:
            for claim in claims:
                self.attach_sample_documents(claim)
        return claims

    def attach_sample_documents(self, claim: Claim) -> None:
        kinds = list(REQUIRED_DOCUMENTS)
        if claim.payout_method == Claim.PayoutMethod.TRANSFER:
            kinds.append(DocumentKind.BANK_BOOK)
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
