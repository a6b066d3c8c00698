"""Which stored files the database points at: every file field of every model (claim
documents, payout letters, receipt scans, bank result files, reports, the letterhead
logo) and the registry extracts waiting for the worker. Found from the models, so a
file field added later is moved and backed up without anyone remembering to list it.

Reads go through a plain DB-API cursor, so the same list comes from the live database,
from a PostgreSQL snapshot shared with pg_dump, or from a SQLite backup file."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models

# Names of stored files kept in a plain text column rather than a file field.
NAME_COLUMNS = [("dinsos_sync", "Snapshot", "upload_path")]


@dataclass(frozen=True)
class Holder:
    table: str
    column: str
    label: str  # app_label.Model.field, for reports


def holders() -> list[Holder]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append(
                    Holder(model._meta.db_table, field.column, f"{model._meta.label}.{field.name}")
                )
    for app_label, model_name, field_name in NAME_COLUMNS:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        found.append(Holder(model._meta.db_table, field.column, f"{model._meta.label}.{field.name}"))
    return found


def stored_names(cursor) -> Iterator[tuple[str, str]]:
    """(label, name) of every stored file the database behind `cursor` refers to, each
    name once, in a stable order."""
    seen = set()
    for holder in holders():
        cursor.execute(
            f'SELECT "{holder.column}" FROM "{holder.table}" '  # noqa: S608 - names from models
            f"WHERE \"{holder.column}\" IS NOT NULL AND \"{holder.column}\" <> '' "
            f'ORDER BY "{holder.column}"'
        )
        for (name,) in cursor.fetchall():
            if name not in seen:
                seen.add(name)
                yield holder.label, name
