"""The village official's pages: the claim list, the form in steps, submission,
correction after a return, cancellation — all through the test client."""

import pytest
from django.urls import reverse
from django.utils import timezone

from santunan.models import Claim, ClaimEvent, Status
from santunan.services import reject_claim, return_claim, verify_claim
from tests.santunan.factories import (
    DECEASED_NIK,
    HEIR_NIK,
    claim_data,
    draft_claim,
    pdf_bytes,
    png_bytes,
    submitted_claim,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def deceased_post(**overrides) -> dict:
    data = claim_data(**overrides)
    return {name: data[name] for name in (
        "deceased_nik", "deceased_name", "deceased_sex", "deceased_birth_date",
        "death_date", "death_place", "deceased_kk", "deceased_address",
    )}  # fmt: skip


def heir_post(**overrides) -> dict:
    data = claim_data(**overrides)
    return {name: data.get(name, "") for name in (
        "heir_nik", "heir_name", "heir_relation", "heir_phone", "heir_address",
        "payout_method", "bank_name", "bank_account", "bank_account_holder", "notes",
    )}  # fmt: skip


def documents_post(tmp_path) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "doc-kk": SimpleUploadedFile("kk.png", png_bytes(), "image/png"),
        "doc-ktp_almarhum": SimpleUploadedFile("ktp.jpg.png", png_bytes(), "image/png"),
        "doc-ktp_ahli_waris": SimpleUploadedFile("ktp2.png", png_bytes(), "image/png"),
        "doc-surat_kematian": SimpleUploadedFile("surat.pdf", pdf_bytes(), "application/pdf"),
    }


def page_text(response) -> str:
    return response.content.decode()


