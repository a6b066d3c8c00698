"""Debian's Chromium driven through Playwright, for the tests that use a real browser."""

from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# This machine's network is closed: without these flags Chromium keeps dialling out
# (component updates, background requests) and each refused call costs time.
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@contextmanager
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(page, base_url: str, user) -> None:
    """Log in through the login form, past the second factor with the person's
    authenticator (one is enrolled for them if they have none yet)."""
    # Imported here: tests.conftest imports this module.
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import PASSWORD

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    page.goto(f"{base_url}/akun/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    if page.locator("#id_token").count():
        page.fill("#id_token", f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Lanjutkan").click()
        page.wait_for_load_state()
