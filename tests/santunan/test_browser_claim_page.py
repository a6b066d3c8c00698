"""The verifier's pages in a real browser (Debian's Chromium through Playwright): the
decision panel in view without scrolling on a 1366x768 screen and still in view after
scrolling, nothing wider than a 360 px phone, and the desa filter narrowed by htmx
when a kecamatan is chosen. Screenshots go to test-artifacts/verifier/."""

import pytest

from tests.conftest import PASSWORD, ROOT
from tests.santunan.factories import submitted_claim

SHOTS = ROOT / "test-artifacts" / "verifier"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(browser, base_url: str, username: str, viewport: dict, path: str):
    # bypass_csp: wait_for_function evaluates its predicate as a string, which the
    # page's Content-Security-Policy (rightly) forbids to the page's own scripts.
    page = browser.new_context(viewport=viewport, locale="id-ID", bypass_csp=True).new_page()
    page.goto(f"{base_url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base_url}{path}")
    return page


def in_view(page, selector: str, viewport: dict) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def test_the_decision_panel_is_in_view_on_a_laptop_and_reachable_on_a_phone(
    server,  # noqa: F811
    browser,  # noqa: F811
    settings,
    tmp_path,
    operator_a,
    verifikator,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    claim = submitted_claim(operator_a)
    path = f"/klaim/{claim.pk}/"
    verify = "text=Verifikasi: data dan dokumen sesuai"
    give_back = "#keputusan button:has-text('Kembalikan ke desa')"

    laptop = open_as(browser, server.url, "verif", LAPTOP, path)
    laptop.screenshot(path=str(SHOTS / "claim-1366x768.png"))
    assert in_view(laptop, verify, LAPTOP) and in_view(laptop, give_back, LAPTOP)
    laptop.mouse.wheel(0, 2000)
    laptop.wait_for_function("window.scrollY > 0")
    assert in_view(laptop, verify, LAPTOP)  # sticky beside the facts

    phone = open_as(browser, server.url, "verif", PHONE, path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.click("text=Ke keputusan")
    phone.wait_for_function("window.scrollY > 0")
    phone.screenshot(path=str(SHOTS / "claim-360.png"))
    assert in_view(phone, verify, PHONE)


def test_choosing_a_kecamatan_narrows_the_desa_list_in_place(
    server, browser, verifikator, wilayah  # noqa: F811
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_as(browser, server.url, "verif", LAPTOP, "/verifikasi/")
    assert page.locator("#f-desa optgroup").count() == 15

    page.select_option("#f-kecamatan", "33.25.03")
    page.wait_for_function("document.querySelectorAll('#f-desa optgroup').length === 1")

    assert page.locator("#f-desa optgroup").get_attribute("label") == "Blado"
    assert page.locator("#f-desa option[value='33.25.03.2007']").count() == 1
    assert page.locator("#f-desa option[value='33.25.04.2017']").count() == 0
    page.screenshot(path=str(SHOTS / "desa-filter.png"))
