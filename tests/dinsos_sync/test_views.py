"""The Data registri pages: upload and progress, bad-row report, downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from dinsos_sync.models import Snapshot
from dinsos_sync.services import check_claims
from santunan.models import Status
from tests.dinsos_sync.conftest import DECEASED_NIK, person, write_csv


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_verifier_uploads_a_file_and_follows_its_load(
    client_for, verifikator, wilayah, tmp_path, immediate_tasks, django_capture_on_commit_callbacks
):
    path = write_csv(
        tmp_path / "dukcapil.csv",
        "population",
        [person("population"), person("population", nik="123")],
    )
    client = client_for(verifikator)
    upload = SimpleUploadedFile("dukcapil.csv", open(path, "rb").read(), "text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dinsos_sync:home"), {"source": "population", "file": upload}
        )

    snapshot = Snapshot.objects.get()
    assert response["Location"] == reverse("dinsos_sync:snapshot", args=[snapshot.pk])
    assert snapshot.status == Snapshot.Status.REFUSED  # one bad row of two is above 1 %
    page = client.get(response["Location"]).content.decode()
    assert "Baris yang ditolak" in page and "NIK harus 16 angka" in page
    report = client.get(reverse("dinsos_sync:snapshot_problems", args=[snapshot.pk]))
    assert "3,NIK harus 16 angka." in report.content.decode("utf-8-sig")


def test_the_progress_partial_polls_while_loading_and_reloads_when_done(
    client_for, verifikator, db
):
    snapshot = Snapshot.objects.create(
        source="social",
        received_on="2025-01-01",
        status=Snapshot.Status.LOADING,
        progress_total=200,
        progress_done=50,
        rows_read=1000,
    )
    client = client_for(verifikator)
    url = reverse("dinsos_sync:snapshot_progress", args=[snapshot.pk])

    running = client.get(url)
    assert 'hx-trigger="every 2s"' in running.content.decode() and "25%" in running.content.decode()
    Snapshot.objects.filter(pk=snapshot.pk).update(status=Snapshot.Status.ACTIVE)
    assert client.get(url)["HX-Refresh"] == "true"


def test_a_village_official_cannot_open_the_registry_pages(client_for, operator_a):
    assert client_for(operator_a).get(reverse("dinsos_sync:home")).status_code == 403


def test_the_verifier_navigation_shows_data_registri(client_for, verifikator):
    page = client_for(verifikator).get(reverse("dinsos_sync:home")).content.decode()

    assert "Data registri" in page and reverse("dinsos_sync:home") in page


def test_it_downloads_the_social_feedback_file_as_xlsx(client_for, verifikator, make_claim):
    make_claim(status=Status.PAID)
    make_claim(status=Status.REJECTED)

    response = client_for(verifikator).get(reverse("dinsos_sync:report", args=["social", "xlsx"]))

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("nik", "nama", "tanggal_meninggal")
    assert [row[0] for row in rows[1:]] == [DECEASED_NIK]


def test_an_unknown_report_is_not_found(client_for, verifikator):
    response = client_for(verifikator).get(reverse("dinsos_sync:report", args=["pajak", "csv"]))

    assert response.status_code == 404


def render_findings(claim, user) -> str:
    from django.contrib.auth.context_processors import PermWrapper

    return Template('{% include "dinsos_sync/_findings.html" %}').render(
        Context({"claim": claim, "perms": PermWrapper(user)})
    )


def test_the_claim_page_partial_shows_a_pending_check(make_claim, verifikator):
    html = render_findings(make_claim(), verifikator)

    assert "Pemeriksaan registri menunggu" in html
    assert "Verifikasi terhalang" not in html


def test_the_claim_page_partial_shows_findings_and_how_to_override_them(
    load_registry, make_claim, verifikator
):
    load_registry("population", [person("population", kode_desa="33.74.01.1001")])
    load_registry("social", [person("social")])
    claim = make_claim()
    check_claims(claim_ids=[claim.pk])

    html = render_findings(claim, verifikator)

    assert "badge-blocker" in html and "tidak berdomisili" in html
    assert "Alasan mengabaikan temuan registri" in html


@pytest.mark.parametrize(
    "name,content,words",
    [
        ("dtks.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "bukan CSV atau XLSX"),
        ("dtks.xlsx", b"PK\x03\x04" + b"\x00" * 40, "bukan lembar kerja XLSX"),
        ("dtks.csv", b"", "kosong"),
    ],
)
def test_a_file_that_is_not_csv_or_xlsx_is_refused_before_it_is_queued(
    client_for, verifikator, immediate_tasks, name, content, words
):
    response = client_for(verifikator).post(
        reverse("dinsos_sync:home"),
        {"source": "population", "file": SimpleUploadedFile(name, content, "text/csv")},
    )

    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Snapshot.objects.exists()
