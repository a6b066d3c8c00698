"""Holidays loaded one year at a time: by `load_holidays YEAR FILE.csv`, and row by row
through the administration's import, with every bad row named."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from santunan.calendar import add_working_days
from santunan.models import Holiday

pytestmark = pytest.mark.django_db

YEAR_2026 = (
    "tanggal,keterangan\n"
    "2026-01-01,Tahun Baru Masehi\n"
    "17-08-2026,Hari Kemerdekaan RI\n"
    "25/12/2026,Hari Raya Natal\n"
)


def load(tmp_path, text: str, year: int = 2026, name: str = "libur.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("load_holidays", str(year), str(path), stdout=out)
    return out.getvalue()


def days(year: int = 2026) -> dict:
    return dict(Holiday.objects.filter(date__year=year).values_list("date", "name"))


def test_a_years_file_loads_its_days_in_any_of_the_usual_date_forms(tmp_path):
    out = load(tmp_path, YEAR_2026)

    assert days() == {
        date(2026, 1, 1): "Tahun Baru Masehi",
        date(2026, 8, 17): "Hari Kemerdekaan RI",
        date(2026, 12, 25): "Hari Raya Natal",
    }
    assert "3 hari; 3 ditambah, 0 diubah keterangannya, 0 dihapus" in out


def test_loading_a_revised_list_makes_the_year_match_it_and_leaves_other_years(tmp_path):
    Holiday.objects.create(date=date(2025, 12, 25), name="Hari Raya Natal")
    load(tmp_path, YEAR_2026)

    out = load(
        tmp_path,
        "tanggal;keterangan\n"  # Excel in Indonesian writes semicolons
        "2026-01-01;Tahun Baru 2026 Masehi\n"
        "2026-08-17;Hari Kemerdekaan RI\n"
        "2026-12-24;Cuti bersama Natal\n",
    )

    assert days() == {
        date(2026, 1, 1): "Tahun Baru 2026 Masehi",
        date(2026, 8, 17): "Hari Kemerdekaan RI",
        date(2026, 12, 24): "Cuti bersama Natal",
    }
    assert "1 ditambah, 1 diubah keterangannya, 1 dihapus" in out
    assert days(2025) == {date(2025, 12, 25): "Hari Raya Natal"}
    assert load(tmp_path, YEAR_2026) and load(tmp_path, YEAR_2026).endswith(
        "0 ditambah, 0 diubah keterangannya, 0 dihapus.\n"
    )


def test_a_bad_file_is_refused_whole_with_each_bad_line_named(tmp_path):
    load(tmp_path, YEAR_2026)

    with pytest.raises(CommandError) as refused:
        load(
            tmp_path,
            "tanggal,keterangan\n"
            "2026-01-01,Tahun Baru\n"
            "2026-02-30,Tanggal mustahil\n"
            "2025-05-01,Tahun lain\n"
            "2026-05-01,\n"
            "2026-01-01,Dobel\n",
        )

    message = str(refused.value)
    assert "Berkas hari libur ditolak; tidak ada yang diubah." in message
    assert 'Baris 3: Tanggal "2026-02-30" tidak dikenali' in message
    assert "Baris 4: tanggal 01-05-2025 bukan tahun 2026." in message
    assert "Baris 5: keterangan kosong." in message
    assert "Baris 6: tanggal 01-01-2026 sudah ada di baris sebelumnya." in message
    assert len(days()) == 3


def test_a_file_without_the_columns_or_not_in_utf8_is_refused(tmp_path):
    with pytest.raises(CommandError, match='judul kolom "tanggal" dan "keterangan"'):
        load(tmp_path, "2026-01-01,Tahun Baru\n")
    path = tmp_path / "latin.csv"
    path.write_bytes("tanggal,keterangan\n2026-01-01,Tahun Baru Masehi é\n".encode("latin-1"))
    with pytest.raises(CommandError, match="bukan teks UTF-8"):
        call_command("load_holidays", "2026", str(path))
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("load_holidays", "2026", str(tmp_path / "tidak-ada.csv"))
    assert not Holiday.objects.exists()


def test_loaded_holidays_move_the_service_promise(tmp_path):
    # Thursday 13 Aug 2026 + 3 working days: Tuesday 18 Aug, then Wednesday 19 Aug once
    # Independence Day (Monday 17 Aug) is a holiday.
    assert add_working_days(date(2026, 8, 13), 3) == date(2026, 8, 18)
    load(tmp_path, YEAR_2026)
    assert add_working_days(date(2026, 8, 13), 3) == date(2026, 8, 19)


# --- the administration's import ---------------------------------------------------------------


def admin_import(client, text: str):
    """Upload a CSV to the holiday import page (django-import-export's first step)."""
    return client.post(
        reverse("admin:santunan_holiday_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("libur.csv", text.encode("utf-8"), "text/csv"),
        },
    )


def test_the_administration_imports_holidays_after_a_preview(client_for, administrator):
    client = client_for(administrator)

    preview = admin_import(client, YEAR_2026)
    assert preview.status_code == 200
    form = preview.context["confirm_form"]
    confirmed = client.post(
        reverse("admin:santunan_holiday_process_import"),
        {name: form.initial.get(name, field.initial) for name, field in form.fields.items()},
    )

    assert confirmed.status_code == 302
    assert days()[date(2026, 8, 17)] == "Hari Kemerdekaan RI"
    assert len(days()) == 3
    # Imported days are the office's: the built-in calendar never changes them.
    assert set(Holiday.objects.values_list("source", flat=True)) == {Holiday.Source.NATIONAL}


def test_imported_collective_leave_is_recorded_as_such(client_for, administrator):
    client = client_for(administrator)
    preview = admin_import(client, "tanggal,keterangan\n2026-12-24,Cuti bersama Natal\n")
    form = preview.context["confirm_form"]

    client.post(
        reverse("admin:santunan_holiday_process_import"),
        {name: form.initial.get(name, field.initial) for name, field in form.fields.items()},
    )

    assert Holiday.objects.get(date=date(2026, 12, 24)).source == Holiday.Source.COLLECTIVE_LEAVE


def test_the_administration_names_the_bad_rows_in_indonesian_and_imports_nothing(
    client_for, administrator
):
    response = admin_import(
        client_for(administrator),
        "tanggal,keterangan\n2026-01-01,Tahun Baru\nbesok,Libur\n2026-05-01,\n",
    )

    page = response.content.decode()
    assert "Tanggal &quot;besok&quot; tidak dikenali" in page
    assert response.context.get("confirm_form") is None
    assert not Holiday.objects.exists()
