"""gunicorn, started with the project's gunicorn.conf.py, sends no Server banner."""

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


@pytest.mark.system
def test_gunicorn_sends_no_server_banner():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
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
