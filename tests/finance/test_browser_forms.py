"""The treasurer's forms in an English browser (Debian's Chromium through Playwright):
the budget takes 2600000000 and shows it as 2.600.000.000, the cash payment's date
reads dd/mm/yyyy and its file choosers speak Indonesian. Screenshots go to
test-artifacts/forms/."""

import pytest
from django.utils import timezone

from santunan.finance import services
from santunan.models import Budget
from tests.browser import log_in
from tests.conftest import ROOT

SHOTS = ROOT / "test-artifacts" / "forms"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def english_browser(browser, base_url: str, user, viewport: dict):
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, base_url, user)
    page.wait_for_url(f"{base_url}/keuangan/")
    return page


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_budget_takes_digits_and_shows_them_grouped(live_server, browser, bendahara):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = english_browser(browser, live_server.url, bendahara, LAPTOP)
    page.goto(f"{live_server.url}/keuangan/anggaran/")

    page.fill("#id_allocation", "2600000000")
    page.locator("#id_allocation").blur()
    assert page.input_value("#id_allocation") == "2.600.000.000"
    page.screenshot(path=str(SHOTS / "budget-1366x768.png"), full_page=True)
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(f"{live_server.url}/keuangan/")

    assert Budget.objects.get(year=timezone.localdate().year).allocation == 2_600_000_000
    # The same session on a phone's width: a second login would need the next code.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/keuangan/anggaran/")
    assert page.input_value("#id_allocation") == "2.600.000.000"
    page.screenshot(path=str(SHOTS / "budget-360.png"), full_page=True)
    assert width(page) <= PHONE["width"]


def test_the_cash_payment_form_reads_day_first_and_speaks_indonesian(
    live_server, browser, bendahara, approve
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    services.set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    claim = approve(heir_name="Tarmuji")
    batch = services.create_batch(user=bendahara, claim_ids=[claim.pk])
    services.sign_batch(
        user=bendahara, batch_id=batch.pk, signer_name="Drs. Bambang", signer_nip="1" * 18
    )
    services.disburse_batch(user=bendahara, batch_id=batch.pk)
    path = f"/keuangan/batch/{batch.pk}/tunai/{claim.pk}/"

    page = english_browser(browser, live_server.url, bendahara, LAPTOP)
    for viewport, name in ((LAPTOP, "1366x768"), (PHONE, "360")):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}{path}")
        assert page.input_value("#id_paid_on") == f"{timezone.localdate():%d/%m/%Y}"
        assert page.inner_text("label[for=id_receipt_scan].file-chooser-button") == "Pilih berkas"
        assert "No file chosen" not in page.inner_text("main")
        page.screenshot(path=str(SHOTS / f"cash-payment-{name}.png"), full_page=True)
        assert width(page) <= viewport["width"]
