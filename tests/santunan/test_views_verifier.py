"""The verifier's queue and claim page: filters, search, masked lists, a constant
number of queries, and the verify / return / reject forms."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from santunan.models import AccessLog, Claim, Status
from santunan.services import return_claim, verify_claim
from tests.santunan.factories import DECEASED_NIK, HEIR_NIK, draft_claim, submitted_claim


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def text(response) -> str:
    return response.content.decode()


def queue_claims(creator, count: int, *, desa_id: str = "33.25.01.2001") -> None:
    """Many submitted claims at once, written directly: the queue only reads them."""
    now, today = timezone.now(), timezone.localdate()
    Claim.objects.bulk_create(
        Claim(
            status=Status.SUBMITTED,
            number=f"SKM-2099-{i:06d}",
            desa_id=desa_id,
            created_by=creator,
            deceased_nik=f"332501120350{i + 1:04d}",
            deceased_name=f"Almarhum {i}",
            submitted_at=now,
            due_date=today + timedelta(days=i % 5),
        )
        for i in range(count)
    )


def filter_queue(client, **filters):
    return client.post(reverse("santunan:verifikator_home"), filters, follow=True)


def test_the_queue_shows_submitted_and_verified_claims_earliest_due_first(
    client_for, operator_a, verifikator
):
    later = submitted_claim(operator_a)
    sooner = submitted_claim(operator_a, deceased_nik="3325011203500002")
    Claim.objects.filter(pk=sooner.pk).update(due_date=later.due_date - timedelta(days=1))
    draft_claim(operator_a, deceased_nik="3325011203500003")

    page = text(client_for(verifikator).get(reverse("santunan:verifikator_home")))

    assert page.index(sooner.number) < page.index(later.number)
    assert "Draf" not in page.split('id="queue"')[1]


def test_an_overdue_claim_is_flagged_and_can_be_filtered(client_for, operator_a, verifikator):
    overdue = submitted_claim(operator_a)
    on_time = submitted_claim(operator_a, deceased_nik="3325011203500002")
    Claim.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    client = client_for(verifikator)

    assert "lewat batas" in text(client.get(reverse("santunan:verifikator_home")))
    page = text(filter_queue(client, overdue="1"))

    assert overdue.number in page and on_time.number not in page


def test_the_queue_masks_niks(client_for, operator_a, verifikator):
    submitted_claim(operator_a)

    page = text(client_for(verifikator).get(reverse("santunan:verifikator_home")))

    assert DECEASED_NIK not in page
    assert "3325••••••••0001" in page


def test_searching_by_nik_keeps_the_nik_out_of_the_url(client_for, operator_a, verifikator):
    wanted = submitted_claim(operator_a)
    other = submitted_claim(operator_a, deceased_nik="3325011203500002")

    response = filter_queue(client_for(verifikator), q=DECEASED_NIK)

    [(url, status)] = response.redirect_chain
    assert status == 302 and url.startswith(reverse("santunan:verifikator_home") + "?search=")
    assert DECEASED_NIK not in url and DECEASED_NIK[-4:] not in url
    assert wanted.number in text(response) and other.number not in text(response)


def test_search_by_number_and_by_name(client_for, operator_a, verifikator):
    first = submitted_claim(operator_a)
    second = submitted_claim(
        operator_a, deceased_nik="3325011203500002", deceased_name="Tukiyem Wiryo"
    )
    client = client_for(verifikator)

    by_number = text(filter_queue(client, q=first.number))
    by_name = text(filter_queue(client, q="tukiyem"))

    assert first.number in by_number and second.number not in by_number
    assert second.number in by_name and first.number not in by_name


def test_filters_by_kecamatan_desa_and_status(client_for, operator_a, operator_b, verifikator):
    in_a = submitted_claim(operator_a)
    in_b = submitted_claim(operator_b, deceased_nik="3325011203500002")
    verify_claim(user=verifikator, claim_id=in_b.pk)
    client = client_for(verifikator)

    by_kecamatan = text(filter_queue(client, kecamatan="33.25.01"))
    by_desa = text(filter_queue(client, desa="33.25.11.1013"))
    by_status = text(filter_queue(client, status="verified"))
    reset = text(filter_queue(client, reset="1"))

    assert in_a.number in by_kecamatan and in_b.number not in by_kecamatan
    assert in_b.number in by_desa and in_a.number not in by_desa
    assert 'value="33.25.11.1013" selected' in by_desa
    assert in_b.number in by_status and in_a.number not in by_status
    assert in_a.number in reset and in_b.number in reset


def test_the_filters_live_in_the_url_so_a_bookmark_opens_the_same_queue(
    client_for, operator_a, operator_b, verifikator, verifikator2
):
    in_a = submitted_claim(operator_a)
    in_b = submitted_claim(operator_b, deceased_nik="3325011203500002")

    response = filter_queue(client_for(verifikator), kecamatan="33.25.11", status="submitted")
    [(url, _status)] = response.redirect_chain
    bookmarked = text(client_for(verifikator2).get(url))

    assert url == reverse("santunan:verifikator_home") + "?kecamatan=33.25.11&status=submitted"
    assert in_b.number in bookmarked and in_a.number not in bookmarked
    assert 'value="33.25.11" selected' in bookmarked
    assert 'value="submitted" selected' in bookmarked


def test_the_plain_address_shows_the_whole_queue_whatever_was_filtered_before(
    client_for, operator_a, operator_b, verifikator
):
    in_a = submitted_claim(operator_a)
    in_b = submitted_claim(operator_b, deceased_nik="3325011203500002")
    client = client_for(verifikator)
    filter_queue(client, kecamatan="33.25.11")

    page = text(client.get(reverse("santunan:verifikator_home")))

    assert in_a.number in page and in_b.number in page
    assert " selected" not in page.split('id="f-kecamatan"')[1].split("</select>")[0]


def test_hapus_saringan_clears_the_controls_and_a_name_search_then_finds_the_claim(
    client_for, operator_a, operator_b, verifikator
):
    wanted = submitted_claim(operator_a, deceased_name="Tukiyem Wiryo")
    client = client_for(verifikator)
    filter_queue(client, kecamatan="33.25.11", q="Slamet", overdue="1")

    reset = filter_queue(client, kecamatan="33.25.11", q="Slamet", overdue="1", reset="1")
    page = text(reset)
    controls = page.split('id="queue"')[0]

    assert reset.redirect_chain == [(reverse("santunan:verifikator_home"), 302)]
    assert " selected" not in controls and " checked" not in controls
    assert 'name="q" id="f-q" value=""' in controls
    assert wanted.number in text(filter_queue(client, q="tukiyem"))


def test_a_search_hidden_by_the_filters_says_so_and_offers_it_without_them(
    client_for, operator_a, verifikator
):
    wanted = submitted_claim(operator_a, deceased_name="Tukiyem Wiryo")
    client = client_for(verifikator)

    hidden = text(filter_queue(client, kecamatan="33.25.11", q="tukiyem"))
    link = hidden.split("di luar saringan")[1].split('href="')[1].split('"')[0]
    unfiltered = text(client.get(reverse("santunan:verifikator_home") + link))

    assert wanted.number not in hidden
    assert link.startswith("?search=") and "tukiyem" not in link.lower()
    assert wanted.number in unfiltered


def test_a_search_key_the_session_no_longer_holds_asks_to_search_again(
    client_for, operator_a, verifikator
):
    submitted_claim(operator_a)

    page = text(client_for(verifikator).get(reverse("santunan:verifikator_home"), {"search": "x"}))

    assert "Pencarian teks sudah tidak tersimpan" in page


def test_the_pages_of_a_filtered_queue_keep_its_filters(client_for, operator_a, verifikator):
    queue_claims(operator_a, 60)
    client = client_for(verifikator)

    page = text(filter_queue(client, kecamatan="33.25.01", q="Almarhum"))

    assert "?kecamatan=33.25.01&amp;search=" in page and "&amp;page=2" in page


def test_the_queue_pages_by_50_with_the_same_number_of_queries_at_any_page_size(
    client_for, operator_a, verifikator
):
    queue_claims(operator_a, 230)
    client = client_for(verifikator)
    url = reverse("santunan:verifikator_home") + "?kecamatan=33.25.01"

    with CaptureQueriesContext(connection) as fifty:
        small = client.get(url)
    with CaptureQueriesContext(connection) as two_hundred:
        large = client.get(url, {"per_page": 200})

    assert text(small).count("<tr>") == 1 + 50
    assert text(large).count("<tr>") == 1 + 200
    assert len(fifty.captured_queries) == len(two_hundred.captured_queries)
    assert len(fifty.captured_queries) <= 10


def test_the_claim_page_shows_data_in_full_warnings_documents_and_timeline(
    client_for, operator_a, verifikator
):
    claim = submitted_claim(operator_a, deceased_birth_date=timezone.datetime(1951, 3, 12).date())

    page = text(client_for(verifikator).get(reverse("santunan:claim_detail", args=[claim.pk])))

    assert DECEASED_NIK in page and HEIR_NIK in page
    assert "berbeda dengan tanggal dalam NIK" in page
    assert "KTP almarhum" in page and "<img src=" in page
    assert "Diajukan" in page and "Draf → Diajukan" in page
    assert 'name="expected_status" value="submitted"' in page


def test_opening_the_claim_page_is_logged(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)

    client_for(verifikator).get(
        reverse("santunan:claim_detail", args=[claim.pk]), REMOTE_ADDR="10.0.0.7"
    )

    log = AccessLog.objects.get(claim=claim)
    assert (log.user, log.what, log.client_ip) == (verifikator, "lihat_klaim", "10.0.0.7")


def test_a_draft_is_invisible_to_dinas_sosial(client_for, operator_a, verifikator):
    claim = draft_claim(operator_a)
    client = client_for(verifikator)

    assert client.get(reverse("santunan:claim_detail", args=[claim.pk])).status_code == 404
    assert client.post(reverse("santunan:claim_verify", args=[claim.pk])).status_code == 404


def test_the_verifier_verifies(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)

    response = client_for(verifikator).post(
        reverse("santunan:claim_verify", args=[claim.pk]),
        {"expected_status": "submitted"},
        follow=True,
    )

    claim.refresh_from_db()
    assert (claim.status, claim.verified_by) == (Status.VERIFIED, verifikator)
    assert f"Klaim {claim.number} terverifikasi" in text(response)


def test_verifikasi_asks_for_confirmation_and_only_the_confirming_button_verifies(
    client_for, operator_a, verifikator
):
    claim = submitted_claim(operator_a)
    client = client_for(verifikator)
    confirm_url = reverse("santunan:claim_verify_confirm", args=[claim.pk])

    panel = text(client.get(reverse("santunan:claim_detail", args=[claim.pk])))
    confirm = client.post(
        confirm_url, {"expected_status": "submitted", "override_reason": "SKTM ada, DTKS lama"}
    )
    page = text(confirm)

    assert f'action="{confirm_url}"' in panel
    assert confirm.status_code == 200
    assert f'Verifikasi klaim <span class="claim-number">{claim.number}?</span>' in page
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED
    assert not claim.events.filter(action="verify").exists()
    form = page.split(f'action="{reverse("santunan:claim_verify", args=[claim.pk])}"')[1]
    assert 'name="override_reason" value="SKTM ada, DTKS lama"' in form
    assert 'name="expected_status" value="submitted"' in form

    client.post(
        reverse("santunan:claim_verify", args=[claim.pk]),
        {"expected_status": "submitted", "override_reason": "SKTM ada, DTKS lama"},
    )
    assert claim.events.get(action="verify").reason == "SKTM ada, DTKS lama"


def test_the_confirmation_of_a_claim_that_cannot_be_verified_any_more_explains_it(
    client_for, operator_a, verifikator, verifikator2
):
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator2, claim_id=claim.pk)

    response = client_for(verifikator).get(
        reverse("santunan:claim_verify_confirm", args=[claim.pk]), follow=True
    )

    assert response.redirect_chain == [(reverse("santunan:claim_detail", args=[claim.pk]), 302)]
    assert "tidak dapat diubah lagi" in text(response)


def test_only_verifiers_reach_the_confirmation(client_for, operator_a, approver):
    claim = submitted_claim(operator_a)
    url = reverse("santunan:claim_verify_confirm", args=[claim.pk])

    assert client_for(operator_a).get(url).status_code == 403
    assert client_for(approver).get(url).status_code == 403


def test_a_return_needs_a_reason_and_changes_nothing_without_one(
    client_for, operator_a, verifikator
):
    claim = submitted_claim(operator_a)

    response = client_for(verifikator).post(
        reverse("santunan:claim_return", args=[claim.pk]),
        {"reason": " ", "expected_status": "submitted"},
        follow=True,
    )

    assert "Tuliskan alasannya" in text(response)
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED


def test_the_verifier_returns_with_a_reason(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)

    client_for(verifikator).post(
        reverse("santunan:claim_return", args=[claim.pk]),
        {"reason": "Foto KK buram", "expected_status": "submitted"},
    )

    claim.refresh_from_db()
    assert (claim.status, claim.last_reason) == (Status.RETURNED, "Foto KK buram")
    assert claim.events.get(action="return_to_village").actor == verifikator


def test_the_verifier_rejects_with_a_reason(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)

    client_for(verifikator).post(
        reverse("santunan:claim_reject", args=[claim.pk]),
        {"reason": "Bukan warga Batang", "expected_status": "submitted"},
    )

    assert Claim.objects.get(pk=claim.pk).status == Status.REJECTED


def test_a_change_by_another_user_is_explained(client_for, operator_a, verifikator, verifikator2):
    claim = submitted_claim(operator_a)
    return_claim(user=verifikator2, claim_id=claim.pk, reason="Foto KK buram")

    response = client_for(verifikator).post(
        reverse("santunan:claim_verify", args=[claim.pk]),
        {"expected_status": "submitted"},
        follow=True,
    )

    assert "sudah berubah" in text(response) and "oleh pengguna lain" in text(response)
    assert Claim.objects.get(pk=claim.pk).status == Status.RETURNED


def test_a_transition_not_allowed_from_the_current_state_is_refused(
    client_for, operator_a, verifikator
):
    claim = submitted_claim(operator_a)
    verify_claim(user=verifikator, claim_id=claim.pk)

    response = client_for(verifikator).post(
        reverse("santunan:claim_verify", args=[claim.pk]), follow=True
    )

    assert "tidak dapat dilakukan pada klaim berstatus" in text(response)
    assert Claim.objects.get(pk=claim.pk).events.filter(action="verify").count() == 1


def test_the_override_reason_is_recorded_with_the_verification(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)

    client_for(verifikator).post(
        reverse("santunan:claim_verify", args=[claim.pk]),
        {"expected_status": "submitted", "override_reason": "Data DTKS lama, SKTM ada"},
    )

    assert claim.events.get(action="verify").reason == "Data DTKS lama, SKTM ada"


def test_the_village_cannot_use_the_verifier_forms(client_for, operator_a):
    claim = submitted_claim(operator_a)
    client = client_for(operator_a)

    for name in ("claim_verify", "claim_return", "claim_reject", "claim_approve"):
        response = client.post(reverse(f"santunan:{name}", args=[claim.pk]), {"reason": "xxxxx"})
        assert response.status_code == 403, name
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED


def test_only_verifiers_open_the_queue(client_for, operator_a):
    assert client_for(operator_a).get(reverse("santunan:verifikator_home")).status_code == 403


def test_the_claim_page_has_room_for_the_registry_findings(client_for, operator_a, verifikator):
    claim = submitted_claim(operator_a)

    page = text(client_for(verifikator).get(reverse("santunan:claim_detail", args=[claim.pk])))

    assert page.count("Pemeriksaan registri</h2>") == 1


# --- the desa filter: grouped by kecamatan, narrowed by the chosen one ------------------


def test_the_desa_filter_groups_villages_under_their_kecamatan(client_for, verifikator, wilayah):
    page = text(client_for(verifikator).get(reverse("santunan:verifikator_home")))

    desa_select = page.split('id="f-desa"')[1].split("</select>")[0]
    # Two villages named Kalisari, told apart by the kecamatan they are listed under.
    blado = desa_select.split('<optgroup label="Blado">')[1].split("</optgroup>")[0]
    reban = desa_select.split('<optgroup label="Reban">')[1].split("</optgroup>")[0]
    assert 'value="33.25.03.2007">Kalisari<' in blado
    assert 'value="33.25.04.2017">Kalisari<' in reban


def test_choosing_a_kecamatan_narrows_the_desa_list(client_for, verifikator, wilayah):
    client = client_for(verifikator)
    page = text(client.get(reverse("santunan:verifikator_home")))
    kecamatan_select = page.split('id="f-kecamatan"')[1].split(">")[0]
    assert f'hx-get="{reverse("santunan:desa_choices")}"' in kecamatan_select
    assert 'hx-target="#f-desa"' in kecamatan_select

    options = text(client.get(reverse("santunan:desa_choices"), {"kecamatan": "33.25.03"}))

    assert options.startswith('<option value="">Semua</option>')
    assert '<optgroup label="Blado">' in options and "Reban" not in options
    assert "33.25.03.2007" in options and "33.25.04.2017" not in options


def test_the_chosen_desa_stays_chosen_only_inside_its_kecamatan(client_for, verifikator, wilayah):
    client = client_for(verifikator)
    url = reverse("santunan:desa_choices")

    same = text(client.get(url, {"kecamatan": "33.25.03", "desa": "33.25.03.2007"}))
    other = text(client.get(url, {"kecamatan": "33.25.04", "desa": "33.25.03.2007"}))
    every = text(client.get(url, {"kecamatan": "", "desa": "33.25.03.2007"}))

    assert 'value="33.25.03.2007" selected' in same
    assert "33.25.03.2007" not in other and " selected" not in other
    assert 'value="33.25.03.2007" selected' in every and '<optgroup label="Reban">' in every


def test_a_saved_kecamatan_filter_lists_only_its_villages(client_for, verifikator, wilayah):
    client = client_for(verifikator)

    page = text(filter_queue(client, kecamatan="33.25.04"))

    desa_select = page.split('id="f-desa"')[1].split("</select>")[0]
    assert '<optgroup label="Reban">' in desa_select and "Blado" not in desa_select


def test_the_desa_options_are_for_dinas_sosial_only(client_for, operator_a):
    response = client_for(operator_a).get(reverse("santunan:desa_choices"))

    assert response.status_code == 403


# --- the decision panel --------------------------------------------------------------


def test_the_decision_panel_sits_beside_the_facts_with_a_jump_link_for_phones(
    client_for, operator_a, verifikator
):
    claim = submitted_claim(operator_a)

    page = text(client_for(verifikator).get(reverse("santunan:claim_detail", args=[claim.pk])))

    assert 'class="claim-layout with-decision"' in page
    assert '<aside class="card decision" id="keputusan"' in page
    assert 'href="#keputusan"' in page
    # Before the timeline, which can be long: on a phone the decision comes first.
    assert page.index('id="keputusan"') < page.index("claim-timeline")


def test_the_village_gets_no_decision_panel(client_for, operator_a):
    claim = submitted_claim(operator_a)

    page = text(client_for(operator_a).get(reverse("santunan:claim_detail", args=[claim.pk])))

    assert "with-decision" not in page and 'id="keputusan"' not in page
