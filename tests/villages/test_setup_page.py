"""The first-run page: the administrator chooses a province, then a regency of the
shipped table, confirms, then enters the office identity. Others may not."""

import pytest
from django.urls import reverse
from django.utils import timezone

from office.models import Letterhead, Official
from office.selectors import head_on, letterhead_on, treasurer_on
from santunan.models import BenefitPolicy
from tests.santunan.factories import submitted_claim
from villages.models import Desa, Kecamatan, Regency

pytestmark = pytest.mark.django_db

SETUP = reverse("villages:setup")
CONFIRM = reverse("villages:setup_confirm")
OFFICE = reverse("villages:office_identity")
IDENTITY = {
    "office": "Dinas Sosial",
    "address": "Jl. Pemuda No. 148",
    "postal_code": "50132",
    "phone": "(024) 3513366",
    "email": "dinsos@semarangkota.go.id",
    "place": "Semarang",
    "head_name": "Drs. Heru Santoso",
    "head_nip": "196805121990031004",
    "treasurer_name": "Sri Wahyuni",
    "treasurer_nip": "197903082006042011",
}


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)


def text(response) -> str:
    return response.content.decode()


def test_the_administrators_home_leads_to_the_setup_while_nothing_is_set_up(admin_client):
    response = admin_client.get(reverse("home"))

    assert response.url == SETUP
    assert "Belum ada kabupaten/kota yang dipasang" in text(admin_client.get(SETUP))


def test_choosing_a_province_lists_only_its_regencies(admin_client):
    page = text(admin_client.get(SETUP, {"provinsi": "33"}))

    assert "Kota Semarang" in page and "Kabupaten Bojonegoro" not in page


def test_choosing_a_regency_shows_its_counts_before_anything_is_written(admin_client):
    page = text(admin_client.get(SETUP, {"provinsi": "33", "kabupaten": "33.74"}))

    assert "Pasang Kota Semarang?" in page
    assert "<dd>16</dd>" in page and "<dd>177</dd>" in page
    assert not Regency.objects.exists() and not Desa.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"provinsi": "99"},
        {"provinsi": "33", "kabupaten": "35.22"},  # Bojonegoro is not in Jawa Tengah
        {"provinsi": "33", "kabupaten": "<script>"},
        {"provinsi": "x" * 500},
    ],
)
def test_a_choice_outside_the_table_is_a_form_error_not_a_failure(admin_client, query):
    response = admin_client.get(SETUP, query)

    assert response.status_code == 200
    assert "dari daftar" in text(response)
    assert "Pasang Kota" not in text(response)


def test_confirming_sets_up_the_regency_and_asks_for_the_office(admin_client, administrator):
    response = admin_client.post(CONFIRM, {"code": "33.74"}, follow=True)

    page = text(response)
    assert "Kota Semarang terpasang: 16 kecamatan dan 177 desa/kelurahan." in page
    assert "Identitas kantor" in page
    regency = Regency.objects.get()
    assert (regency.code, regency.set_up_by) == ("33.74", administrator)
    assert Kecamatan.objects.count() == 16 and Desa.objects.count() == 177
    assert BenefitPolicy.objects.get().name == "Santunan kematian Kota Semarang"


def test_confirming_again_or_another_code_changes_nothing(admin_client):
    admin_client.post(CONFIRM, {"code": "33.74"})

    page = text(admin_client.post(CONFIRM, {"code": "33.26"}, follow=True))

    assert "sudah dipasang untuk Kota Semarang (33.74)" in page
    assert Regency.objects.get().code == "33.74"
    assert Desa.objects.count() == 177


@pytest.mark.parametrize(
    "code, message",
    [("", "tidak sah"), ("33.7x", "tidak sah"), ("99.99", "tidak ada dalam tabel wilayah")],
)
def test_a_bad_code_posted_is_explained(admin_client, code, message):
    page = text(admin_client.post(CONFIRM, {"code": code}, follow=True))

    assert message in page
    assert not Regency.objects.exists()


def test_a_database_with_claims_of_the_default_regency_refuses_another(admin_client, operator_a):
    submitted_claim(operator_a)

    page = text(admin_client.post(CONFIRM, {"code": "33.74"}, follow=True))

    assert "sudah berisi 1 klaim dari wilayah lain" in page
    assert not Regency.objects.exists()


def test_the_office_identity_is_saved_as_the_letterhead_and_officials(admin_client):
    admin_client.post(CONFIRM, {"code": "33.74"})

    page = text(admin_client.post(OFFICE, IDENTITY, follow=True))

    assert "Identitas kantor dicatat" in page
    today = timezone.localdate()
    letterhead = letterhead_on(today)
    assert (letterhead.regency, letterhead.address, letterhead.place) == (
        "Kota Semarang",
        "Jl. Pemuda No. 148",
        "Semarang",
    )
    assert head_on(today).nip == "196805121990031004"
    assert treasurer_on(today).name == "Sri Wahyuni"
    assert "Identitas kantor tidak berubah" in text(
        admin_client.post(OFFICE, IDENTITY, follow=True)
    )
    assert Letterhead.objects.count() == 1 and Official.objects.count() == 2


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("head_nip", "12345", "NIP terdiri dari 18 angka"),
        ("postal_code", "5013", "Kode pos terdiri dari 5 angka"),
        ("address", "", "Bidang ini tidak boleh kosong"),
        ("email", "bukan-surel", "Masukkan alamat email yang valid"),
    ],
)
def test_bad_office_details_are_refused_with_a_message(admin_client, field, value, message):
    admin_client.post(CONFIRM, {"code": "33.74"})

    response = admin_client.post(OFFICE, {**IDENTITY, field: value})

    assert response.status_code == 400
    assert message in text(response)
    assert not Letterhead.objects.exists() and not Official.objects.exists()


def test_a_name_without_its_nip_is_refused(admin_client):
    admin_client.post(CONFIRM, {"code": "33.74"})

    response = admin_client.post(OFFICE, {**IDENTITY, "treasurer_nip": ""})

    assert "Isi NIP pejabat ini (18 angka)." in text(response)
    assert not Official.objects.exists()


@pytest.mark.parametrize("url", [SETUP, CONFIRM, OFFICE])
def test_only_the_administrator_may_use_the_setup(client_for, verifikator, url):
    client = client_for(verifikator)

    response = client.post(url, {"code": "33.74"}) if url != SETUP else client.get(url)

    assert response.status_code == 403
    assert not Regency.objects.exists()
