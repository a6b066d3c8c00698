"""`load_demo_registries` (make run): extracts made from the demo claims load through the
importer, and once the worker has run every open demo claim is checked, most agreeing
with the registries and a few showing each kind of finding."""

import csv
import io
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from dinsos_sync.demo_extracts import acceptable, build_extracts
from dinsos_sync.exports import to_csv
from dinsos_sync.layouts import template_header
from dinsos_sync.models import Finding, RegistryCheck, Snapshot
from dinsos_sync.services import open_claim_ids


def demo_registries(*args) -> str:
    out = StringIO()
    call_command("load_demo_registries", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_claims(wilayah, operator_a):
    call_command("generate_claims", 40, "--seed", "11", "--every-state", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_demo_claims_get_real_findings_after_the_worker_runs(demo_claims):
    out = demo_registries("--if-empty")

    active = {s.source: s for s in Snapshot.objects.filter(status=Snapshot.Status.ACTIVE)}
    assert set(active) == {"population", "social"}
    assert all(s.rows_refused == 0 and s.rows_warned == 0 for s in active.values())
    assert "Pemeriksaan ulang semua klaim terbuka diantrekan" in out

    call_command("run_worker", "--batch", verbosity=0, stdout=StringIO())

    open_ids = open_claim_ids()
    assert len(open_ids) >= 7
    checks = RegistryCheck.objects.filter(claim_id__in=open_ids)
    assert sorted(checks.values_list("status", flat=True)) == ["done"] * len(open_ids)
    codes = Counter(Finding.objects.filter(claim_id__in=open_ids).values_list("code", flat=True))
    # Every demo claim's deceased is in both registries' view of the regency...
    assert not {"not_in_population", "population_unavailable", "social_unavailable"} & set(codes)
    # ...and the registries say something about a few of them, as in a real regency.
    assert {"death_not_recorded", "household_not_poor", "heir_not_in_kk"} <= set(codes)
    clean = [pk for pk in open_ids if not Finding.objects.filter(claim_id=pk).exists()]
    assert len(clean) * 3 >= len(open_ids)


@pytest.mark.django_db
def test_a_second_run_leaves_loaded_registries_alone(demo_claims):
    demo_registries("--if-empty")

    assert demo_registries("--if-empty") == "Data registri sudah ada; tidak ada yang dimuat.\n"
    assert Snapshot.objects.count() == 2


@pytest.mark.django_db
def test_the_extracts_are_written_in_the_upload_templates_layout(demo_claims, settings):
    settings.REGISTRY_COLUMNS = {"social": {"nik": "NIK_KEPALA", "desil": "DESIL_DTSEN"}}
    extracts = acceptable(build_extracts())

    written = to_csv(template_header("social"), extracts.social)
    header = next(csv.reader(io.StringIO(written.decode("utf-8-sig"))))

    assert header[0] == "nik_kepala" and "desil_dtsen" in header
    assert len(extracts.social) == len(build_extracts().social)
    demo_registries()
    assert Snapshot.objects.get(source="social", status="active").rows_refused == 0
