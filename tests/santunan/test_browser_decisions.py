"""The verifier's decisions in a real browser (Debian's Chromium through Playwright, an
English browser): "Verifikasi" asks for confirmation on a page of its own, and the
reject form shows the heir's SMS as the reason is typed, with no script the
Content-Security-Policy refuses. Screenshots go to test-artifacts/verifier/."""

import pytest

from santunan.models import Claim, Status
from tests.conftest import PASSWORD, ROOT
from tests.santunan.factories import submitted_claim

SHOTS = ROOT / "test-artifacts" / "verifier"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_claim(browser, base_url: str, viewport: dict, claim: Claim):
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{base_url}/akun/masuk/")
    page.fill("#id_username", "verif")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base_url}/klaim/{claim.pk}/")
    return page, refused


def test_verifikasi_is_confirmed_on_its_own_page_before_the_claim_moves_on(
    server, browser, settings, tmp_path, operator_a, verifikator
):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    claim = submitted_claim(operator_a)
    page, refused = open_claim(browser, server.url, LAPTOP, claim)

    page.click("#keputusan button:has-text('Verifikasi: data dan dokumen sesuai')")
    page.wait_for_url(f"**/klaim/{claim.pk}/verifikasi/konfirmasi/")
    page.screenshot(path=str(SHOTS / "verify-confirm-1366x768.png"))
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED

    page.click("button:has-text('Ya, verifikasi')")
    page.wait_for_url("**/verifikasi/")
    assert Claim.objects.get(pk=claim.pk).status == Status.VERIFIED
    assert refused == []


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360", "1366x768"])
def test_the_reject_form_shows_the_heirs_sms_as_the_reason_is_typed(
    server, browser, settings, tmp_path, operator_a, verifikator, viewport
):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    claim = submitted_claim(operator_a)
    page, refused = open_claim(browser, server.url, viewport, claim)

    page.click("#keputusan summary:has-text('Tolak klaim')")
    page.wait_for_selector("#reject-sms:has-text('Tulis alasannya')")
    page.fill("#reject-reason", "Bukan warga Kabupaten Batang.")
    page.wait_for_selector("#reject-sms blockquote.sms-preview")

    sms = page.inner_text("#reject-sms blockquote.sms-preview")
    page.locator("#reject-sms").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"reject-sms-{viewport['width']}x{viewport['height']}.png"))
    assert sms.startswith(f"Klaim {claim.number} ditolak: Bukan warga Kabupaten Batang. Tanyakan")
    assert ".." not in sms
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert refused == []
