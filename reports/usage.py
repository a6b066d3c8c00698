"""Who is not using it: per desa and kecamatan, the operator accounts (activated or
not), their last login, the claims filed this year and the last one, and the deaths the
population registry's active snapshot records this year, so the office knows which
villages to call or visit.

Four aggregated queries whatever the number of desa (areas, accounts, claims, deaths),
merged here; no query per desa. Practice claims are not counted (Claim.objects)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from dinsos_sync.models import RegistryPerson, Snapshot, Source
from santunan.models import Claim
from villages.models import Desa
from villages.roles import Role
from villages.selectors import current_regency


@dataclass
class AreaUsage:
    code: str
    name: str
    kecamatan_code: str
    kecamatan: str
    accounts: int = 0
    activated: int = 0
    last_login: datetime | None = None
    claims: int = 0  # first submitted this year
    last_claim: datetime | None = None  # the last first submission, any year
    deaths: int | None = None  # None: no active population snapshot
    desa_count: int = 1
    never_logged_in: int = 0  # for a kecamatan: its desa nobody from has logged in

    @property
    def missing_claims(self) -> int:
        """Deaths recorded this year without a claim to match, at least."""
        return max((self.deaths or 0) - self.claims, 0)

    @property
    def claim_share(self) -> int | None:
        """Claims per 100 recorded deaths, or None when no death is recorded."""
        return round(self.claims * 100 / self.deaths) if self.deaths else None


@dataclass
class Usage:
    year: int
    snapshot: Snapshot | None
    desa: list[AreaUsage] = field(default_factory=list)
    kecamatan: list[AreaUsage] = field(default_factory=list)


def priority(area: AreaUsage) -> tuple:
    """Whom to call first: no login at all, then the largest gap between deaths and
    claims (in number, then in share), then the longest since anyone logged in."""
    return (
        area.last_login is not None,
        -area.missing_claims,
        area.claim_share if area.claim_share is not None else 101,
        area.last_login.timestamp() if area.last_login else 0,
        area.code,
    )


def usage(*, year: int, kecamatan_code: str = "") -> Usage:
    regency = current_regency().code
    areas = Desa.objects.filter(code__startswith=regency + ".", is_active=True)
    if kecamatan_code:
        areas = areas.filter(kecamatan_id=kecamatan_code)
    rows = {
        code: AreaUsage(code, str(dict(Desa.Kind.choices)[kind]) + " " + name, kec, kec_name)
        for code, name, kind, kec, kec_name in areas.values_list(
            "code", "name", "kind", "kecamatan_id", "kecamatan__name"
        ).order_by("code")
    }
    codes = list(rows)

    operators = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.OPERATOR_DESA,
            operator_assignment__desa_id__in=codes,
        )
        .values("operator_assignment__desa_id")
        .annotate(
            accounts=Count("pk", distinct=True),
            # An account is activated once it has a password (accounts/activation.py
            # creates them without one); Django marks "no password" with a leading "!".
            activated=Count("pk", filter=~Q(password__startswith="!"), distinct=True),
            last_login=Max("last_login"),
        )
        .order_by()
    )
    for row in operators:
        area = rows[row["operator_assignment__desa_id"]]
        area.accounts, area.activated = row["accounts"], row["activated"]
        area.last_login = row["last_login"]

    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    claims = (
        Claim.objects.filter(desa_id__in=codes, first_submitted_at__isnull=False)
        .values("desa_id")
        .annotate(
            claims=Count(
                "pk",
                filter=Q(first_submitted_at__date__gte=start, first_submitted_at__date__lt=end),
            ),
            last_claim=Max("first_submitted_at"),
        )
        .order_by()
    )
    for row in claims:
        area = rows[row["desa_id"]]
        area.claims, area.last_claim = row["claims"], row["last_claim"]

    snapshot = Snapshot.objects.filter(
        source=Source.POPULATION, status=Snapshot.Status.ACTIVE
    ).first()
    if snapshot is not None:
        for area in rows.values():
            area.deaths = 0
        deaths = (
            RegistryPerson.objects.filter(
                snapshot=snapshot,
                death_date__gte=start,
                death_date__lt=end,
                desa_code__in=codes,
            )
            .values("desa_code")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in deaths:
            rows[row["desa_code"]].deaths = row["n"]

    desa = sorted(rows.values(), key=priority)
    return Usage(year=year, snapshot=snapshot, desa=desa, kecamatan=_by_kecamatan(desa))


def _by_kecamatan(desa: list[AreaUsage]) -> list[AreaUsage]:
    totals: dict[str, AreaUsage] = {}
    for area in desa:
        kec = totals.setdefault(
            area.kecamatan_code,
            AreaUsage(
                area.kecamatan_code,
                area.kecamatan,
                area.kecamatan_code,
                area.kecamatan,
                desa_count=0,
                deaths=None if area.deaths is None else 0,
            ),
        )
        kec.desa_count += 1
        kec.accounts += area.accounts
        kec.activated += area.activated
        kec.claims += area.claims
        kec.never_logged_in += area.last_login is None
        if area.deaths is not None:
            kec.deaths = (kec.deaths or 0) + area.deaths
        for name in ("last_login", "last_claim"):
            mine, theirs = getattr(kec, name), getattr(area, name)
            if theirs is not None and (mine is None or theirs > mine):
                setattr(kec, name, theirs)
    # A kecamatan with the most villages nobody logged in from comes first.
    return sorted(
        totals.values(),
        key=lambda k: (-k.never_logged_in / k.desa_count, -k.missing_claims, k.code),
    )


def columns() -> list[str]:
    return [
        _("Kode desa"),
        _("Desa/kelurahan"),
        _("Kecamatan"),
        _("Akun operator"),
        _("Sudah aktif"),
        _("Terakhir masuk"),
        _("Klaim tahun ini"),
        _("Klaim terakhir"),
        _("Kematian tahun ini (Dukcapil)"),
        _("Kematian tanpa klaim"),
    ]


def export_rows(report: Usage):
    for area in report.desa:
        yield [
            area.code,
            area.name,
            area.kecamatan,
            area.accounts,
            area.activated,
            area.last_login,
            area.claims,
            area.last_claim,
            area.deaths if area.deaths is not None else "",
            area.missing_claims if area.deaths is not None else "",
        ]
