"""Mode latihan in a real browser (Debian's Chromium through Playwright): on a 360 px
phone the practice banner is in view at the top of every practice page, and stays in
view while the official scrolls; the page is amber, not the service's green."""

import pytest

from santunan.practice import start_practice_claim
from tests.browser import log_in

PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def banner_in_view(page) -> bool:
    box = page.locator(".practice-banner").bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_the_practice_banner_is_in_view_on_a_phone(server, browser, settings, tmp_path, operator_a):
    settings.MEDIA_ROOT = tmp_path / "media"
    claim = start_practice_claim(user=operator_a)
    # bypass_csp: wait_for_function evaluates its predicate as a string, which the
    # page's Content-Security-Policy (rightly) forbids to the page's own scripts.
    page = browser.new_context(viewport=PHONE, locale="id-ID", bypass_csp=True).new_page()
    log_in(page, server.url, operator_a)

    page.goto(f"{server.url}/latihan/")
    assert banner_in_view(page)
    assert "MODE LATIHAN" in page.locator(".practice-banner").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{server.url}/latihan/{claim.pk}/")
    assert banner_in_view(page)
    page.mouse.wheel(0, 3000)
    page.wait_for_function("window.scrollY > 0")
    assert banner_in_view(page)  # sticky: never scrolled out of sight
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    colour = page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    assert colour == "rgb(146, 64, 14)"  # the practice amber, not the real pages' green

    page.goto(f"{server.url}/desa/")
    assert page.locator(".practice-banner").count() == 0
