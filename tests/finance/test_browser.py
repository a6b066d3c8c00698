"""The treasurer's whole round in a real browser (Debian's Chromium via Playwright)."""

from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from santunan.finance.services import set_budget
from tests.conftest import PASSWORD, ROOT
from tests.finance.conftest import pdf_text

ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(accept_downloads=True, locale="id-ID")
    return context.new_page()


def download(page, link_text: str, *, exact: bool = False) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_text, exact=exact).first.click()
    return Path(info.value.path()).read_bytes()


def test_finance_pays_a_batch_and_reconciles_the_bank_result(
    live_server, browser_page, bendahara, approve, approve_transfer
):
    ARTIFACTS.mkdir(exist_ok=True)
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    one, two = approve_transfer(1), approve_transfer(2, bank_account="9876543210")
    cash = approve(3, heir_name="Tarmuji")
    page = browser_page

    # The treasurer's authenticator, enrolled earlier: the code follows the password.
    device = TOTPDevice.objects.create(user=bendahara, name="ponsel", confirmed=True)
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", bendahara.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Lanjutkan").click()
    page.wait_for_url(f"{live_server.url}/keuangan/")
    assert page.locator('[data-figure="remaining"]').inner_text() == "Rp10.000.000"

    # Schedule the two transfer claims into a new batch.
    page.select_option("#id_payout_method", "transfer")
    page.get_by_role("button", name="Saring").click()
    page.check(f"#claim-{one.pk}")
    page.check(f"#claim-{two.pk}")
    page.get_by_role("button", name="Jadwalkan pembayaran").click()
    page.wait_for_url("**/keuangan/batch/*/")
    page.fill("#id_signer_name", "Drs. Bambang Wijaya")
    page.fill("#id_signer_nip", "197501012000031001")
    page.get_by_role("button", name="Catat tanda tangan pejabat").click()
    page.get_by_role("button", name="Catat sudah dicairkan").click()
    assert page.locator("#batch-status").inner_text() == "Dicairkan"
    page.screenshot(path=str(ARTIFACTS / "finance-batch.png"), full_page=True)

    listing = pdf_text(download(page, "Daftar nominatif (PDF)"))
    assert "DAFTAR NOMINATIF" in listing and one.number in listing and "Dua juta rupiah" in listing

    # The bank's answer: one transfer went through, one bounced.
    result = tmp_csv(
        "Referensi,No Rekening,Nominal,Status,Tanggal,No Referensi Bank,Keterangan\r\n"
        f"{one.number},1234567890,1000000,BERHASIL,2026-11-27,TRX-1,\r\n"
        f"{two.number},9876543210,1000000,GAGAL,2026-11-27,TRX-2,Rekening tidak aktif\r\n"
        "TOTAL,2,2000000,,,,\r\n"
    )
    page.set_input_files("#id_result_file", str(result))
    page.get_by_role("button", name="Unggah hasil bank").click()
    page.wait_for_url("**/keuangan/hasil-bank/*/")
    assert "1 dibayar, 1 gagal" in page.content()
    page.get_by_role("link", name="Kembali ke batch").click()
    assert page.locator(f'tr[data-claim="{one.number}"] .badge').inner_text() == "Dibayar"
    assert (
        page.locator(f'tr[data-claim="{two.number}"] .badge').inner_text() == "Gagal, dikembalikan"
    )
    page.screenshot(path=str(ARTIFACTS / "finance-reconciled.png"), full_page=True)

    # A cash batch: download the kuitansi for the heir to sign.
    page.goto(f"{live_server.url}/keuangan/")
    page.check(f"#claim-{cash.pk}")
    page.get_by_role("button", name="Jadwalkan pembayaran").click()
    page.wait_for_url("**/keuangan/batch/*/")
    receipt = pdf_text(download(page, "Kuitansi", exact=True))
    # A cash batch prints kuitansi, not transfer notices.
    assert page.get_by_role("link", name="Semua kuitansi dalam satu PDF untuk dicetak").is_visible()
    assert "KUITANSI" in receipt and "Tarmuji" in receipt and "Satu juta rupiah" in receipt

    # The budget moved: one paid, one scheduled (cash), the failed one released.
    page.goto(f"{live_server.url}/keuangan/")
    assert page.locator('[data-figure="paid"]').inner_text() == "Rp1.000.000"
    assert page.locator('[data-figure="committed"]').inner_text() == "Rp1.000.000"
    assert page.locator('[data-figure="remaining"]').inner_text() == "Rp8.000.000"
    assert page.locator(f"#failed-payments tr[data-claim=\"{two.number}\"]").is_visible()
    page.screenshot(path=str(ARTIFACTS / "finance-home.png"), full_page=True)


def tmp_csv(text: str) -> Path:
    path = ARTIFACTS / "hasil-bank.csv"
    path.write_text(text, encoding="utf-8")
    return path
