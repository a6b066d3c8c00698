"""A catalogue of hostile or mistaken input, typed into the claim form as a person
does: each gets a clear Indonesian message and nothing is stored."""

import pytest
from django.urls import reverse

from santunan.models import Claim

ARABIC_INDIC = "".join(chr(0x0660 + int(d)) for d in "3325011203500001")


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("deceased_nik", "33250112035000011", "harus 16 angka; yang diisi 17 angka"),
        ("deceased_nik", "3325-0112-0350-001", "harus 16 angka; yang diisi 15 angka"),
        ("deceased_nik", ARABIC_INDIC, "harus 16 angka 0–9"),
        ("deceased_nik", "3325O11203500001", "harus 16 angka 0–9"),
        ("deceased_nik", "３３２５", "yang diisi 4 angka"),
        ("deceased_nik", "3325011203500000", "nomor urut 0000"),
        ("deceased_nik", "3325013202500001", "tanggal lahir"),
        ("deceased_kk", "3325 0101 0109 00", "yang diisi 14 angka"),
        ("deceased_kk", "33250101010900O1", "harus 16 angka 0–9"),
        ("deceased_birth_date", "0001-01-01", "sebelum tahun 1900"),
        ("deceased_birth_date", "1899-12-31", "sebelum tahun 1900"),
        ("deceased_birth_date", "9999-01-01", "masa depan"),
        ("death_date", "31-02-2026", "Tanggal itu tidak ada di kalender"),
        ("deceased_address", "x" * 501, "paling banyak 500 karakter"),
        ("death_place", "=cmd|' /C calc'!A0", "tidak boleh diawali"),
        ("deceased_name", '=HYPERLINK("http://evil.example","klik")', "tidak boleh diawali"),
        ("deceased_name", "@SUM(1+1)", "tidak boleh diawali"),
        ("deceased_name", "+62 Slamet", "tidak boleh diawali"),
        ("deceased_name", "\tSlamet", None),  # the form strips it: stored as "Slamet"
        ("deceased_name", "x" * 151, "paling banyak 150 karakter"),
    ],
)
def test_bad_input_on_the_first_step_is_explained_and_nothing_stored(
    client_for, operator_a, field, value, message
):
    data = {"deceased_name": "Slamet Riyadi", field: value}

    response = client_for(operator_a).post(reverse("santunan:claim_new"), data)

    if message is None:
        assert Claim.objects.get().deceased_name == "Slamet"
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists()
