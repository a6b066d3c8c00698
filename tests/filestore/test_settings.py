"""DOCUMENT_STORAGE and the S3_* variables, read the way a server reads them."""

from tests.config.test_settings import run_manage


def shell(code: str, env: dict, tmp_path):
    return run_manage("shell", "--no-imports", "-c", code, env_extra={"DEBUG": "1", **env}, tmp_path=tmp_path)


def test_the_bucket_and_its_secret_from_a_file_configure_the_s3_backend(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("rahasia-dari-berkas\n")

    result = shell(
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.secret_key, s.default_acl, s.location)",
        {
            "DOCUMENT_STORAGE": "s3",
            "S3_BUCKET": "dokumen-batang",
            "S3_SECRET_ACCESS_KEY_FILE": str(secret),
            "S3_PREFIX": "/batang/",
        },
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "DocumentS3Storage", "dokumen-batang", "rahasia-dari-berkas", "private", "batang",
    ]


def test_s3_without_a_bucket_or_an_unknown_backend_stops_the_start(tmp_path):
    for env in ({"DOCUMENT_STORAGE": "s3"}, {"DOCUMENT_STORAGE": "ftp"}):
        result = run_manage("check", env_extra={"DEBUG": "1", **env}, tmp_path=tmp_path)

        assert result.returncode != 0
        assert "DOCUMENT_STORAGE must be 'filesystem' or 's3'" in result.stderr
