"""The import report of a file whose unmapped word touches thousands of rows: the
warnings are counted by kind with a few example lines, and every refused row is listed,
never pushed out by the warnings."""

import csv
import io
import re

import pytest
from django.urls import reverse

from dinsos_sync.files import WARNING_EXAMPLES
from dinsos_sync.models import ImportProblem, Snapshot
from tests.dinsos_sync.conftest import person

WARNED, REFUSED = 12_000, 175


def nik(serial: int) -> str:
    # Born 12-03-1950 in kecamatan 01 (men) or 02: a distinct valid NIK per serial.
    return f"33250{1 + serial // 9999}120350{serial % 9999 + 1:04d}"


@pytest.fixture
def crowded_file_snapshot(load_registry, settings, monkeypatch):
    """12,000 rows kept with warnings (an unmapped DTKS word, some with a decile out of
    range too) and 175 refused rows spread among them, loaded in many small batches as
    a big file would be."""
    settings.REGISTRY_MAX_BAD_SHARE = 0.05
    monkeypatch.setattr("dinsos_sync.services.BATCH_ROWS", 1_000)
    rows, refused_lines = [], []
    for index in range(WARNED + REFUSED):
        line = index + 2
        if index % 69 == 35 and len(refused_lines) < REFUSED:
            refused_lines.append(line)
            rows.append(person("social", nik=nik(index), nama=""))
        else:
            decile = "12" if index % 10 == 0 else "3"
            rows.append(person("social", nik=nik(index), status_dtks="NON_DTKS", desil=decile))
    assert len(refused_lines) == REFUSED
    return load_registry("social", rows), refused_lines


def test_every_refused_row_is_stored_beside_thousands_of_warnings(crowded_file_snapshot):
    snapshot, refused_lines = crowded_file_snapshot

    assert snapshot.status == Snapshot.Status.ACTIVE
    assert (snapshot.rows_refused, snapshot.rows_loaded) == (REFUSED, WARNED)
    assert snapshot.rows_warned == WARNED
    stored = snapshot.problems.filter(kind=ImportProblem.Kind.REFUSED)
    assert sorted(stored.values_list("line", flat=True)) == refused_lines
    assert all(message == "Nama kosong." for message in stored.values_list("message", flat=True))


def test_warnings_are_grouped_by_kind_with_counts_and_a_few_examples(crowded_file_snapshot):
    snapshot, refused_lines = crowded_file_snapshot

    groups = {group["message"].split(".")[0]: group for group in snapshot.report["warnings"]}

    assert groups["Status DTKS tidak dikenal (YA atau TIDAK)"]["count"] == WARNED
    decile_rows = sum(
        1 for i in range(WARNED + REFUSED) if i % 10 == 0 and i + 2 not in refused_lines
    )
    assert groups["Desil harus angka 1–10 atau kosong"]["count"] == decile_rows
    assert groups["Status DTKS tidak dikenal (YA atau TIDAK)"]["lines"] == [2, 3, 4, 5, 6]
    assert all(len(group["lines"]) == WARNING_EXAMPLES for group in groups.values())
    examples = snapshot.problems.filter(kind=ImportProblem.Kind.WARNING).count()
    assert examples == WARNING_EXAMPLES * len(groups)


def test_the_page_lists_every_refused_row_and_the_warnings_by_kind(
    crowded_file_snapshot, client_for, verifikator
):
    snapshot, refused_lines = crowded_file_snapshot

    page = client_for(verifikator).get(reverse("dinsos_sync:snapshot", args=[snapshot.pk]))

    text = page.content.decode()
    listed = [int(line) for line in re.findall(r"<tr><td>(\d+)</td><td>Nama kosong\.</td>", text)]
    assert listed == refused_lines
    assert re.search(r"Status DTKS tidak dikenal.*?</td><td>12[.,]000</td><td>2, 3, 4, 5, 6<", text)
    assert "Pemetaan nilai registri" in text


def test_the_csv_report_lists_every_refused_row_first(
    crowded_file_snapshot, client_for, verifikator
):
    snapshot, refused_lines = crowded_file_snapshot

    response = client_for(verifikator).get(
        reverse("dinsos_sync:snapshot_problems", args=[snapshot.pk])
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    refused = [int(line) for line, _message, kind in rows if kind == "Ditolak"]
    assert refused == refused_lines
    assert [kind for _line, _message, kind in rows[:REFUSED]] == ["Ditolak"] * REFUSED
