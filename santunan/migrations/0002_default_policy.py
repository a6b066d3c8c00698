from datetime import date

from django.db import migrations


def create_batang_policy(apps, schema_editor):
    # Batang's santunan kematian since 2017: Rp1.000.000, within 60 days of the death,
    # decided within 3 working days (SOP copied from Kota Semarang).
    BenefitPolicy = apps.get_model("santunan", "BenefitPolicy")
    BenefitPolicy.objects.get_or_create(
        effective_from=date(2017, 1, 1),
        defaults={"name": "Santunan kematian Kabupaten Batang", "amount": 1_000_000,
                  "deadline_days": 60, "deadline_in_working_days": False, "service_days": 3,
                  "poor_decile_max": 5},
    )


class Migration(migrations.Migration):
    dependencies = [("santunan", "0001_initial")]
    operations = [migrations.RunPython(create_batang_policy, migrations.RunPython.noop)]
