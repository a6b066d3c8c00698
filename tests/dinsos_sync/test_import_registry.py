"""The import_registry command."""

import pytest
from django.core.management import CommandError, call_command

from dinsos_sync.models import Snapshot
from tests.dinsos_sync.conftest import person, write_csv


def test_it_loads_a_file_and_prints_progress(tmp_path, wilayah, capsys):
    path = write_csv(tmp_path / "dtks.csv", "social", [person("social")])

    call_command("import_registry", "--source", "social", path, "--received", "2025-06-30")

    output = capsys.readouterr().out
    assert "1 baris dibaca" in output and "aktif" in output
    assert Snapshot.objects.get().received_on.isoformat() == "2025-06-30"


def test_it_fails_with_the_reason_when_the_file_is_refused(tmp_path, wilayah, capsys):
    path = write_csv(tmp_path / "dtks.csv", "social", [person("social", nik="3,32501E+15")])

    with pytest.raises(CommandError, match="Berkas ditolak"):
        call_command("import_registry", "--source", "social", path)
    assert "baris 2: NIK rusak oleh Excel" in capsys.readouterr().out
