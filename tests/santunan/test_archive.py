"""The claim archive: every claim of every state and year for Dinas Sosial, searched
by number, NIK, name, area, status and period, paginated and exported to Excel, with
NIKs masked and never in a URL."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from santunan.exports import safe_text
from santunan.finance.services import (
    create_batch,
    disburse_batch,
    record_cash_payment,
    set_budget,
    sign_batch,
)
from santunan.models import AccessLog, Claim, Status
from santunan.services import approve_claim, reject_claim, verify_claim
from tests.conftest import DESA_B
from tests.santunan.factories import (
    DECEASED_NIK,
    HEIR_NIK,
    draft_claim,
    pdf_bytes,
    submitted_claim,
    upload,
)

ARCHIVE = reverse("santunan:archive")
EXPORT = reverse("santunan:archive_export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def nik(n: int) -> str:
    """A valid Batang NIK of a man born 12-03-1950, distinct per n."""
    return f"33250112035{n:05d}"


def text(response) -> str:
    return response.content.decode()


def listed(response) -> str:
    """The results table only, without the filter form."""
    return text(response).split("<table", 1)[1]


def submitted_on(claim: Claim, day: date) -> None:
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))
    Claim.objects.filter(pk=claim.pk).update(first_submitted_at=moment, submitted_at=moment)


@pytest.fixture
def rejected(operator_a, verifikator):
    claim = submitted_claim(operator_a, deceased_nik=nik(2), deceased_name="Rejo Tolak")
    return reject_claim(user=verifikator, claim_id=claim.pk, reason="Bukan warga Batang")


@pytest.fixture
def paid(operator_a, verifikator, approver, bendahara):
    """A claim taken all the way through verification, approval, batch and cash payment."""
    claim = submitted_claim(operator_a, deceased_nik=nik(3), deceased_name="Parto Lunas")
    verify_claim(user=verifikator, claim_id=claim.pk)
    approve_claim(user=approver, claim_id=claim.pk)
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    sign_batch(user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip="1" * 18)
    disburse_batch(user=bendahara, batch_id=batch.pk)
    record_cash_payment(
        user=bendahara,
        claim_id=claim.pk,
        paid_on=timezone.localdate(),
        collected_by="Siti Aminah",
        identity_checked=True,
        receipt_scan=upload("kuitansi.pdf", pdf_bytes(), "application/pdf"),
    )
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def open_claim(operator_a):
    return submitted_claim(operator_a, deceased_name="Slamet Riyadi")


@pytest.fixture
def elsewhere(operator_b):
    """A claim of a kelurahan in Kecamatan Batang, not Wonotunggal."""
    return submitted_claim(operator_b, deceased_nik=nik(4), deceased_name="Warga Kota")


def search(client, **filters):
    return client.post(ARCHIVE, filters, follow=True)


def test_the_archive_finds_paid_rejected_and_open_claims_but_no_drafts(
    client_for, verifikator, operator_a, open_claim, rejected, paid
):
    draft = draft_claim(operator_a, deceased_nik=nik(9), deceased_name="Masih Draf")

    page = listed(client_for(verifikator).get(ARCHIVE))

    assert paid.status == Status.PAID and rejected.status == Status.REJECTED
    for claim in (open_claim, rejected, paid):
        assert reverse("santunan:claim_detail", args=[claim.pk]) in page
        assert claim.number in page
    assert draft.deceased_name not in page
    assert "Dibayar" in page and "Ditolak" in page


def test_a_draft_cancelled_before_submission_is_not_in_the_archive(
    client_for, verifikator, operator_a
):
    from santunan.services import cancel_claim

    draft = draft_claim(operator_a, deceased_name="Batal Awal")
    cancel_claim(user=operator_a, claim_id=draft.pk)

    assert "Batal Awal" not in listed(client_for(verifikator).get(ARCHIVE))


def test_the_list_masks_niks(client_for, verifikator, open_claim):
    page = text(client_for(verifikator).get(ARCHIVE))

    assert DECEASED_NIK not in page
    assert "3325••••••••0001" in page


@pytest.mark.parametrize("role", ["verifikator", "approver", "bendahara", "administrator"])
def test_every_dinas_sosial_role_opens_the_archive_from_its_menu(
    client_for, request, role, open_claim
):
    client = client_for(request.getfixturevalue(role))

    home = client.get(ARCHIVE)

    assert home.status_code == 200
    assert f'href="{ARCHIVE}"' in text(home)
    assert open_claim.number in listed(home)


@pytest.mark.parametrize("url", [ARCHIVE, EXPORT])
def test_village_operators_are_refused(client_for, operator_a, open_claim, url):
    client = client_for(operator_a)

    assert client.get(url).status_code == 403
    assert client.post(url, {"q": DECEASED_NIK}).status_code == 403
    assert f'href="{ARCHIVE}"' not in text(client.get(reverse("santunan:desa_home")))


def test_searching_by_number_finds_that_claim_only(client_for, verifikator, rejected, paid):
    page = listed(search(client_for(verifikator), q=paid.number.lower()))

    assert paid.number in page and rejected.number not in page


@pytest.mark.parametrize("who", ["deceased", "heir"])
def test_searching_by_a_whole_nik_finds_the_claim(
    client_for, verifikator, open_claim, elsewhere, who
):
    Claim.objects.filter(pk=elsewhere.pk).update(heir_nik=nik(7))
    wanted = open_claim.deceased_nik if who == "deceased" else HEIR_NIK

    page = listed(search(client_for(verifikator), q=wanted))

    assert open_claim.number in page and elsewhere.number not in page


def test_a_fragment_of_a_nik_finds_nothing(client_for, verifikator, open_claim):
    page = listed(search(client_for(verifikator), q=DECEASED_NIK[:10]))

    assert open_claim.number not in page


def test_searching_by_part_of_a_name_finds_deceased_and_heir(
    client_for, verifikator, open_claim, rejected
):
    client = client_for(verifikator)

    by_deceased = listed(search(client, q="rejo"))
    by_heir = listed(search(client, q="aminah"))

    assert rejected.number in by_deceased and open_claim.number not in by_deceased
    assert open_claim.number in by_heir and rejected.number in by_heir


def test_a_nik_search_never_appears_in_any_url(client_for, verifikator, open_claim):
    client = client_for(verifikator)

    response = search(client, q=DECEASED_NIK)

    assert open_claim.number in listed(response)
    visited = [url for url, _status in response.redirect_chain]
    assert visited and not any(DECEASED_NIK in url for url in visited)
    assert "search=" in visited[-1]
    # The page's own links (export, pages) carry the key, not the NIK.
    links = [part.split('"', 1)[0] for part in text(response).split('href="')[1:]]
    assert not any(DECEASED_NIK in link for link in links)
    assert any(link.startswith(EXPORT + "?search=") for link in links)


def test_the_search_key_of_another_session_finds_nothing_and_says_so(
    client_for, verifikator, verifikator2, open_claim, rejected
):
    response = search(client_for(verifikator), q="rejo")
    key_url = response.redirect_chain[-1][0]

    other = client_for(verifikator2).get(key_url, follow=True)

    assert "Pencarian teks sudah tidak tersimpan" in text(other)
    # Without the text the search is not narrowed by it: both claims are there.
    assert rejected.number in listed(other) and open_claim.number in listed(other)


def test_status_filter_works_as_a_plain_link(client_for, verifikator, open_claim, rejected, paid):
    page = listed(client_for(verifikator).get(ARCHIVE, {"status": "rejected"}))

    assert rejected.number in page
    assert open_claim.number not in page and paid.number not in page


def test_kecamatan_and_desa_filters_narrow_the_list(client_for, verifikator, open_claim, elsewhere):
    client = client_for(verifikator)

    by_kecamatan = listed(client.get(ARCHIVE, {"kecamatan": "33.25.11"}))
    by_desa = listed(client.get(ARCHIVE, {"desa": open_claim.desa_id}))

    assert elsewhere.number in by_kecamatan and open_claim.number not in by_kecamatan
    assert open_claim.number in by_desa and elsewhere.number not in by_desa
    assert elsewhere.desa_id == DESA_B


def test_choosing_a_kecamatan_narrows_the_desa_list(client_for, verifikator, open_claim):
    page = text(client_for(verifikator).get(ARCHIVE, {"kecamatan": "33.25.11"}))

    desa_select = page.split('id="a-desa"', 1)[1].split("</select>", 1)[0]
    assert DESA_B in desa_select and open_claim.desa_id not in desa_select


def test_year_and_month_filter_by_first_submission(
    client_for, verifikator, open_claim, rejected, paid
):
    submitted_on(open_claim, date(2024, 2, 29))
    submitted_on(rejected, date(2024, 3, 1))
    submitted_on(paid, date(2025, 2, 10))
    client = client_for(verifikator)

    february = listed(client.get(ARCHIVE, {"year": "2024", "month": "2"}))
    year = listed(client.get(ARCHIVE, {"year": "2024"}))

    assert open_claim.number in february
    assert rejected.number not in february and paid.number not in february
    assert open_claim.number in year and rejected.number in year and paid.number not in year


def test_a_date_range_includes_both_ends(client_for, verifikator, open_claim, rejected, paid):
    submitted_on(open_claim, date(2025, 1, 1))
    submitted_on(rejected, date(2025, 1, 31))
    submitted_on(paid, date(2025, 2, 1))

    response = search(
        client_for(verifikator), submitted_from="2025-01-01", submitted_to="2025-01-31"
    )

    page = listed(response)
    assert open_claim.number in page and rejected.number in page and paid.number not in page
    assert "submitted_from=2025-01-01" in response.redirect_chain[-1][0]


def test_filters_combine(client_for, verifikator, open_claim, rejected, elsewhere):
    page = listed(search(client_for(verifikator), q="a", status="submitted", kecamatan="33.25.01"))

    assert open_claim.number in page
    assert rejected.number not in page and elsewhere.number not in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "dua ribu"}, "Masukkan keseluruhan angka bilangan."),
        ({"month": "2"}, "Pilih juga tahunnya."),
        (
            {"submitted_from": "2025-02-01", "submitted_to": "2025-01-01"},
            "tidak boleh sebelum tanggal awal",
        ),
        ({"submitted_from": "31-31-2025"}, "Tanggal itu tidak ada di kalender."),
        ({"submitted_from": "Jan 5 2025"}, "Tulis tanggal sebagai hh/bb/tttt"),
        ({"kecamatan": "99.99.99"}, "Kecamatan tidak dikenal."),
        ({"status": "hilang"}, "Masukkan pilihan yang valid."),
    ],
)
def test_bad_filters_are_explained_and_the_rest_of_the_list_still_shows(
    client_for, verifikator, open_claim, params, message
):
    response = client_for(verifikator).get(ARCHIVE, params)

    assert response.status_code == 200
    assert message in text(response)
    assert open_claim.number in listed(response)


def test_bad_input_posted_is_shown_without_a_redirect(client_for, verifikator, open_claim):
    response = client_for(verifikator).post(ARCHIVE, {"q": DECEASED_NIK, "year": "x"})

    assert response.status_code == 200
    assert "Masukkan keseluruhan angka bilangan." in text(response)
    assert open_claim.number in listed(response)


def test_reset_clears_the_search(client_for, verifikator, open_claim, rejected):
    client = client_for(verifikator)
    search(client, q="rejo")

    response = client.post(ARCHIVE, {"reset": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == ARCHIVE
    assert open_claim.number in listed(response) and rejected.number in listed(response)


def test_pages_keep_the_filters(client_for, verifikator, operator_a):
    now = timezone.now()
    Claim.objects.bulk_create(
        Claim(
            status=Status.PAID,
            number=f"SKM-2020-{i:06d}",
            desa_id=operator_a.operator_assignment.desa_id,
            created_by=operator_a,
            deceased_nik=nik(100 + i),
            deceased_name=f"Almarhum Lama {i}",
            first_submitted_at=now - timedelta(minutes=i),
        )
        for i in range(55)
    )
    client = client_for(verifikator)
    first = search(client, q="Lama", status="paid")
    key_url = first.redirect_chain[-1][0]

    second = client.get(key_url + "&page=2")

    assert "55 klaim" in text(first)
    next_link = text(first).split('class="pagination"', 1)[1]
    assert "status=paid" in next_link and "search=" in next_link and "page=2" in next_link
    assert "SKM-2020-000054" in listed(second) and "SKM-2020-000000" not in listed(second)


def read_export(response):
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def test_the_export_holds_the_filtered_claims_with_masked_niks(
    client_for, verifikator, open_claim, rejected, paid
):
    client = client_for(verifikator)
    response = search(client, q="Parto")
    export_url = EXPORT + "?" + response.redirect_chain[-1][0].split("?", 1)[1]

    rows = read_export(client.get(export_url))

    header, *data = rows
    assert header[:3] == ("Nomor klaim", "Status", "Desa/kelurahan")
    assert [row[0] for row in data] == [paid.number]
    row = dict(zip(header, data[0], strict=True))
    assert row["Status"] == "Dibayar"
    assert row["NIK almarhum"] == "3325••••••••0003" and row["NIK ahli waris"] == "3325••••••••0002"
    assert row["Besaran (Rp)"] == 1_000_000
    assert row["Dibayar"] is not None
    assert not any(DECEASED_NIK in str(v) or HEIR_NIK in str(v) for v in data[0])


def test_the_export_is_logged_against_each_claim(client_for, bendahara, open_claim, rejected):
    client_for(bendahara).get(EXPORT, {"status": "rejected"})

    logged = AccessLog.objects.filter(user=bendahara, what="unduh_arsip")
    assert list(logged.values_list("claim_id", flat=True)) == [rejected.pk]


def test_a_formula_in_a_name_is_exported_as_text(client_for, verifikator, open_claim):
    Claim.objects.filter(pk=open_claim.pk).update(
        deceased_name='=HYPERLINK("http://x.invalid","klik")', heir_name="@SUM(A1)"
    )

    header, row = read_export(client_for(verifikator).get(EXPORT))

    values = dict(zip(header, row, strict=True))
    assert values["Nama almarhum"] == '\'=HYPERLINK("http://x.invalid","klik")'
    assert values["Nama ahli waris"] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+62812", "'+62812"), ("-5", "'-5"), ("@x", "'@x"), ("Slamet", "Slamet")],
)
def test_safe_text_prefixes_formula_starts(value, safe):
    assert safe_text(value) == safe


def test_a_text_search_matching_very_many_counts_only_up_to_a_cap(
    client_for, verifikator, operator_a, monkeypatch
):
    from santunan import views_archive

    monkeypatch.setattr(views_archive, "TEXT_COUNT_CAP", 3)
    Claim.objects.bulk_create(
        Claim(
            status=Status.PAID,
            number=f"SKM-2020-{i:06d}",
            desa_id=operator_a.operator_assignment.desa_id,
            created_by=operator_a,
            deceased_nik=nik(100 + i),
            deceased_name=f"Almarhum Lama {i}",
            first_submitted_at=timezone.now() - timedelta(minutes=i),
        )
        for i in range(5)
    )
    client = client_for(verifikator)

    by_name = text(search(client, q="Lama"))
    by_filter = text(client.get(ARCHIVE, {"status": "paid"}))

    assert "Lebih dari 3 klaim" in by_name and "SKM-2020-000000" in by_name
    assert "5 klaim" in by_filter and "Lebih dari" not in by_filter
