"""Writing millions of rows into PostgreSQL quickly: COPY text made straight from the
values, and the secondary indexes and foreign keys of the claim and event tables dropped
for the load and built again after it (generate_claims)."""

from contextlib import contextmanager
from datetime import date, datetime

from django.db import connection

from santunan.models import (
    Claim,
    ClaimDocument,
    ClaimEvent,
)
from santunan.names import search_names
from santunan.progress import STEP_FIELDS


def drop_checks() -> tuple[list, list]:
    """Drop the claim and event tables' non-unique indexes and foreign keys; return
    their definitions for restore_checks. Unique indexes stay: they guard the data
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


def restore_checks(dropped: tuple[list, list]) -> None:
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
def given_timestamps():
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


def copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def claim_line(c: dict) -> str:
    """A claim's COPY line, the values in the order of COPY_COLUMNS: written out in
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
        f"{num(c['days_submit_to_paid'])}\t[]\t"
        f"{search_names(c['deceased_name'], c['heir_name']).translate(esc)}\tf\n"
    )


# The claim's columns as written; what a claim row holds (ClaimGenerator.claim) is
# given in this order. claim_line adds `extra_required_documents` (always the empty
# list) and `search_names` (from the names, as Claim.save writes it): COPY_COLUMNS.
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
# Generated claims are real ones, never practice claims: COPY does not apply the
# model's default, so is_practice is written (false) like every other column.
COPY_COLUMNS = [*CLAIM_COLUMNS, "extra_required_documents", "search_names", "is_practice"]
EVENT_COLUMNS = ["claim_id", "action", "from_status", "to_status", "at", "actor_id", "reason"]


def write_copy(model, attnames: list[str], lines, *, with_keys: int = 0) -> list[int]:
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
