"""Synthetic claims for demos and benchmarks (generate_claims): Indonesian names, valid
NIKs of the regency, the villages of the regency served, every state of the workflow up to
approval and the audit events each state implies, built as plain rows of column values."""

import bisect
import hashlib
import io
import itertools
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from santunan.bulk_load import COPY_COLUMNS, EVENT_COLUMNS, claim_line, copy_text, write_copy
from santunan.calendar import WorkingDays
from santunan.models import (
    BenefitPolicy,
    Claim,
    ClaimDocument,
    ClaimEvent,
    DocumentKind,
    Status,
    YearlySequence,
)
from santunan.progress import STEP_FIELDS
from santunan.rules import required_kinds
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


def sample_users() -> dict:
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


# The audit data of every generated event: what tells them from real ones.
_GENERATED = '{"generated": true}'
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
            start = reserve_numbers(year, len(in_year))
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
        text = copy_text
        keys = write_copy(
            Claim,
            COPY_COLUMNS,
            (claim_line(claim) for claim, _steps in made),
            with_keys=len(made),
        )
        write_copy(
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
            content = sample_image(str(DocumentKind(kind).label))
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


def reserve_numbers(year: int, count: int) -> int:
    """Take `count` consecutive claim numbers of `year` and return the first, so that
    real submissions continue after the generated ones."""
    YearlySequence.objects.get_or_create(key="claim", year=year)
    sequence = YearlySequence.objects.select_for_update().get(key="claim", year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return first


def sample_image(label: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), (236, 240, 243))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 469, 289), outline=(11, 110, 79), width=4)
    draw.text((30, 40), "CONTOH - DATA SINTETIS", fill=(180, 35, 24))
    draw.text((30, 80), label, fill=(27, 31, 36))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
