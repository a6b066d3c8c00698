import os
import subprocess
import sys

from tests.conftest import ROOT


def run_manage(*args, env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    # A clean production-like environment: nothing the test run itself set (browser
    # tests allow async-unsafe ORM calls for Playwright's event loop).
    dropped = {
        "DEBUG",
        "SECRET_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DATABASE_URL",
        "PUBLIC_BASE_URL",
        "PUBLIC_BASE_URL_FILE",
    }
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
            "PUBLIC_BASE_URL": "https://santunan.batangkab.go.id",
        },
        tmp_path=tmp_path,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "a1B2c3D4e5" * 6,
    "ALLOWED_HOSTS": "santunan.batangkab.go.id",
}


def test_check_deploy_reports_a_missing_public_base_url(tmp_path):
    result = run_manage("check", "--deploy", env_extra=PRODUCTION, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "santunan.E001" in result.stderr and "PUBLIC_BASE_URL is not set" in result.stderr


def test_check_deploy_reports_the_development_default_when_not_set_explicitly(tmp_path):
    # With DEBUG on the letters default to the development server's address; a deploy
    # check still wants the public one written down.
    result = run_manage(
        "check", "--deploy", env_extra={**PRODUCTION, "DEBUG": "1"}, tmp_path=tmp_path
    )

    assert "santunan.E001" in result.stderr


def test_check_deploy_refuses_a_public_base_url_that_is_not_an_address(tmp_path):
    env = {**PRODUCTION, "PUBLIC_BASE_URL": "santunan.batangkab.go.id"}

    result = run_manage("check", "--deploy", env_extra=env, tmp_path=tmp_path)

    assert "santunan.E002" in result.stderr


def test_public_base_url_defaults_to_the_development_server_only_with_debug(tmp_path):
    code = "from django.conf import settings; print(repr(settings.PUBLIC_BASE_URL))"
    shell = ("shell", "--no-imports", "-c", code)

    development = run_manage(*shell, env_extra={"DEBUG": "1"}, tmp_path=tmp_path)
    production = run_manage(*shell, env_extra=PRODUCTION, tmp_path=tmp_path)
    chosen = run_manage(
        *shell, env_extra={**PRODUCTION, "PUBLIC_BASE_URL": "https://x.go.id/"}, tmp_path=tmp_path
    )

    assert development.stdout.strip() == "'http://127.0.0.1:8000'"
    assert production.stdout.strip() == "''"
    assert chosen.stdout.strip() == "'https://x.go.id'"


def test_make_run_points_the_letters_at_the_port_it_serves_on():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert "PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:8101}" in result.stdout
    assert "runserver --noreload 127.0.0.1:8101" in result.stdout


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
