"""A regency's own status words: previewed with counts on upload, mapped by the
administrator, then imported; the mapping is kept for files and the API alike."""

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dinsos_sync.models import RegistryPerson, Snapshot, ValueMapping
from dinsos_sync.selectors import vocabulary_for
from tests.dinsos_sync.conftest import HEIR_NIK, person, write_csv


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"


def non_dtks_file(tmp_path) -> bytes:
    rows = [
        person("social", status_dtks="NON_DTKS", desil="7"),
        person("social", nik=HEIR_NIK, nama="SITI", status_dtks="NON_DTKS", jenis_kelamin="P"),
        person("social", nik="3325012208600004", nama="BUDI", status_dtks="YA"),
    ]
    return open(write_csv(tmp_path / "dtks.csv", "social", rows), "rb").read()


def upload(client, data: bytes):
    return client.post(
        reverse("dinsos_sync:home"),
        {"source": "social", "file": SimpleUploadedFile("dtks.csv", data, "text/csv")},
    )


def test_an_unknown_status_word_is_previewed_with_its_count_before_anything_loads(
    client_for, verifikator, wilayah, tmp_path, immediate_tasks, django_capture_on_commit_callbacks
):
    client = client_for(verifikator)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, non_dtks_file(tmp_path))

    snapshot = Snapshot.objects.get()
    assert snapshot.status == Snapshot.Status.PREVIEW
    assert snapshot.unknown_values == [{"column": "status_dtks", "value": "NON_DTKS", "count": 2}]
    assert not RegistryPerson.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nilai yang belum dikenal" in page and "NON_DTKS" in page and "(2 baris)" in page


def test_a_mapped_word_is_saved_and_the_file_then_imports_whole(
    client_for, verifikator, wilayah, tmp_path, immediate_tasks, django_capture_on_commit_callbacks
):
    client = client_for(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, non_dtks_file(tmp_path))
    snapshot = Snapshot.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dinsos_sync:snapshot_map", args=[snapshot.pk]), {"value_0": "TIDAK"})

    snapshot.refresh_from_db()
    assert snapshot.status == Snapshot.Status.ACTIVE and snapshot.rows_loaded == 3
    assert RegistryPerson.objects.filter(dtks=False).count() == 2
    mapping = ValueMapping.objects.get()
    assert (mapping.column, mapping.value, mapping.meaning) == ("status_dtks", "NON_DTKS", "TIDAK")
    assert mapping.created_by == verifikator
    assert vocabulary_for("social").table("status_dtks")["NON_DTKS"] is False


def test_the_next_file_with_the_mapped_word_loads_without_a_preview(
    client_for, verifikator, wilayah, tmp_path, immediate_tasks, django_capture_on_commit_callbacks
):
    ValueMapping.objects.create(
        source="social", column="status_dtks", value="NON_DTKS", meaning="TIDAK"
    )

    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(verifikator), non_dtks_file(tmp_path))

    assert Snapshot.objects.get().status == Snapshot.Status.ACTIVE


def test_a_previewed_upload_can_be_cancelled(
    client_for, verifikator, wilayah, tmp_path, immediate_tasks, django_capture_on_commit_callbacks
):
    client = client_for(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, non_dtks_file(tmp_path))
    snapshot = Snapshot.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dinsos_sync:snapshot_map", args=[snapshot.pk]), {"cancel": "1"})

    snapshot.refresh_from_db()
    assert snapshot.status == Snapshot.Status.FAILED
    assert not ValueMapping.objects.exists()
    assert not (tmp_path / "media" / snapshot.upload_path).exists()


def test_a_word_left_unmapped_leaves_the_status_empty_with_a_warning(
    client_for, verifikator, wilayah, tmp_path, immediate_tasks, django_capture_on_commit_callbacks
):
    client = client_for(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, non_dtks_file(tmp_path))
    snapshot = Snapshot.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dinsos_sync:snapshot_map", args=[snapshot.pk]), {"value_0": "-"})

    snapshot.refresh_from_db()
    assert snapshot.status == Snapshot.Status.ACTIVE and snapshot.rows_warned == 2
    assert RegistryPerson.objects.filter(dtks=None).count() == 2
    assert not ValueMapping.objects.exists()


def test_the_administrator_edits_mappings_in_the_admin(client_for, administrator, db):
    client = client_for(administrator)
    assert ValueMapping in site._registry

    response = client.post(
        reverse("admin:dinsos_sync_valuemapping_add"),
        {
            "source": "population",
            "column": "status_hidup",
            "value": " wafat ",
            "meaning": "MENINGGAL",
        },
    )

    assert response.status_code == 302
    assert ValueMapping.objects.get().value == "WAFAT"
    assert vocabulary_for("population").table("status_hidup")["WAFAT"] is False


def test_the_admin_refuses_a_meaning_the_column_cannot_have(client_for, administrator, db):
    response = client_for(administrator).post(
        reverse("admin:dinsos_sync_valuemapping_add"),
        {"source": "population", "column": "status_hidup", "value": "X", "meaning": "YA"},
    )

    assert response.status_code == 200 and not ValueMapping.objects.exists()
