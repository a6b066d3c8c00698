"""Small registry extracts for the demo (`load_demo_registries`, run by `make run`): the
people of the claims already in the database as Dukcapil and DTKS/DTSEN would list them,
plus a few neighbours in each of their villages. Loaded through the real importer, they
let the worker's cross-check find what it finds in a regency: most claims agree with
the registries, and a steady few show each kind of finding a verifier meets.

Which claim shows which finding follows its place in primary-key order, so the same
database always gets the same extracts. Synthetic data only: built from the demo's own
claims, never from real people."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from dinsos_sync.files import LAYOUTS, RowChecker
from santunan.identity import nik_birth_date, nik_problem
from santunan.models import Claim
from santunan.sample_claims import DUKUH, MEN, MEN_LAST, WOMEN, WOMEN_LAST
from villages.models import Desa, OperatorAssignment
from villages.selectors import current_regency

# Every n-th claim (by position) shows one finding; the rest agree with the registries.
DEATH_NOT_RECORDED = 5  # Dukcapil still lists the deceased as alive (info)
NOT_POOR = 6  # DTKS/DTSEN lists the household above the poverty decile (SKTM asked)
NOT_LISTED = 9  # the deceased is not in DTKS/DTSEN (SKTM asked)
HEIR_ELSEWHERE = 7  # the heir is in another family card (heir statement asked)
NEIGHBOURS = 4  # living residents listed per village besides the claims' families


@dataclass
class Extracts:
    """Rows in the importer's layout order (files.LAYOUTS) per source."""

    population: list[list[str]] = field(default_factory=list)
    social: list[list[str]] = field(default_factory=list)

    def rows(self, source: str) -> list[list[str]]:
        return self.population if source == "population" else self.social


