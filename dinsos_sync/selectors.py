"""Reads: the active snapshots, what a registry says about some NIKs, a claim's
findings, and the reports for Dukcapil and the social registry."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from dinsos_sync.client import RegistryClient
from dinsos_sync.errors import RegistryUnavailable
from dinsos_sync.files import COLUMNS
from dinsos_sync.findings import OtherClaim
from dinsos_sync.matching import normalise_name
from dinsos_sync.models import (
    SEVERITY_ORDER,
    Finding,
    RegistryCheck,
    RegistryPerson,
    Severity,
    Snapshot,
    Source,
)
from dinsos_sync.records import Person
from dinsos_sync.values import Vocabulary
from santunan.models import Claim, Status

# Below SQLite's limit of bound parameters per statement, with room to spare.
IN_CHUNK = 900


def id_list(ids: Iterable[int]) -> RawSQL:
    """A subquery of these integer ids for `pk__in=`, passed as one text parameter: a
    `pk__in` list of thousands would cost thousands of bound parameters to build, quote
    and parse (and SQLite allows only so many)."""
    text = ",".join(str(int(pk)) for pk in ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(string_to_array(%s, ',')::bigint[])", [text])
    return RawSQL("SELECT value FROM json_each(%s)", [f"[{text}]"])


def active_snapshot(source: str) -> Snapshot | None:
    return Snapshot.objects.filter(source=source, status=Snapshot.Status.ACTIVE).first()


def active_snapshots() -> dict[str, Snapshot | None]:
    active = {s.source: s for s in Snapshot.objects.filter(status=Snapshot.Status.ACTIVE)}
    return {source: active.get(source) for source in Source.values}


def recent_snapshots(limit: int = 20) -> QuerySet[Snapshot]:
    return Snapshot.objects.select_related("loaded_by")[:limit]


def snapshot_persons(snapshot_id: int, niks: Iterable[str]) -> dict[str, Person]:
    """The rows of these NIKs in a snapshot, read through the (snapshot_id, nik) index.

    PostgreSQL gets the NIKs as one comma-separated text turned into an array, so a
    thousand NIKs cost one short parameter instead of a thousand; SQLite gets `IN`
    lists. Raw SQL because the ORM's per-row work would cost more than the lookup."""
    wanted = sorted({nik for nik in niks if nik})
    if not wanted:
        return {}
    table, names = RegistryPerson._meta.db_table, ", ".join(COLUMNS)
    make = Person.from_row
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {names} FROM {table} "
                "WHERE snapshot_id = %s AND nik = ANY(string_to_array(%s, ','))",
                [snapshot_id, ",".join(wanted)],
            )
            rows = cursor.fetchall()
        else:
            rows = []
            for start in range(0, len(wanted), IN_CHUNK):
                part = wanted[start : start + IN_CHUNK]
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"SELECT {names} FROM {table} WHERE snapshot_id = %s AND nik IN ({marks})",
                    [snapshot_id, *part],
                )
                rows += cursor.fetchall()
    return {row[0]: make(row) for row in rows}


def registry_configured(source: str) -> bool:
    """Whether a regency has this registry at all: an API address, or a loaded snapshot."""
    return RegistryClient.for_source(source) is not None or active_snapshot(source) is not None


def registry_persons(source: str, niks: Iterable[str]) -> tuple[dict[str, Person], Snapshot | None]:
    """What `source` says about these NIKs: from its API when one is configured, else
    from its active snapshot. Raises RegistryUnavailable when neither can answer."""
    answer = registry_answer(source, niks)
    if answer is None:
        raise RegistryUnavailable(
            _("Belum ada data %(source)s yang dimuat.") % {"source": Source(source).label}
        )
    return answer


def registry_answer(
    source: str,
    niks: Iterable[str],
    *,
    deadline: float | None = None,
    unknown: Counter | None = None,
) -> tuple[dict[str, Person], Snapshot | None] | None:
    """Like `registry_persons`, but None when the regency has no such registry (no API
    address and no loaded snapshot). A configured API that fails still raises
    RegistryUnavailable: that check waits and is tried again. `deadline` (a
    time.monotonic() value) ends the API calls early; `unknown` receives the words the
    API answered with that nobody mapped, (column, word) → persons."""
    niks = [nik for nik in niks if nik]
    client = RegistryClient.for_source(source)
    if client is not None:
        try:
            return client.lookup(niks, deadline=deadline), None
        finally:
            if unknown is not None:
                unknown.update(client.unknown)
    snapshot = active_snapshot(source)
    if snapshot is None:
        return None
    return snapshot_persons(snapshot.pk, niks), snapshot


