"""A registry extract uploaded to one web server is kept in the bucket; the worker,
which may run on another machine, loads it from a temporary copy and the object is
removed afterwards."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dinsos_sync.models import RegistryPerson, Snapshot
from tests.dinsos_sync.conftest import person, write_csv


def test_an_extract_kept_in_the_bucket_is_loaded_by_the_worker_and_removed(
    client_for, verifikator, wilayah, tmp_path, bucket, s3_server, settings,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    rows = [person("population", nik=f"33250112035000{n:02d}") for n in range(1, 4)]
    path = write_csv(tmp_path / "dukcapil.csv", "population", rows)
    upload = SimpleUploadedFile("dukcapil.csv", open(path, "rb").read(), "text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        client_for(verifikator).post(
            reverse("dinsos_sync:home"), {"source": "population", "file": upload}
        )

    snapshot = Snapshot.objects.get()
    assert snapshot.status == Snapshot.Status.ACTIVE, snapshot.message
    assert RegistryPerson.objects.filter(snapshot=snapshot).count() == 3
    assert s3_server.objects(bucket) == {}
