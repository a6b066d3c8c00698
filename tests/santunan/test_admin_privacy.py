"""No personal number in an admin address, and opening personal data in the admin is
logged like in the service."""

import logging
from datetime import date

from django.contrib import admin
from django.urls import reverse

from dinsos_sync.models import RegistryPerson, Snapshot
from santunan.models import AccessLog, Claim
from tests.santunan.factories import submitted_claim


def test_no_admin_list_searches_a_personal_number():
    personal = {"nik", "deceased_nik", "heir_nik", "deceased_kk", "kk", "bank_account"}
    for model_admin in admin.site._registry.values():
        fields = {f.lstrip("=^@").split("__")[-1] for f in model_admin.search_fields}
        assert not fields & personal, model_admin


def test_opening_a_claim_in_the_admin_is_in_its_access_log(client_for, administrator, operator_a):
    claim = submitted_claim(operator_a)

    response = client_for(administrator).get(
        reverse("admin:santunan_claim_change", args=[claim.pk])
    )

    assert response.status_code == 200
    log = AccessLog.objects.get(claim=claim, user=administrator)
    assert log.what == "admin:claim"


def test_opening_a_registry_person_is_logged_without_the_data(
    client_for, administrator, verifikator, caplog
):
    snapshot = Snapshot.objects.create(
        source="population", received_on=date(2026, 1, 1), loaded_by=verifikator
    )
    person = RegistryPerson.objects.create(
        snapshot=snapshot, nik="3325011203500001", name="Slamet", birth_date=date(1950, 3, 12)
    )

    with caplog.at_level(logging.INFO, logger="santunan.access"):
        client_for(administrator).get(
            reverse("admin:dinsos_sync_registryperson_change", args=[person.pk])
        )

    lines = [r.getMessage() for r in caplog.records if r.name == "santunan.access"]
    assert any(f"id={person.pk}" in line for line in lines)
    assert not any("3325011203500001" in line or "Slamet" in line for line in lines)
    assert not Claim.objects.exists()
