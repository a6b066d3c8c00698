"""Structured logs: one JSON object per line with the request's id, method and path
(never its query string), and no NIK, KK or phone number even when code logs one."""

import json
import logging

import pytest

from config.logs import JsonFormatter, PersonalDataFilter, mask_personal_data


@pytest.fixture
def json_lines():
    """Log records of the request logger and the test's own logger, formatted as in
    production, through the personal-data filter."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PersonalDataFilter())
    loggers = [logging.getLogger("esantunan.request"), logging.getLogger("tests.logs")]
    saved = [(one, one.level) for one in loggers]
    for one in loggers:
        one.addHandler(handler)
        one.setLevel(logging.INFO)
    yield lines
    for one, level in saved:
        one.removeHandler(handler)
        one.setLevel(level)


@pytest.mark.parametrize(
    "text",
    [
        "NIK 3325011203500011 tidak cocok",
        "KK 3325-0101-0109-0001 dipakai dua kali",
        "nomor 3325 0112 0350 0011",
        "telepon 081234567890 gagal",
        "telepon +62 812-3456-7890 gagal",
        "telepon 6281234567890 gagal",
        "telepon 0812.3456.789 gagal",
    ],
)
def test_numbers_that_identify_a_person_are_masked(text):
    masked = mask_personal_data(text)

    assert not any(char.isdigit() for char in masked), masked
    assert "disamarkan" in masked


@pytest.mark.parametrize(
    "text",
    [
        "klaim SKM-2026-000123 diajukan",
        "batch 460/12/SANT/2026 ditandatangani",
        "42 tugas selesai dalam 1500 ms",
        "kode wilayah 33.25.01.2001",
    ],
)
def test_other_numbers_stay_readable(text):
    assert mask_personal_data(text) == text


def test_the_filter_masks_arguments_and_exception_text(json_lines):
    log = logging.getLogger("tests.logs")
    try:
        raise ValueError("NIK 3325011203500011 ditolak")
    except ValueError:
        log.exception("cek %s untuk %s", "3325011203500011", "081234567890")

    [line] = json_lines
    assert line["message"] == "cek [nomor disamarkan] untuk [telepon disamarkan]"
    assert "3325011203500011" not in line["exception"]
    assert "ValueError: NIK [nomor disamarkan] ditolak" in line["exception"]
    assert line["level"] == "ERROR" and line["logger"] == "tests.logs"


@pytest.mark.django_db
def test_each_request_logs_one_json_line_without_its_query_string(client, json_lines):
    response = client.get("/akun/masuk/?next=/arsip/%3Fq%3D3325011203500011")

    [line] = [one for one in json_lines if one["logger"] == "esantunan.request"]
    assert line["method"] == "GET"
    assert line["path"] == "/akun/masuk/"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert set(line) == {
        "time", "level", "logger", "message", "request_id", "method", "path", "status",
        "duration_ms",
    }
    assert "3325011203500011" not in json.dumps(json_lines)


@pytest.mark.django_db
def test_a_valid_request_id_from_the_proxy_is_kept(client, json_lines):
    given = "0f8e2a6c9b4d4e21a7c35f0d12ab34cd"

    response = client.get("/healthz", headers={"X-Request-ID": given})

    assert response["X-Request-ID"] == given
    assert [one["request_id"] for one in json_lines] == [given]


@pytest.mark.django_db
@pytest.mark.parametrize("forged", ["abc", "x" * 200, "id\nFAKE log line", "id with spaces"])
def test_a_forged_request_id_is_replaced(client, forged):
    response = client.get("/healthz", headers={"X-Request-ID": forged})

    assert response["X-Request-ID"] != forged
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_lines_logged_while_serving_a_request_carry_its_id(client, json_lines, settings):
    """A line logged while serving (here the health check's storage failure, logged by
    the storage check) carries the id."""
    settings.MEDIA_ROOT = "/proc/tidak-bisa-ditulis"
    logging.getLogger("filestore.storage").addHandler(logging.getLogger("tests.logs").handlers[-1])
    try:
        response = client.get("/healthz")
    finally:
        logging.getLogger("filestore.storage").removeHandler(
            logging.getLogger("tests.logs").handlers[-1]
        )

    failure = [one for one in json_lines if one["logger"] == "filestore.storage"]
    assert failure and failure[0]["request_id"] == response["X-Request-ID"]
    assert failure[0]["path"] == "/healthz" and failure[0]["level"] == "WARNING"