def other_claims_for(claims: list[Claim]) -> dict[int, list[OtherClaim]]:
    """Per claim: the other claims for the same NIK, or for the same name and birth
    date under another NIK (a person entered twice)."""
    niks = {c.deceased_nik for c in claims if c.deceased_nik}
    births = {c.deceased_birth_date for c in claims if c.deceased_birth_date}
    fields = ("pk", "number", "status", "deceased_nik", "deceased_name", "deceased_birth_date")
    rows: dict[int, OtherClaim] = {}
    for values, lookup in (
        (sorted(niks), "deceased_nik__in"),
        (sorted(births), "deceased_birth_date__in"),
    ):
        for start in range(0, len(values), IN_CHUNK):
            query = (
                Claim.objects.filter(**{lookup: values[start : start + IN_CHUNK]})
                .exclude(status__in=[Status.DRAFT, Status.CANCELLED])
                .values_list(*fields)
            )
            for pk, number, status, nik, name, born in query:
                if pk not in rows:
                    rows[pk] = OtherClaim(
                        pk=pk,
                        number=number or "",
                        status=status,
                        nik=nik,
                        name_key=normalise_name(name),
                        birth_date=born,
                    )
    by_nik, by_birth = defaultdict(list), defaultdict(list)
    for other in rows.values():
        by_nik[other.nik].append(other)
        by_birth[other.birth_date].append(other)
    result = {}
    for claim in claims:
        candidates = {o.pk: o for o in by_nik.get(claim.deceased_nik, [])}
        candidates.update({o.pk: o for o in by_birth.get(claim.deceased_birth_date, [])})
        result[claim.pk] = [o for o in candidates.values() if o.pk != claim.pk]
    return result


@dataclass
class ClaimFindings:
    check: RegistryCheck | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return self.check is None or self.check.status == RegistryCheck.Status.PENDING

    @property
    def blockers(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.BLOCKER]


def claim_findings(claim: Claim) -> ClaimFindings:
    check = RegistryCheck.objects.filter(claim=claim).first()
    findings = sorted(
        Finding.objects.filter(claim=claim), key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.pk)
    )
    return ClaimFindings(check=check, findings=findings)


def document_reasons(claim: Claim) -> dict[str, list[str]]:
    """For santunan's hooks.DOCUMENT_REASONS: each document the findings made required,
    with the village-facing reason of every finding that asked for it."""
    from dinsos_sync.findings import DOCUMENT_REASONS, EXTRA_DOCUMENTS

    reasons: dict[str, list[str]] = {}
    codes = (
        Finding.objects.filter(claim=claim, code__in=list(EXTRA_DOCUMENTS))
        .order_by("pk")
        .values_list("code", flat=True)
    )
    for code in dict.fromkeys(codes):
        for kind in EXTRA_DOCUMENTS[code]:
            reasons.setdefault(str(kind), []).append(str(DOCUMENT_REASONS[code]))
    return reasons


def blocking_findings(claim_id: int) -> list[Finding]:
    return list(Finding.objects.filter(claim_id=claim_id, severity=Severity.BLOCKER).order_by("pk"))


# --- reports -----------------------------------------------------------------------------


def paid_claims(*, since: date | None = None) -> QuerySet[Claim]:
    claims = (
        Claim.objects.filter(status=Status.PAID).select_related("desa").order_by("paid_at", "pk")
    )
    if since:
        claims = claims.filter(paid_at__date__gte=since)
    return claims


@dataclass
class UnrecordedDeath:
    claim: Claim
    registry_status: str


def paid_deaths_not_recorded(*, since: date | None = None) -> list[UnrecordedDeath]:
    """Paid claims whose death Dukcapil has not recorded: for Dukcapil to follow up."""
    claims = list(paid_claims(since=since))
    persons, _snapshot = registry_persons(Source.POPULATION, [c.deceased_nik for c in claims])
    rows = []
    for claim in claims:
        person = persons.get(claim.deceased_nik)
        if person is None:
            rows.append(UnrecordedDeath(claim, _("tidak ditemukan di Dukcapil")))
        elif person.alive is not False:
            rows.append(UnrecordedDeath(claim, _("tercatat masih hidup")))
    return rows


def vocabulary_for(source: str) -> Vocabulary:
    """The built-in status words of a source plus the regency's mapped ones."""
    from dinsos_sync.models import ValueMapping

    mapped = {
        (column, value): meaning
        for column, value, meaning in ValueMapping.objects.filter(source=source).values_list(
            "column", "value", "meaning"
        )
    }
    return Vocabulary.builtin(source, mapped)


@dataclass
class UnknownWord:
    """A word met in files and/or API answers that the installation cannot read yet."""

    source: str
    column: str
    value: str
    file_rows: int = 0
    api_persons: int = 0
    last_seen: object = None

    @property
    def mappable(self) -> bool:
        from dinsos_sync.values import MAPPABLE_BY_SOURCE

        return self.column in MAPPABLE_BY_SOURCE.get(self.source, [])


def unknown_words() -> list[UnknownWord]:
    """For the value-mapping page: each unknown word once, with its rows in the latest
    file and its persons in API answers, most frequent first. A word mapped meanwhile
    (in the admin, or on an upload's preview) no longer shows."""
    from dinsos_sync.models import UnknownValue

    vocabularies = {source: vocabulary_for(source) for source in Source.values}
    words: dict[tuple[str, str, str], UnknownWord] = {}
    for row in UnknownValue.objects.all():
        known = vocabularies[row.source].words.get(row.column)
        if known is not None and row.value in known:
            continue
        item = words.setdefault(
            (row.source, row.column, row.value),
            UnknownWord(source=row.source, column=row.column, value=row.value),
        )
        if row.origin == UnknownValue.Origin.FILE:
            item.file_rows += row.count
        else:
            item.api_persons += row.count
        if item.last_seen is None or row.last_seen > item.last_seen:
            item.last_seen = row.last_seen
    return sorted(
        words.values(),
        key=lambda w: (not w.mappable, -(w.file_rows + w.api_persons), w.source, w.column, w.value),
    )