def _day(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _sex(nik: str, stated: str = "") -> str:
    return stated or ("P" if int(nik[6:8]) > 40 else "L")


class _Builder:
    def __init__(self, today: date, rng: random.Random):
        self.today, self.rng = today, rng
        self.extracts = Extracts()
        self.listed: set[tuple[str, str]] = set()

    def person(
        self,
        source: str,
        *,
        nik: str,
        name: str,
        born: date,
        sex: str,
        kk: str,
        desa: str,
        address: str,
        **status: str,
    ) -> None:
        if (source, nik) in self.listed:
            return
        self.listed.add((source, nik))
        values = {
            "nik": nik,
            "nama": name.upper(),
            "tanggal_lahir": _day(born),
            "jenis_kelamin": sex,
            "no_kk": kk,
            "kode_desa": desa,
            "alamat": address,
            **status,
        }
        self.extracts.rows(source).append([values.get(key, "") for key in LAYOUTS[source]])

    def updated(self) -> str:
        # Within the last months: a record older than REGISTRY_STALE_MONTHS is a finding.
        return _day(self.today - timedelta(days=self.rng.randint(20, 200)))

    def poor(self) -> dict[str, str]:
        return {
            "status_dtks": "YA",
            "desil": str(self.rng.randint(1, 4)),
            "tanggal_update": self.updated(),
        }


def build_extracts(today: date | None = None) -> Extracts:
    """The demo extracts for the claims and villages in the database."""
    today = today or timezone.localdate()
    build = _Builder(today, random.Random(20261207))
    claims = Claim.objects.exclude(deceased_nik="").order_by("pk")
    fields = [
        "deceased_nik",
        "deceased_name",
        "deceased_sex",
        "deceased_birth_date",
        "death_date",
        "deceased_kk",
        "deceased_address",
        "desa_id",
        "heir_nik",
        "heir_name",
        "heir_address",
    ]
    villages: list[str] = []
    for position, row in enumerate(claims.values_list(*fields), start=1):
        nik, name, sex, stated_birth, died, kk, address, desa, heir, heir_name, heir_address = row
        if nik_problem(nik) or not name or not desa:
            continue
        villages.append(desa)
        # The registry holds the birth date the NIK encodes: a claim that states
        # another one gets the finding a verifier would see.
        born = nik_birth_date(nik, today=today) or stated_birth
        if born is None:
            continue
        address = (address or "").strip()[:250]
        kk = kk or ""
        alive = position % DEATH_NOT_RECORDED == 0 or died is None
        build.person(
            "population",
            nik=nik,
            name=name,
            born=born,
            sex=_sex(nik, sex),
            kk=kk,
            desa=desa,
            address=address,
            status_hidup="HIDUP" if alive else "MENINGGAL",
            tanggal_meninggal="" if alive else _day(died),
        )
        if position % NOT_LISTED != 0:
            social = build.poor()
            if position % NOT_POOR == 0:
                social = {**social, "status_dtks": "TIDAK", "desil": str(build.rng.randint(7, 9))}
            build.person(
                "social",
                nik=nik,
                name=name,
                born=born,
                sex=_sex(nik, sex),
                kk=kk,
                desa=desa,
                address=address,
                **social,
            )
        heir_born = nik_birth_date(heir, today=today) if heir and not nik_problem(heir) else None
        if heir_born and heir_name:
            heir_kk = kk
            if position % HEIR_ELSEWHERE == 0 or not kk:
                # A family card of the heir's own: the same kecamatan, another serial.
                heir_kk = f"{heir[:6]}150620{1000 + position % 9000:04d}"
            build.person(
                "population",
                nik=heir,
                name=heir_name,
                born=heir_born,
                sex=_sex(heir),
                kk=heir_kk,
                desa=desa,
                address=(heir_address or address or "").strip()[:250],
                status_hidup="HIDUP",
                tanggal_meninggal="",
            )
    staffed = OperatorAssignment.objects.values_list("desa_id", flat=True)
    for desa in sorted(set(villages) | set(staffed)):
        _neighbours(build, desa, today)
    return build.extracts


def _neighbours(build: _Builder, desa: str, today: date) -> None:
    """A few living residents of `desa`, half of them in DTKS/DTSEN."""
    rng, kecamatan = build.rng, desa.replace(".", "")[:6]
    for index in range(NEIGHBOURS):
        sex = "L" if index % 2 == 0 else "P"
        first, last = (MEN, MEN_LAST) if sex == "L" else (WOMEN, WOMEN_LAST)
        name = f"{rng.choice(first)} {rng.choice(last)}".strip()
        born = today - timedelta(days=rng.randint(20 * 365, 80 * 365))
        day = born.day + (40 if sex == "P" else 0)
        nik = f"{kecamatan}{day:02d}{born:%m%y}{rng.randint(5001, 9999):04d}"
        issued = date(2010, 1, 1) + timedelta(days=rng.randint(0, 5000))
        kk = f"{kecamatan}{issued:%d%m%y}{rng.randint(1000, 9999):04d}"
        rt, rw = rng.randint(1, 9), rng.randint(1, 5)
        address = f"Dukuh {rng.choice(DUKUH)} RT {rt:02d}/RW {rw:02d}"
        person = {
            "nik": nik,
            "name": name,
            "born": born,
            "sex": sex,
            "kk": kk,
            "desa": desa,
            "address": address,
        }
        build.person("population", **person, status_hidup="HIDUP", tanggal_meninggal="")
        if index % 2 == 0:
            build.person("social", **person, **build.poor())


def acceptable(extracts: Extracts, today: date | None = None) -> Extracts:
    """Only the rows the importer accepts (a demo database may hold claims typed by
    hand with numbers a registry would refuse): a demo extract is never refused."""
    regency = current_regency().code
    known = set(Desa.objects.filter(is_active=True).values_list("code", flat=True))
    kept = Extracts()
    for source in ("population", "social"):
        checker = RowChecker(source, known_desa=known, regency_code=regency, today=today)
        for line, cells in enumerate(extracts.rows(source), start=2):
            if not isinstance(checker.check_fully(line, list(cells)), str):
                kept.rows(source).append(cells)
    return kept
