"""The treasurer's pages on a 360 px phone and a 1366x768 laptop (Debian's Chromium
through Playwright, English browser): nothing wider than the screen. Screenshots go
to test-artifacts/finance/."""

import pytest
from django.utils import timezone

from santunan.finance import services
from tests.browser import log_in
from tests.conftest import ROOT
from tests.finance.conftest import csv_upload

SHOTS = ROOT / "test-artifacts" / "finance"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(browser, base_url: str, user, viewport: dict, home: str = "/keuangan/"):
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, base_url, user)
    page.wait_for_url(f"{base_url}{home}")
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def busy_treasury(bendahara, approve, approve_transfer):
    """Every table of the home page filled: claims to schedule, a batch, a failed
    transfer waiting for a decision."""
    failed = approve_transfer(1)
    services.set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    batch = services.create_batch(user=bendahara, claim_ids=[failed.pk])
    services.sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip="1" * 18
    )
    services.disburse_batch(user=bendahara, batch_id=batch.pk)
    services.reconcile_bank_result(
        user=bendahara,
        batch_id=batch.pk,
        upload=csv_upload(
            "Referensi,No Rekening,Nominal,Status,Tanggal,No Referensi Bank,Keterangan\r\n"
            f"{failed.number},1234567890,1000000,GAGAL,2026-11-27,TRX-2,Rekening tidak aktif\r\n"
            "TOTAL,1,1000000,,,,\r\n"
        ),
    )
    cash = approve(2, heir_name="Tarmuji Wiryo Sastro")
    approve_transfer(3)
    cash_batch = services.create_batch(user=bendahara, claim_ids=[cash.pk])
    services.sign_batch(
        user=bendahara, batch_id=cash_batch.pk, signer_name="Drs. Bambang", signer_nip="1" * 18
    )
    services.disburse_batch(user=bendahara, batch_id=cash_batch.pk)
    approve(4, heir_name="Warsini")
    return batch, cash_batch, cash


def scan_file(folder):
    from tests.santunan.factories import pdf_bytes

    path = folder / "kuitansi.pdf"
    path.write_bytes(pdf_bytes())
    return path


def test_the_treasurers_pages_fit_a_phone_and_a_laptop(
    server, browser, settings, tmp_path, bendahara, busy_treasury
):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)

    phone = open_as(browser, server.url, bendahara, PHONE)
    phone.screenshot(path=str(SHOTS / "home-360.png"), full_page=True)
    assert page_width(phone) <= PHONE["width"]

    batch, cash_batch, cash = busy_treasury
    phone.goto(f"{server.url}/keuangan/batch/{batch.pk}/")
    phone.screenshot(path=str(SHOTS / "batch-360.png"), full_page=True)
    assert page_width(phone) <= PHONE["width"]

    phone.get_by_role("link", name="Tutup batch…").click()
    phone.screenshot(path=str(SHOTS / "close-360.png"), full_page=True)
    assert phone.locator("#undecided-failures li").count() == 1
    assert page_width(phone) <= PHONE["width"]

    # The cash form refused for one field keeps the chosen scan and says so.
    phone.goto(f"{server.url}/keuangan/batch/{cash_batch.pk}/tunai/{cash.pk}/")
    phone.check("input[value=representative]")
    phone.fill("#id_collected_by", "Slamet Riyadi")
    phone.fill("#id_collector_nik", "3325")
    phone.set_input_files("#id_receipt_scan", str(scan_file(tmp_path)))
    phone.get_by_role("button", name="Catat sudah dibayar").click()
    phone.screenshot(path=str(SHOTS / "cash-refused-360.png"), full_page=True)
    errors = phone.locator(".msg-error").inner_text()
    assert "NIK penerima kuasa" in errors and "surat kuasa" in errors and "KTP" in errors
    assert "kuitansi.pdf" in phone.content()
    assert page_width(phone) <= PHONE["width"]

    laptop = phone  # one login: a second code in the same 30 s would be refused as used
    laptop.set_viewport_size(LAPTOP)
    laptop.goto(f"{server.url}/keuangan/")
    laptop.screenshot(path=str(SHOTS / "home-1366.png"), full_page=True)
    assert page_width(laptop) <= LAPTOP["width"]
    # Side by side, the batches' table is shown whole, not scrolled inside its box.
    wrap = laptop.locator("#batches").locator("xpath=..")
    assert wrap.evaluate("box => box.scrollWidth <= box.clientWidth")


def test_the_first_run_checklist_fits_a_phone_and_a_laptop(server, browser, administrator):
    SHOTS.mkdir(parents=True, exist_ok=True)
    # A fresh installation sends the administrator to choose the regency first.
    page = open_as(browser, server.url, administrator, PHONE, home="/wilayah/pengaturan/")
    page.goto(f"{server.url}/admin/")
    page.screenshot(path=str(SHOTS / "admin-home-360.png"), full_page=True)
    page.locator("#first-run-checklist a").click()
    page.wait_for_url(f"{server.url}/kantor/persiapan/")
    page.screenshot(path=str(SHOTS / "checklist-360.png"), full_page=True)
    assert page.locator('[data-done="no"]').count() == 7
    assert page_width(page) <= PHONE["width"]
    page.set_viewport_size(LAPTOP)
    page.screenshot(path=str(SHOTS / "checklist-1366.png"), full_page=True)
