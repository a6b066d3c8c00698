"""The late-documents path in a real browser (Debian's Chromium through Playwright),
with an English browser: the village finds the claim the registry check asked more of
on its home, uploads the two documents from a 360 px phone, and the verifier sees on a
1366x768 screen what arrived, with the registry findings beside the decision panel.
Screenshots go to test-artifacts/late-documents/."""

import pytest
from django.contrib.auth.models import Group

from dinsos_sync.services import check_claims, import_snapshot
from santunan.models import Claim, Status
from santunan.services import verify_claim
from tests.browser import log_in
from tests.conftest import PASSWORD, ROOT
from tests.dinsos_sync.conftest import HEIR_NIK, KK, person, write_csv
from tests.santunan.factories import png_bytes, submitted_claim
from villages.roles import Role

SHOTS = ROOT / "test-artifacts" / "late-documents"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(browser, base_url: str, username: str, viewport: dict, path: str):
    context = browser.new_context(viewport=viewport, locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base_url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base_url}{path}")
    return page


def in_view(page, selector: str, viewport: dict) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] < viewport["height"]


@pytest.fixture
def claim(settings, tmp_path, operator_a):
    """Submitted; the worker's check found the household outside DTKS/DTSEN."""
    settings.MEDIA_ROOT = tmp_path / "media"
    extracts = {
        "population": [
            person("population", nama="SLAMET RIYADI"),
            person(
                "population",
                nik=HEIR_NIK,
                nama="SITI AMINAH",
                tanggal_lahir="05-06-1975",
                jenis_kelamin="P",
                status_hidup="HIDUP",
                tanggal_meninggal="",
            ),
        ],
        "social": [person("social", nik="3325012208600004", nama="TETANGGA")],
    }
    for source, rows in extracts.items():
        import_snapshot(source=source, path=write_csv(tmp_path / f"{source}.csv", source, rows))
    claim = submitted_claim(operator_a, heir_nik=HEIR_NIK, deceased_kk=KK)
    check_claims(claim_ids=[claim.pk])
    return claim


def test_the_village_uploads_from_a_phone_and_the_verifier_sees_what_arrived(
    server,
    browser,
    tmp_path,
    claim,
    verifikator,
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    scan = tmp_path / "sktm.png"
    scan.write_bytes(png_bytes((400, 300)))

    # The verifier first: the claim waits for the village, verifying is not possible.
    desk = open_as(browser, server.url, "verif", LAPTOP, f"/klaim/{claim.pk}/")
    desk.screenshot(path=str(SHOTS / "verifier-waiting-1366x768.png"))
    assert in_view(desk, ".registry-findings", LAPTOP)
    assert desk.locator("#keputusan button.primary").first.is_disabled()

    for name, viewport in (("360", PHONE), ("1366x768", LAPTOP)):
        home = open_as(browser, server.url, "operator_a", viewport, "/desa/")
        assert home.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        home.screenshot(path=str(SHOTS / f"village-home-{name}.png"), full_page=True)
        assert home.locator(".late-documents").count() == 1
    home.close()

    phone = open_as(browser, server.url, "operator_a", PHONE, "/desa/")
    phone.click("text=Unggah dokumen yang diminta")
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.set_input_files("input[name=doc-sktm]", str(scan))
    phone.set_input_files("input[name=doc-foto_rumah]", str(scan))
    phone.screenshot(path=str(SHOTS / "village-upload-360.png"), full_page=True)
    phone.click("text=Kirim dokumen ke Dinas Sosial")
    phone.wait_for_load_state()
    phone.screenshot(path=str(SHOTS / "village-sent-360.png"), full_page=True)
    assert "terkirim" in phone.content()
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED

    for name, viewport in (("1366x768", LAPTOP), ("360", PHONE)):
        queue = open_as(browser, server.url, "verif", viewport, "/verifikasi/")
        queue.screenshot(path=str(SHOTS / f"verifier-queue-{name}.png"), full_page=True)
        assert queue.locator("#queue .badge-completed").count() == 1
        page = open_as(browser, server.url, "verif", viewport, f"/klaim/{claim.pk}/")
        page.screenshot(path=str(SHOTS / f"verifier-claim-{name}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert in_view(page, ".late-arrived", viewport)
    # On the laptop the findings stand in the first screen, beside an enabled decision.
    assert in_view(page, ".late-arrived", PHONE)
    laptop = open_as(browser, server.url, "verif", LAPTOP, f"/klaim/{claim.pk}/")
    assert in_view(laptop, ".registry-findings", LAPTOP)
    assert in_view(laptop, "text=Verifikasi: data dan dokumen sesuai", LAPTOP)
    assert laptop.locator("text=Verifikasi: data dan dokumen sesuai").is_enabled()


def test_the_approver_sends_back_beside_the_findings_and_sees_why_approve_is_missing(
    server, browser, claim, operator_a, verifikator, approver
):
    """The approver on a laptop: the registry findings in the first screen beside the
    decision panel, which offers approving and sending back; the verifier who also
    approves is told why there is no approve button."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    Claim.objects.filter(pk=claim.pk).update(extra_required_documents=[])
    verify_claim(user=verifikator, claim_id=claim.pk)

    page = open_with_code(browser, server.url, approver, LAPTOP, f"/klaim/{claim.pk}/")
    page.screenshot(path=str(SHOTS / "approver-claim-1366x768.png"))
    assert in_view(page, ".registry-findings", LAPTOP)
    assert in_view(page, "text=Setujui pembayaran", LAPTOP)
    page.fill("#send-back-reason", "Periksa lagi KK almarhum.")
    page.click("#keputusan button:has-text('Kembalikan ke verifikator')")
    page.wait_for_load_state()
    assert Claim.objects.get(pk=claim.pk).status == Status.SUBMITTED

    verifikator.groups.add(Group.objects.get(name=Role.APPROVER))
    verify_claim(user=verifikator, claim_id=claim.pk)
    own = open_with_code(browser, server.url, verifikator, LAPTOP, f"/klaim/{claim.pk}/")
    own.screenshot(path=str(SHOTS / "self-verified-1366x768.png"))
    assert own.locator(".self-verified").is_visible()
    assert own.locator("text=Setujui pembayaran").count() == 0
    # The same session (a second login would reuse the code just spent) on a phone.
    own.set_viewport_size(PHONE)
    own.goto(f"{server.url}/persetujuan/")
    own.screenshot(path=str(SHOTS / "self-verified-approvals-360.png"), full_page=True)
    row = own.locator(f"tr:has-text('{claim.number}')")
    assert row.locator("text=Anda verifikasi sendiri").is_visible()
    assert own.locator(f"#claim-{claim.pk}").count() == 0
    assert own.locator("text=Setujui klaim yang dicentang").count() == 0


def open_with_code(browser, base_url: str, user, viewport: dict, path: str):
    """Log in past the second factor with the person's enrolled authenticator."""
    context = browser.new_context(viewport=viewport, locale="en-US", bypass_csp=True)
    page = context.new_page()
    log_in(page, base_url, user)
    page.goto(f"{base_url}{path}")
    return page
