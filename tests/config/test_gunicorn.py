"""gunicorn, started with the project's gunicorn.conf.py, sends no Server banner."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def own_database(tmp_path) -> str:
    """A database file of the server's own: these tests are about gunicorn, and the
    database named in DATABASE_URL (the tests' server) may not exist at all."""
    return f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}"


@pytest.mark.system
def test_gunicorn_sends_no_server_banner(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "DATABASE_URL": own_database(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(100):  # waits for the server to listen, asserts nothing on time
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/akun/masuk/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        assert response.status == 200
        assert "Server" not in response.headers
        assert "Content-Security-Policy" in response.headers
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.system
def test_gunicorn_logs_json_lines_with_the_request_id_and_no_query_string(tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={**os.environ, "DEBUG": "1", "LOG_FORMAT": "json", "GUNICORN_WORKERS": "1",
                 "DATA_DIR": str(tmp_path), "DATABASE_URL": own_database(tmp_path)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/akun/masuk/?next=/arsip/%3Fq%3D3325011203500011"
        for _attempt in range(100):
            try:
                response = urllib.request.urlopen(url)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        request_id = response.headers["X-Request-ID"]
    finally:
        server.terminate()
        server.wait(timeout=20)

    text = log.read_text()
    assert "3325011203500011" not in text and "next=" not in text
    access = [line for line in text.splitlines() if f"rid={request_id}" in line]
    assert len(access) == 1 and '"GET /akun/masuk/" 200' in access[0]
    [application] = [
        json.loads(line) for line in text.splitlines()
        if line.startswith("{") and json.loads(line).get("request_id") == request_id
    ]
    assert application["path"] == "/akun/masuk/" and application["status"] == 200
