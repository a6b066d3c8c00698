from tests.filestore.conftest import bucket, media, s3_server  # noqa: F401 - shared fixtures
