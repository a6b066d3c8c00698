import pytest

from tests.s3server import S3Server


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def bucket(s3_server, settings, media):
    """A fresh bucket that is the service's document storage for this test; the disk
    stays configured as the other backend."""
    name = s3_server.new_bucket()
    s3 = s3_server.storage_setting(name)
    filesystem = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    settings.DOCUMENT_BACKENDS = {"filesystem": filesystem, "s3": s3}
    settings.DOCUMENT_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": s3, "filesystem": filesystem, "s3": s3}
    return name


def switch_to(settings, backend: str) -> None:
    """Make `backend` ("s3" or "filesystem") the storage the service uses."""
    settings.DOCUMENT_STORAGE = backend
    settings.STORAGES = {**settings.STORAGES, "default": settings.DOCUMENT_BACKENDS[backend]}
