"""The whole journey of one claim in a real browser (Debian's Chromium through
Playwright), the village official on a 360 px phone screen. Each step leaves a
screenshot in test-artifacts/journey/."""

import os
from pathlib import Path

import pytest
from django.db import connections
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from santunan.models import Claim, Status
from tests.conftest import PASSWORD, ROOT
from tests.santunan.factories import DECEASED_NIK, HEIR_NIK, pdf_bytes, png_bytes

# Playwright's sync API runs an event loop in this thread; the test's own database
# reads are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_sync = pytest.importorskip("playwright.sync_api")
SHOTS = ROOT / "test-artifacts" / "journey"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
        # Playwright's sync API runs the test in its own context, where Django opened
        # a second connection; close it so the test database can be dropped.
        connections.close_all()


@pytest.fixture
def server(request):
    """pytest-django's live server. Django's live server wraps a media handler that
    cannot parse our MEDIA_URL = None (no URL serves uploads); a URL on another host,
    read once at start, makes that handler step aside for every request."""
    with override_settings(MEDIA_URL="http://uploads.invalid/"):
        return request.getfixturevalue("live_server")


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, content in [
        ("kk.png", png_bytes((600, 400))),
        ("ktp.png", png_bytes()),
        ("ktp-ahli-waris.png", png_bytes()),
        ("surat-kematian.pdf", pdf_bytes()),
    ]:
        paths[name] = tmp_path / name
        paths[name].write_bytes(content)
    return paths


class Journey:
    def __init__(self, browser, base_url):
        self.browser, self.base_url, self.count = browser, base_url, 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()

    def login(self, username, viewport=DESKTOP):
        page = self.browser.new_context(viewport=viewport, locale="id-ID").new_page()
        page.goto(f"{self.base_url}/akun/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_load_state()
        if "/akun/dua-langkah/" in page.url:
            # Approver and treasurer: enrol the authenticator, as on a first login.
            device = TOTPDevice.objects.get(user__username=username, confirmed=False)
            page.fill("#id_token", f"{totp(device.bin_key):06d}")
            page.get_by_role("button", name="Aktifkan").click()
            page.wait_for_load_state()
            page.get_by_role("link", name="Sudah saya simpan, lanjutkan").click()
            page.wait_for_load_state()
        return page

    def shot(self, page, step):
        self.count += 1
        page.screenshot(path=str(SHOTS / f"{self.count:02d}-{step}.png"), full_page=True)


def test_a_claim_travels_from_the_village_to_finance(
    server, browser, files, settings, tmp_path, operator_a, verifikator, approver, bendahara
):
    settings.MEDIA_ROOT = tmp_path / "media"
    journey = Journey(browser, server.url)
    death = (timezone.localdate() - timezone.timedelta(days=4)).isoformat()

    # The village official, on a phone, fills the claim in four steps and submits it.
    village = journey.login("operator_a", PHONE)
    assert village.url.endswith("/desa/")
    village.click("text=+ Klaim baru")
    village.fill("#id_deceased_nik", DECEASED_NIK)
    village.fill("#id_deceased_name", "Slamet Riyadi")
    village.check("input[name=deceased_sex][value=L]")
    village.fill("#id_deceased_birth_date", "1950-03-12")
    village.fill("#id_death_date", death)
    village.fill("#id_death_place", "Rumah")
    village.fill("#id_deceased_kk", "3325010101090001")
    village.fill("#id_deceased_address", "Dukuh Krajan RT 01/02, Silurah")
    journey.shot(village, "village-deceased")
    village.click("text=Simpan dan lanjut")
    village.fill("#id_heir_nik", HEIR_NIK)
    village.fill("#id_heir_name", "Siti Aminah")
    village.select_option("#id_heir_relation", "anak")
    village.fill("#id_heir_phone", "081234567890")
    village.check("input[name=payout_method][value=tunai]")
    assert not village.is_visible("#id_bank_account")  # only asked for a transfer
    journey.shot(village, "village-heir")
    village.click("text=Simpan dan lanjut")
    village.set_input_files("#doc-kk", files["kk.png"])
    village.set_input_files("#doc-ktp_almarhum", files["ktp.png"])
    village.set_input_files("#doc-ktp_ahli_waris", files["ktp-ahli-waris.png"])
    village.set_input_files("#doc-surat_kematian", files["surat-kematian.pdf"])
    journey.shot(village, "village-documents")
    village.click("text=Simpan dokumen dan lanjut")
    assert village.is_visible("text=Data dan dokumen lengkap")
    journey.shot(village, "village-review")
    village.click("text=Ajukan ke Dinas Sosial")
    claim = Claim.objects.get()
    assert village.is_visible(f"text=Klaim {claim.number} diajukan ke Dinas Sosial")
    journey.shot(village, "village-submitted")

    # The verifier finds it in the queue and returns it with a reason.
    verifier = journey.login("verif")
    assert verifier.is_visible(f"text={claim.number}")
    # The search is posted by htmx and only the list is replaced.
    verifier.fill("#f-q", "Nama Yang Tidak Ada")
    verifier.click("text=Tampilkan")
    verifier.wait_for_selector("text=Tidak ada klaim yang cocok")
    verifier.fill("#f-q", DECEASED_NIK)
    verifier.click("text=Tampilkan")
    verifier.wait_for_selector(f"text={claim.number}")
    assert DECEASED_NIK not in verifier.url
    journey.shot(verifier, "verifier-queue")
    verifier.click(f"text={claim.number}")
    assert verifier.is_visible(f"text={DECEASED_NIK}")
    verifier.fill("#return-reason", "Foto KK kurang jelas, mohon unggah ulang.")
    journey.shot(verifier, "verifier-claim")
    verifier.click("button:has-text('Kembalikan ke desa')")
    assert verifier.is_visible("text=dikembalikan ke desa")

    # The village sees the reason, uploads a better KK and sends it again.
    village.goto(f"{server.url}/desa/")
    assert village.is_visible("text=Foto KK kurang jelas, mohon unggah ulang.")
    journey.shot(village, "village-sees-return")
    village.click("text=Perbaiki dan ajukan lagi")
    village.click(".steps >> text=Dokumen")
    village.set_input_files("#doc-kk", files["kk.png"])
    village.click("text=Simpan dokumen dan lanjut")
    village.click("text=Ajukan lagi ke Dinas Sosial")
    assert village.is_visible(f"text=Klaim {claim.number} diajukan ke Dinas Sosial")
    journey.shot(village, "village-resubmitted")

    # The verifier verifies.
    verifier.goto(f"{server.url}/klaim/{claim.pk}/")
    verifier.click("text=Verifikasi: data dan dokumen sesuai")
    assert verifier.is_visible("text=terverifikasi dan diteruskan")
    journey.shot(verifier, "verifier-verified")

    # The approver ticks it and approves.
    head = journey.login("kabid")
    head.check(f"#claim-{claim.pk}")
    journey.shot(head, "approver-list")
    head.click("text=Setujui klaim yang dicentang")
    assert head.is_visible("text=1 klaim disetujui")
    journey.shot(head, "approver-approved")

    # Finance sees the approved claim.
    finance = journey.login("bendahara")
    finance.goto(f"{server.url}/keuangan/")
    assert finance.is_visible(f"text={claim.number}")
    journey.shot(finance, "finance")

    claim.refresh_from_db()
    assert claim.status == Status.APPROVED
    assert list(
        claim.events.exclude(action__in=["update", "attach_document"]).values_list(
            "action", flat=True
        )
    ) == ["create", "submit", "return_to_village", "submit", "verify", "approve"]