def test_every_village_page_renders_for_the_operator(client_for, operator_a):
    client = client_for(operator_a)
    claim = draft_claim(operator_a)

    for url in [
        reverse("santunan:desa_home"),
        reverse("santunan:claim_new"),
        reverse("santunan:claim_deceased", args=[claim.pk]),
        reverse("santunan:claim_heir", args=[claim.pk]),
        reverse("santunan:claim_documents", args=[claim.pk]),
        reverse("santunan:claim_review", args=[claim.pk]),
        reverse("santunan:claim_detail", args=[claim.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Klaim baru" in page_text(client.get(reverse("santunan:desa_home")))


def test_the_new_claim_form_asks_for_dates_as_dd_mm_yyyy_text(client_for, operator_a):
    # Not <input type=date>: an English browser would show it as mm/dd/yyyy.
    page = page_text(client_for(operator_a).get(reverse("santunan:claim_new")))

    assert 'type="text" name="deceased_birth_date"' in page
    assert 'type="text" name="death_date"' in page
    assert 'type="date"' not in page
    assert page.count('placeholder="hh/bb/tttt"') == 2


def test_a_date_typed_day_first_is_stored_as_that_day_in_english_too(client_for, operator_a):
    client = client_for(operator_a)
    client.post(reverse("set_language"), {"language": "en"})

    client.post(reverse("santunan:claim_new"), deceased_post(death_date="05/11/2025"))

    assert Claim.objects.get().death_date == timezone.datetime(2025, 11, 5).date()


def test_a_date_in_another_shape_keeps_the_draft_unsaved_with_a_message(
    client_for, operator_a
):
    response = client_for(operator_a).post(
        reverse("santunan:claim_new"), deceased_post(death_date="11 May 2025")
    )

    assert response.status_code == 200
    assert "Tulis tanggal sebagai hh/bb/tttt" in page_text(response)
    assert not Claim.objects.exists()


def test_the_whole_form_saves_each_step_and_submits(client_for, operator_a, tmp_path):
    client = client_for(operator_a)

    response = client.post(reverse("santunan:claim_new"), deceased_post())
    claim = Claim.objects.get()
    assert response.url == reverse("santunan:claim_heir", args=[claim.pk])
    assert (claim.status, claim.deceased_nik) == (Status.DRAFT, DECEASED_NIK)

    response = client.post(reverse("santunan:claim_heir", args=[claim.pk]), heir_post())
    assert response.url == reverse("santunan:claim_documents", args=[claim.pk])
    claim.refresh_from_db()
    assert claim.heir_nik == HEIR_NIK

    response = client.post(
        reverse("santunan:claim_documents", args=[claim.pk]), documents_post(tmp_path)
    )
    assert response.url == reverse("santunan:claim_review", args=[claim.pk])
    assert claim.documents.filter(superseded=False).count() == 4

    review = page_text(client.get(response.url))
    assert "Data dan dokumen lengkap" in review

    response = client.post(reverse("santunan:claim_submit", args=[claim.pk]), follow=True)
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED
    assert f"Klaim {claim.number} diajukan ke Dinas Sosial" in page_text(response)


def test_a_draft_may_be_saved_incomplete_and_the_review_lists_what_is_missing(
    client_for, operator_a
):
    client = client_for(operator_a)

    client.post(reverse("santunan:claim_new"), {"deceased_name": "Tukiyem"})
    claim = Claim.objects.get()
    review = page_text(client.get(reverse("santunan:claim_review", args=[claim.pk])))
    home = page_text(client.get(reverse("santunan:desa_home")))

    assert "nik almarhum belum diisi." in review.lower()
    assert "Kartu Keluarga (KK)" in review
    assert "Yang masih kurang" in home and "nik almarhum belum diisi." in home.lower()


def test_a_bad_nik_gives_a_clear_message_and_saves_nothing(client_for, operator_a):
    client = client_for(operator_a)

    response = client.post(
        reverse("santunan:claim_new"), deceased_post(deceased_nik="33250112O3500001")
    )

    assert response.status_code == 200
    assert "NIK almarhum harus 16 angka" in page_text(response)
    assert "Salin persis dari KTP atau KK" in page_text(response)
    assert not Claim.objects.exists()


def test_a_death_before_birth_is_refused_on_the_form(client_for, operator_a):
    claim = draft_claim(operator_a)

    response = client_for(operator_a).post(
        reverse("santunan:claim_deceased", args=[claim.pk]),
        deceased_post(death_date="1949-01-01"),
    )

    assert "tidak boleh sebelum tanggal lahir" in page_text(response)
    claim.refresh_from_db()
    assert claim.death_date != timezone.datetime(1949, 1, 1).date()


def test_submitting_an_incomplete_claim_lists_the_problems_and_changes_nothing(
    client_for, operator_a
):
    claim = draft_claim(operator_a, documents=False, heir_phone="")

    response = client_for(operator_a).post(
        reverse("santunan:claim_submit", args=[claim.pk]), follow=True
    )

    page = page_text(response)
    assert "Klaim belum dapat diajukan." in page
    assert "Nomor HP ahli waris belum diisi." in page
    assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT


def test_a_double_clicked_submit_submits_once_and_says_so(client_for, operator_a):
    client = client_for(operator_a)
    claim = draft_claim(operator_a)
    url = reverse("santunan:claim_submit", args=[claim.pk])

    client.post(url)
    response = client.post(url, follow=True)

    claim.refresh_from_db()
    assert f"Klaim {claim.number} sudah diajukan." in page_text(response)
    assert claim.events.filter(action="submit").count() == 1


def test_a_submitted_claim_can_no_longer_be_edited_from_the_form(client_for, operator_a):
    client = client_for(operator_a)
    claim = submitted_claim(operator_a)

    response = client.post(
        reverse("santunan:claim_heir", args=[claim.pk]),
        heir_post(heir_name="Orang Lain"),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("santunan:claim_detail", args=[claim.pk])
    assert "tidak dapat diubah lagi" in page_text(response)
    assert Claim.objects.get(pk=claim.pk).heir_name == "Siti Aminah"


def test_cancelling_a_submitted_claim_is_refused_with_a_message(client_for, operator_a):
    claim = submitted_claim(operator_a)

    response = client_for(operator_a).post(
        reverse("santunan:claim_cancel", args=[claim.pk]), follow=True
    )

    assert "tidak dapat dilakukan pada klaim berstatus" in page_text(response)
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED


def test_the_village_cancels_a_draft(client_for, operator_a):
    claim = draft_claim(operator_a)

    client_for(operator_a).post(
        reverse("santunan:claim_cancel", args=[claim.pk]), {"reason": "Keluarga mampu"}
    )

    claim.refresh_from_db()
    assert claim.status == Status.CANCELLED
    assert claim.events.get(action="cancel").reason == "Keluarga mampu"


def test_the_village_sees_the_reason_of_a_return(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram, unggah ulang")
    client = client_for(operator_a)

    home = page_text(client.get(reverse("santunan:desa_home")))
    review = page_text(client.get(reverse("santunan:claim_review", args=[claim.pk])))

    assert "Foto KK buram, unggah ulang" in home
    assert "Foto KK buram, unggah ulang" in review
    assert "Perbaiki dan ajukan lagi" in home


def test_a_returned_claim_is_corrected_and_resubmitted_under_its_number(
    client_for, operator_a, verifikator, tmp_path
):
    claim = submitted_claim(operator_a)
    number = claim.number
    return_claim(user=verifikator, claim_id=claim.pk, reason="Foto KK buram, unggah ulang")
    client = client_for(operator_a)

    client.post(
        reverse("santunan:claim_documents", args=[claim.pk]),
        {"doc-kk": documents_post(tmp_path)["doc-kk"]},
    )
    client.post(reverse("santunan:claim_submit", args=[claim.pk]))

    claim.refresh_from_db()
    assert (claim.status, claim.number, claim.last_reason) == (Status.SUBMITTED, number, "")
    assert claim.documents.filter(kind="kk").count() == 2


def test_a_rejected_claim_shows_its_reason_in_the_list(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    reject_claim(user=verifikator, claim_id=claim.pk, reason="Bukan warga Kabupaten Batang")

    home = page_text(client_for(operator_a).get(reverse("santunan:desa_home")))

    assert "Bukan warga Kabupaten Batang" in home
    assert "badge-rejected" in home


def test_the_list_masks_niks(client_for, operator_a):
    submitted_claim(operator_a)

    home = page_text(client_for(operator_a).get(reverse("santunan:desa_home")))

    assert DECEASED_NIK not in home
    assert "3325••••••••0001" in home


@pytest.mark.parametrize(
    "name", ["claim_deceased", "claim_heir", "claim_documents", "claim_review", "claim_detail"]
)
def test_another_village_gets_404_on_every_page(client_for, operator_a, operator_b, name):
    claim = draft_claim(operator_a)

    response = client_for(operator_b).get(reverse(f"santunan:{name}", args=[claim.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["claim_deceased", "claim_heir", "claim_documents", "claim_submit", "claim_cancel"]
)
def test_another_village_gets_404_on_every_post_and_nothing_changes(
    client_for, operator_a, operator_b, name
):
    claim = draft_claim(operator_a)
    events = ClaimEvent.objects.count()

    response = client_for(operator_b).post(
        reverse(f"santunan:{name}", args=[claim.pk]), deceased_post(deceased_name="Dirubah")
    )

    assert response.status_code == 404
    assert ClaimEvent.objects.count() == events
    assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT


def test_the_audit_event_records_the_client_address(client_for, operator_a):
    claim = draft_claim(operator_a)

    client_for(operator_a).post(
        reverse("santunan:claim_submit", args=[claim.pk]),
        REMOTE_ADDR="10.20.30.40",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )

    # Not behind a proxy: a forwarded address is anyone's to write and is ignored.
    assert claim.events.get(action="submit").client_ip == "10.20.30.40"


def test_behind_the_proxy_the_address_it_appended_is_recorded(client_for, operator_a, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    claim = draft_claim(operator_a)

    client_for(operator_a).post(
        reverse("santunan:claim_submit", args=[claim.pk]),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 10.20.30.40",
    )

    assert claim.events.get(action="submit").client_ip == "10.20.30.40"


def test_a_resubmission_is_refused_once_the_claim_moved_on(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)

    response = client_for(operator_a).post(
        reverse("santunan:claim_submit", args=[claim.pk]), follow=True
    )

    assert "tidak dapat dilakukan pada klaim berstatus" in page_text(response)
    assert Claim.objects.get(pk=claim.pk).status == Status.VERIFIED


def test_the_village_does_not_see_registry_findings(client_for, operator_a):
    claim = submitted_claim(operator_a)

    page = page_text(client_for(operator_a).get(reverse("santunan:claim_detail", args=[claim.pk])))

    assert "Pemeriksaan registri" not in page


# --- problems said where they arise: the deadline and an active claim elsewhere ---------


def _step_one_then_everything(client, tmp_path, **overrides) -> Claim:
    """Save step 1 through the form, then complete the claim as a diligent village would."""
    response = client.post(reverse("santunan:claim_new"), deceased_post(**overrides))
    claim = Claim.objects.filter(status=Status.DRAFT).latest("pk")
    assert response.url == reverse("santunan:claim_deceased", args=[claim.pk])
    client.post(reverse("santunan:claim_heir", args=[claim.pk]), heir_post())
    client.post(reverse("santunan:claim_documents", args=[claim.pk]), documents_post(tmp_path))
    return claim


def _assert_refused_everywhere(client, claim: Claim, words: str) -> None:
    step_one = page_text(client.get(reverse("santunan:claim_deceased", args=[claim.pk])))
    home = page_text(client.get(reverse("santunan:desa_home")))
    review = page_text(client.get(reverse("santunan:claim_review", args=[claim.pk])))

    assert words in step_one
    assert words in home and "siap diajukan" not in home
    assert words in review and "lengkap" not in review
    submit_button = review.split("Ajukan ke Dinas Sosial</button>")[0].rsplit("<button", 1)[1]
    assert "disabled" in submit_button


def test_a_death_61_days_ago_is_refused_from_step_one_on(client_for, operator_a, tmp_path):
    client = client_for(operator_a)
    died = timezone.localdate() - timezone.timedelta(days=61)

    claim = _step_one_then_everything(client, tmp_path, death_date=died)

    _assert_refused_everywhere(client, claim, "Batas pengajuan sudah lewat")
    client.post(reverse("santunan:claim_submit", args=[claim.pk]))
    assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT


def test_a_death_60_days_ago_may_still_be_submitted(client_for, operator_a, tmp_path):
    client = client_for(operator_a)
    died = timezone.localdate() - timezone.timedelta(days=60)

    response = client.post(reverse("santunan:claim_new"), deceased_post(death_date=died))

    claim = Claim.objects.get()
    assert response.url == reverse("santunan:claim_heir", args=[claim.pk])
    step_one = page_text(client.get(reverse("santunan:claim_deceased", args=[claim.pk])))
    assert "Batas pengajuan" not in step_one


def test_a_deceased_with_an_active_claim_elsewhere_is_refused_from_step_one_on(
    client_for, operator_a, operator_b, tmp_path
):
    elsewhere = submitted_claim(operator_b)
    client = client_for(operator_a)

    claim = _step_one_then_everything(client, tmp_path)

    _assert_refused_everywhere(client, claim, f"sudah punya klaim {elsewhere.number}")


def test_correcting_step_one_clears_the_problem(client_for, operator_a, tmp_path):
    client = client_for(operator_a)
    died = timezone.localdate() - timezone.timedelta(days=90)
    claim = _step_one_then_everything(client, tmp_path, death_date=died)

    response = client.post(
        reverse("santunan:claim_deceased", args=[claim.pk]),
        deceased_post(death_date=timezone.localdate() - timezone.timedelta(days=3)),
    )

    assert response.url == reverse("santunan:claim_heir", args=[claim.pk])
    assert "Data dan dokumen lengkap" in page_text(
        client.get(reverse("santunan:claim_review", args=[claim.pk]))
    )
