"""The dashboard's counts, kept by the claims' own events.

A claim counts on the dashboard under the month and desa of its first submission, its
status and the outcome of the service promise (`ClaimCount`), and under the working days
of each step it finished (`StepCount`). Every claim event moves the claim from the
figures of the row as it was read (`Claim.loaded_values`) to those of the row as saved,
inside the transaction that records the event (santunan.hooks.ON_EVENT): the counts
commit or roll back with the claim. Each change is one `INSERT … ON CONFLICT DO UPDATE
SET claims = claims + …`, an increment the database applies under the row's lock, so two
officials acting at once both count.

`recount` counts the same figures from the claims themselves (the test that the kept
counts agree, `manage.py recount_dashboard` to rebuild or check them, and
`generate_claims`, which writes claims by COPY without events)."""

from collections import Counter
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, DateField, F, Q, Value, When
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from reports.models import ClaimCount, StepCount
from santunan.models import Claim, Status
from santunan.progress import STEP_FIELDS

CLAIM_KEY = ("month", "desa_id", "status", "promise")
STEP_KEY = ("year", "desa_id", "step", "days")
TRACKED = (
    "status",
    "number",
    "desa_id",
    "first_submitted_at",
    "decided_on",
    "due_date",
    *STEP_FIELDS,
)


def promise_of(decided_on: date | None, due_date: date | None) -> str:
    """The archive's promise=kept|missed filters as a value (santunan/archive.py)."""
    if decided_on is None or due_date is None:
        return ""
    return "kept" if decided_on <= due_date else "missed"


def figures_of(values: dict) -> tuple[Counter, Counter]:
    """The ClaimCount and StepCount keys a claim with these column values counts under:
    what the dashboard's archive links filter on (santunan.archive.search_claims keeps
    out drafts and claims never numbered; the dashboard's period is the first submission)."""
    claims, steps = Counter(), Counter()
    submitted = values.get("first_submitted_at")
    if values.get("status") in (None, Status.DRAFT) or not values.get("number") or not submitted:
        return claims, steps
    day = timezone.localtime(submitted).date()
    promise = promise_of(values.get("decided_on"), values.get("due_date"))
    claims[(day.replace(day=1), values["desa_id"], values["status"], promise)] += 1
    for step in STEP_FIELDS:
        if values.get(step) is not None:
            steps[(day.year, values["desa_id"], step, values[step])] += 1
    return claims, steps


def _values(claim: Claim) -> dict:
    return {name: getattr(claim, name) for name in TRACKED}


def count_event(event) -> None:
    """ON_EVENT hook: move the event's claim from its figures as read to its figures as
    saved. The claim the services hand to record_event is the one they locked and saved."""
    claim = event.claim
    loaded = getattr(claim, "loaded_values", None)
    now = _values(claim)
    before = figures_of({name: loaded.get(name) for name in TRACKED}) if loaded else None
    after = figures_of(now)
    if before is None:
        before = (Counter(), Counter())
    claims, steps = Counter(after[0]), Counter(after[1])
    claims.subtract(before[0])
    steps.subtract(before[1])
    add(ClaimCount, CLAIM_KEY, claims)
    add(StepCount, STEP_KEY, steps)
    # A second event on the same claim in this transaction starts from what is saved now.
    claim.loaded_values = {**(loaded or {}), **now}


def add(model, key: tuple[str, ...], changes: Counter) -> None:
    """Add each change to its row, creating it at need. In key order, so two
    transactions touching the same rows take their locks in the same order."""
    changes = {k: n for k, n in changes.items() if n}
    if not changes:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(k).column) for k in key)
    sql = (
        f"INSERT INTO {table} ({columns}, claims) VALUES ({', '.join(['%s'] * (len(key) + 1))}) "
        f"ON CONFLICT ({columns}) DO UPDATE SET claims = {table}.claims + excluded.claims"
    )
    with connection.cursor() as cursor:
        for values in sorted(changes, key=lambda k: tuple(str(v) for v in k)):
            cursor.execute(sql, [*_adapt(values), changes[values]])


def _adapt(values: tuple) -> list:
    return [connection.ops.adapt_datefield_value(v) if isinstance(v, date) else v for v in values]


def recount(claim_model=Claim) -> tuple[Counter, Counter]:
    """The figures counted from the claims (one grouped query per table and step);
    `claim_model` lets a migration count with its historical model."""
    counted = claim_model.objects.exclude(status=Status.DRAFT).exclude(number=None)
    counted = counted.exclude(first_submitted_at=None).order_by()
    promise = Case(
        When(Q(decided_on__lte=F("due_date")), then=Value("kept")),
        When(Q(decided_on__gt=F("due_date")), then=Value("missed")),
        default=Value(""),
        output_field=CharField(),
    )
    claims = Counter(
        {
            (month, desa, status, kept): n
            for month, desa, status, kept, n in counted.annotate(
                month=TruncMonth("first_submitted_at", output_field=DateField()),
                promise=promise,
            )
            .values_list("month", "desa_id", "status", "promise")
            .annotate(n=Count("pk"))
        }
    )
    steps = Counter()
    for step in STEP_FIELDS:
        for year, desa, days, n in (
            counted.exclude(**{step: None})
            .annotate(year=ExtractYear("first_submitted_at"))
            .values_list("year", "desa_id", step)
            .annotate(n=Count("pk"))
        ):
            steps[(year, desa, step, days)] = n
    return claims, steps


def kept() -> tuple[Counter, Counter]:
    """The figures as kept (rows at zero left out)."""
    claims = Counter(
        {
            row[:-1]: row[-1]
            for row in ClaimCount.objects.exclude(claims=0).values_list(*CLAIM_KEY, "claims")
        }
    )
    steps = Counter(
        {
            row[:-1]: row[-1]
            for row in StepCount.objects.exclude(claims=0).values_list(*STEP_KEY, "claims")
        }
    )
    return claims, steps


def differences() -> list[tuple[str, tuple, int, int]]:
    """Where the kept figures and the claims disagree: (table, key, kept, counted)."""
    found = []
    for name, held, counted in zip(("claims", "steps"), kept(), recount(), strict=True):
        for key in sorted(set(held) | set(counted), key=lambda k: tuple(str(v) for v in k)):
            if held[key] != counted[key]:
                found.append((name, key, held[key], counted[key]))
    return found


def rebuild(models=(Claim, ClaimCount, StepCount)) -> None:
    """Replace the kept figures by a count of the claims. Transitions committing
    meanwhile wait for the tables' lock and add their change after, on top of a count
    that did not see them; those that committed before are in the count."""
    claim_model, claim_counts, step_counts = models
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {claim_counts._meta.db_table}, {step_counts._meta.db_table} "
                    "IN EXCLUSIVE MODE"
                )
        claims, steps = recount(claim_model)
        claim_counts.objects.all().delete()
        step_counts.objects.all().delete()
        claim_counts.objects.bulk_create(
            (
                claim_counts(**dict(zip(CLAIM_KEY, key, strict=True)), claims=n)
                for key, n in claims.items()
            ),
            batch_size=5000,
        )
        step_counts.objects.bulk_create(
            (
                step_counts(**dict(zip(STEP_KEY, key, strict=True)), claims=n)
                for key, n in steps.items()
            ),
            batch_size=5000,
        )
