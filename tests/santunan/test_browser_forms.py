"""The village's forms in an English browser (Debian's Chromium through Playwright): a
date typed day first is stored as that day, the file choosers speak Indonesian and work
from the keyboard, and nothing is wider than a 360 px phone. Screenshots go to
test-artifacts/forms/."""

from datetime import date

import pytest

from santunan.models import Claim
from tests.conftest import PASSWORD, ROOT
from tests.santunan.factories import png_bytes

SHOTS = ROOT / "test-artifacts" / "forms"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def english_browser(browser, base_url: str, username: str, viewport: dict):
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    page.goto(f"{base_url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_an_english_browser_types_05_11_2026_and_the_claim_keeps_5_november(
    server, browser, operator_a
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = english_browser(browser, server.url, "operator_a", LAPTOP)
    page.goto(f"{server.url}/desa/klaim/baru/")
    assert page.get_attribute("#id_death_date", "type") == "text"
    assert page.get_attribute("#id_death_date", "placeholder") == "hh/bb/tttt"

    # The browser checks the shape too (the pattern), in the site's words.
    page.fill("#id_death_date", "11 May 2026")
    assert page.evaluate("document.querySelector('#id_death_date').validity.patternMismatch")
    page.fill("#id_death_date", "2026-11-05")
    assert page.evaluate("document.querySelector('#id_death_date').validity.valid")

    page.fill("#id_deceased_name", "Slamet Riyadi")
    page.fill("#id_deceased_birth_date", "12/03/1950")
    page.fill("#id_death_date", "05/11/2026")
    page.screenshot(path=str(SHOTS / "claim-dates-1366x768.png"), full_page=True)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/ahli-waris/")

    claim = Claim.objects.get()
    assert claim.death_date == date(2026, 11, 5)
    assert claim.deceased_birth_date == date(1950, 3, 12)

    page.goto(f"{server.url}/desa/klaim/{claim.pk}/almarhum/")
    assert page.input_value("#id_death_date") == "05/11/2026"

    phone = english_browser(browser, server.url, "operator_a", PHONE)
    phone.goto(f"{server.url}/desa/klaim/{claim.pk}/almarhum/")
    phone.screenshot(path=str(SHOTS / "claim-dates-360.png"), full_page=True)
    assert width(phone) <= PHONE["width"]


def test_the_file_choosers_speak_indonesian_and_name_the_chosen_file(
    server, browser, operator_a, tmp_path
):
    from tests.santunan.factories import draft_claim

    SHOTS.mkdir(parents=True, exist_ok=True)
    claim = draft_claim(operator_a, documents=False)
    path = f"/desa/klaim/{claim.pk}/dokumen/"
    scan = tmp_path / "kartu-keluarga.png"
    scan.write_bytes(png_bytes())

    page = english_browser(browser, server.url, "operator_a", LAPTOP)
    page.goto(f"{server.url}{path}")
    row = page.locator(".doc-row").filter(has=page.locator("#doc-kk"))
    assert row.locator(".file-chooser-button").inner_text() == "Pilih berkas"
    assert row.locator(".file-chooser-name").inner_text() == "Belum ada berkas"
    assert "No file chosen" not in page.inner_text("main")

    # Reached with the keyboard: the real input takes the focus, its button shows it.
    page.focus("#doc-ktp_almarhum")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "doc-kk"
    page.set_input_files("#doc-kk", str(scan))
    assert row.locator(".file-chooser-name").inner_text() == "kartu-keluarga.png"
    page.screenshot(path=str(SHOTS / "documents-1366x768.png"), full_page=True)

    phone = english_browser(browser, server.url, "operator_a", PHONE)
    phone.goto(f"{server.url}{path}")
    phone.screenshot(path=str(SHOTS / "documents-360.png"), full_page=True)
    assert width(phone) <= PHONE["width"]

    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    assert claim.documents.filter(kind="kk", superseded=False).count() == 1


def test_the_village_statistics_fit_a_phone(server, browser, operator_a):
    from tests.santunan.factories import submitted_claim

    SHOTS.mkdir(parents=True, exist_ok=True)
    submitted_claim(operator_a)
    for viewport, name in ((LAPTOP, "1366x768"), (PHONE, "360")):
        page = english_browser(browser, server.url, "operator_a", viewport)
        page.goto(f"{server.url}/desa/")
        page.click("a[href='/desa/statistik/']")
        page.wait_for_url("**/desa/statistik/")
        page.screenshot(path=str(SHOTS / f"desa-statistics-{name}.png"), full_page=True)
        assert page.inner_text("[data-figure=total]") == "1"
        assert width(page) <= viewport["width"]


def test_the_office_and_public_forms_read_day_first_and_fit_a_phone(server, browser, verifikator):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = english_browser(browser, server.url, "verif", LAPTOP)
    page.goto(f"{server.url}/arsip/")
    page.fill("#id_submitted_from", "Nov 1, 2026")
    page.get_by_role("button", name="Cari").click()
    # Refused by the browser itself, with the site's sentence instead of its own.
    message = page.evaluate("document.querySelector('#id_submitted_from').validationMessage")
    assert message == "Tulis tanggal sebagai hh/bb/tttt, misalnya 05/11/2026."
    assert page.url.endswith("/arsip/")
    page.fill("#id_submitted_from", "01/11/2026")
    page.fill("#id_submitted_to", "05/11/2026")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url("**/arsip/?*")
    # Filters travel in the address as ISO dates and come back day first.
    assert "submitted_to=2026-11-05" in page.url
    assert page.input_value("#id_submitted_to") == "05/11/2026"
    assert page.locator("main .msg-error").count() == 0
    page.screenshot(path=str(SHOTS / "archive-1366x768.png"))

    page.goto(f"{server.url}/registri/")
    assert page.get_attribute("#id_received_on", "placeholder") == "hh/bb/tttt"
    assert page.inner_text("label[for=id_file].file-chooser-button") == "Pilih berkas"
    page.screenshot(path=str(SHOTS / "registry-1366x768.png"), full_page=True)

    page.set_viewport_size(PHONE)
    for path, name in (("/arsip/", "archive"), ("/registri/", "registry")):
        page.goto(f"{server.url}{path}")
        page.screenshot(path=str(SHOTS / f"{name}-360.png"), full_page=True)
        assert width(page) <= PHONE["width"], path

    public = browser.new_context(viewport=PHONE, locale="en-US").new_page()
    public.goto(f"{server.url}/cek-surat/")
    public.fill("#id_kode", "not-a-code")
    public.get_by_role("button", name="Periksa").click()
    public.wait_for_load_state()
    assert "Kode ini tidak dikenal" in public.inner_text("main")
    public.screenshot(path=str(SHOTS / "letter-code-360.png"), full_page=True)
    assert width(public) <= PHONE["width"]
