from django.conf import settings
from django.db import migrations, models


def fill_search_names(apps, schema_editor):
    """Every claim's names in the spelling-neutral form (santunan.names). Each distinct
    name is brought to that form once, in Python, into a small table; one UPDATE then
    writes every claim from it, so the work grows with the regency's names, not its
    claims. The rules run here as they are today: a later change to them needs a
    migration of its own that fills the column again."""
    from santunan.names import spelling_neutral

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT deceased_name FROM santunan_claim UNION SELECT heir_name FROM santunan_claim"
        )
        names = [name for (name,) in cursor.fetchall() if name]
        if not names:
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE claim_name_forms "
            "(name varchar(150) PRIMARY KEY, form text NOT NULL)"
        )
        cursor.executemany(
            "INSERT INTO claim_name_forms (name, form) VALUES (%s, %s)",
            [(name, spelling_neutral(name)) for name in names],
        )
        # A name not in the table (empty) has the empty form, as search_names gives it.
        form_of = "COALESCE((SELECT form FROM claim_name_forms WHERE name = santunan_claim.{}), '')"
        cursor.execute(
            f"UPDATE santunan_claim SET search_names = {form_of.format('deceased_name')} "
            f"|| %s || {form_of.format('heir_name')}",
            ["\n"],
        )
        cursor.execute("DROP TABLE claim_name_forms")


def trigram_index(apps, schema_editor):
    """A name search finds a rare name through this index (the archive's index serves
    the common ones, walked newest first), as claim_search_text_trgm_idx does for the
    names as written."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS claim_search_names_trgm_idx ON santunan_claim "
        "USING gin (search_names gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS claim_search_names_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("santunan", "0015_payment_power_of_attorney"),
        ("villages", "0004_regency_and_area_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="claim",
            name="claim_archive_idx",
        ),
        migrations.AddField(
            model_name="claim",
            name="search_names",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                verbose_name="nama untuk pencarian ejaan",
            ),
        ),
        # Filled before its indexes are built, so they are built once, from full rows.
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
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
                    "search_text",
                    "search_names",
                ),
                name="claim_archive_idx",
            ),
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
