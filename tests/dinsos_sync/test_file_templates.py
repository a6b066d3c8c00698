"""The upload page names each registry's columns and offers templates built from the
importer's own layout: what a template holds is exactly what the importer reads."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dinsos_sync.files import LAYOUTS, REQUIRED, column_mapping
from dinsos_sync.layouts import template_columns, template_file
from dinsos_sync.models import RegistryPerson, Snapshot
from dinsos_sync.services import import_snapshot

SOURCES = ["population", "social"]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [
        [cell if cell is not None else "" for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_template_has_the_importers_columns_and_its_example_row_loads(
    source, fmt, wilayah, tmp_path
):
    data = template_file(source, fmt)
    header, example = (csv_rows if fmt == "csv" else xlsx_rows)(data)

    assert header == LAYOUTS[source]
    path = tmp_path / f"templat.{fmt}"
    path.write_bytes(data)
    snapshot = import_snapshot(source=source, path=path)
    assert (snapshot.status, snapshot.rows_loaded, snapshot.rows_refused) == (
        Snapshot.Status.ACTIVE,
        1,
        0,
    )
    assert snapshot.problems.count() == 0
    assert RegistryPerson.objects.get(snapshot_id=snapshot.pk).nik == example[0]


@pytest.mark.parametrize("source", SOURCES)
def test_the_required_columns_are_the_importers(source, db):
    columns = template_columns(source)

    assert [c.key for c in columns if c.required] == [
        key for key in LAYOUTS[source] if key in REQUIRED[source]
    ]
    assert all(c.description for c in columns)


def test_a_regency_with_its_own_column_names_gets_them_in_the_template(settings, wilayah, tmp_path):
    settings.REGISTRY_COLUMNS = {"population": {"nik": "NIK_PENDUDUK", "status_hidup": "STATUS"}}

    header = csv_rows(template_file("population", "csv"))[0]

    assert header == list(column_mapping("population").values())
    assert header[0] == "nik_penduduk" and "status" in header
    path = tmp_path / "templat.csv"
    path.write_bytes(template_file("population", "csv"))
    assert import_snapshot(source="population", path=path).rows_loaded == 1


def test_the_upload_page_names_each_sources_columns_and_links_the_templates(
    client_for, verifikator, wilayah
):
    page = client_for(verifikator).get(reverse("dinsos_sync:home")).content.decode()

    for source in SOURCES:
        assert f'id="layout-{source}"' in page
        for fmt in ("csv", "xlsx"):
            assert reverse("dinsos_sync:template", args=[source, fmt]) in page
        for column in template_columns(source):
            assert f'data-label="Kolom"><span>{column.header}' in page
    assert "tanggal_meninggal" in page and "desil" in page
    assert "Kolom bertanda * wajib" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_template_downloads_as_an_attachment(client_for, verifikator, wilayah, fmt):
    response = client_for(verifikator).get(reverse("dinsos_sync:template", args=["social", fmt]))

    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="templat-registri-sosial.{fmt}"'
    )
    assert response.content == template_file("social", fmt)


def test_an_unknown_template_is_not_found_and_others_may_not_download(
    client_for, verifikator, operator_a
):
    assert client_for(verifikator).get("/registri/templat/rahasia.csv").status_code == 404
    assert client_for(verifikator).get("/registri/templat/social.pdf").status_code == 404
    assert (
        client_for(operator_a)
        .get(reverse("dinsos_sync:template", args=["social", "csv"]))
        .status_code
        == 403
    )
