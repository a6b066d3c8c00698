"""The claim's progress stamped as columns (decision day of the current submission,
working days per step), filled from the events of existing claims; indexes for the
archive search (heir's NIK, submission order, and on PostgreSQL trigram indexes for the
part-of-a-name search)."""

import bisect
from datetime import date

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

DECISIONS = ("verified", "returned", "rejected")
CHUNK = 2000
# Part of a name or number: `icontains` is UPPER(column) LIKE '%...%' on PostgreSQL,
# which only a trigram index on that expression serves. SQLite has none and needs none.
TRIGRAM_COLUMNS = ("deceased_name", "heir_name", "number")


def _working_days(holidays: list[date], start: date, end: date) -> int:
    """As santunan.calendar.WorkingDays.between (copied: a migration stays as written)."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    days = weeks * 5 + sum(1 for i in range(1, rest + 1) if (start.weekday() + i) % 7 < 5)
    return days - (bisect.bisect_right(holidays, end) - bisect.bisect_right(holidays, start))


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def fill_progress(apps, schema_editor):
    connection = schema_editor.connection
    Claim = apps.get_model("santunan", "Claim")
    ClaimEvent = apps.get_model("santunan", "ClaimEvent")
    Holiday = apps.get_model("santunan", "Holiday")
    holidays = sorted(d for d in Holiday.objects.values_list("date", flat=True) if d.weekday() < 5)
    fields = [
        "decided_on",
        "days_to_verify",
        "days_to_approve",
        "days_to_pay",
        "days_submit_to_paid",
    ]
    last = 0
    while True:
        claims = list(
            Claim.objects.filter(pk__gt=last, first_submitted_at__isnull=False)
            .order_by("pk")
            .only("pk", "first_submitted_at", "verified_at", "approved_at", "paid_at")[:CHUNK]
        )
        if not claims:
            return
        last = claims[-1].pk
        decided = {}
        for claim_id, old, new, at in (
            ClaimEvent.objects.filter(claim_id__in=[c.pk for c in claims])
            .exclude(to_status="")
            .order_by("claim_id", "at", "pk")
            .values_list("claim_id", "from_status", "to_status", "at")
        ):
            if new == "submitted":
                decided[claim_id] = None
            elif old == "submitted" and new in DECISIONS:
                decided[claim_id] = _day(at)
        for claim in claims:
            claim.decided_on = decided.get(claim.pk)
            submitted, verified = _day(claim.first_submitted_at), _day(claim.verified_at)
            approved, paid = _day(claim.approved_at), _day(claim.paid_at)
            claim.days_to_verify = claim.days_to_approve = None
            claim.days_to_pay = claim.days_submit_to_paid = None
            if submitted and verified:
                claim.days_to_verify = _working_days(holidays, submitted, verified)
                if approved:
                    claim.days_to_approve = _working_days(holidays, verified, approved)
                if approved and paid:
                    claim.days_to_pay = _working_days(holidays, approved, paid)
                if paid:
                    claim.days_submit_to_paid = _working_days(holidays, submitted, paid)
        _save(connection, Claim, claims, fields)


def _save(connection, Claim, claims, fields):
    """One UPDATE per chunk from arrays on PostgreSQL (bulk_update compiles a CASE per
    row and field, which dominated the time on hundreds of thousands of claims)."""
    if connection.vendor != "postgresql":
        Claim.objects.bulk_update(claims, fields, batch_size=200)
        return
    columns = ", ".join(f"{name} = v.{name}" for name in fields)
    types = ["bigint", "date", "smallint", "smallint", "smallint", "smallint"]
    arrays = ", ".join(f"%s::{kind}[]" for kind in types)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE santunan_claim SET {columns} FROM unnest({arrays}) "
            f"AS v(id, {', '.join(fields)}) WHERE santunan_claim.id = v.id",
            [[c.pk for c in claims], *[[getattr(c, name) for c in claims] for name in fields]],
        )


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # The dashboard groups a year by the step columns: without statistics on them
    # together, the planner expects a group per row and sorts on disk instead of hashing
    # the few dozen real combinations.
    schema_editor.execute(
        "CREATE STATISTICS IF NOT EXISTS claim_step_days_stats (ndistinct) ON days_to_verify, "
        "days_to_approve, days_to_pay, days_submit_to_paid FROM santunan_claim"
    )
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS claim_{column}_trgm_idx ON santunan_claim "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP STATISTICS IF EXISTS claim_step_days_stats")
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS claim_{column}_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("santunan", "0008_text_limits_and_dates_from_1900"),
        ("villages", "0003_user_preference_phone"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="days_submit_to_paid",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="hari kerja diajukan → dibayar"
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="days_to_approve",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="hari kerja diverifikasi → disetujui"
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="days_to_pay",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="hari kerja disetujui → dibayar"
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="days_to_verify",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="hari kerja diajukan → diverifikasi"
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="decided_on",
            field=models.DateField(blank=True, null=True, verbose_name="diputus"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["heir_nik"], name="claim_heir_nik_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("number__isnull", False)),
                fields=["first_submitted_at", "id"],
                include=(
                    "status",
                    "desa",
                    "due_date",
                    "decided_on",
                    "days_to_verify",
                    "days_to_approve",
                    "days_to_pay",
                    "days_submit_to_paid",
                ),
                name="claim_archive_idx",
            ),
        ),
        migrations.RunPython(fill_progress, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]
