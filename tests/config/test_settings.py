import os
import subprocess
import sys

from tests.conftest import ROOT


def run_manage(*args, env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    # A clean production-like environment: nothing the test run itself set (browser
    # tests allow async-unsafe ORM calls for Playwright's event loop).
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DATA_DIR": str(tmp_path), **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_prints_no_warnings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DEBUG": "0",
            "SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 6,
            "ALLOWED_HOSTS": "santunan.batangkab.go.id",
        },
        tmp_path=tmp_path,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_debug_a_secret_key_is_required(tmp_path):
    result = run_manage("check", env_extra={"DEBUG": "0"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_secret_can_be_read_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-" + "z" * 50)

    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env_extra={"DEBUG": "0", "SECRET_KEY_FILE": str(secret), "ALLOWED_HOSTS": "x"},
        tmp_path=tmp_path,
    )

    assert result.stdout.strip() == "from-a-file-" + "z" * 50


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    env = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])"
    )

    result = run_manage("shell", "--no-imports", "-c", code, env_extra=env, tmp_path=tmp_path)

    assert result.stdout.split() == ["wal", "30000"]
