"""One claim through the whole service as its users run it: the web server, the
background worker and the two registries as separate processes on a fresh database
(PostgreSQL in CI), Chromium driving every role's pages — the village on a 360 px
phone — and each next step waiting for what the worker had to do first. The browsers
ask for English (Accept-Language en-US, as many office PCs do): the service answers
in Indonesian. Each step leaves a screenshot in test-artifacts/system/."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.browser import chromium
from tests.conftest import DESA_A, ROOT
from tests.dinsos_sync.conftest import KK, person, write_csv
from tests.santunan.factories import pdf_bytes, png_bytes
from tests.system.stack import Stack, demo_passwords, demo_totp_secrets, totp_code

pytestmark = [pytest.mark.system, pytest.mark.browser]

SHOTS = ROOT / "test-artifacts" / "system"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
# Valid Batang NIKs: Slamet Riyadi (man, born 12-03-1950) and his daughter (05-06-1975).
DECEASED_NIK = "3325011203500011"
HEIR_NIK = "3325014506750012"


@pytest.fixture(scope="module")
def registries(tmp_path_factory):
    """Dukcapil knows both; DTKS/DTSEN lists the household above the poor deciles, so
    the check must ask for an SKTM and a photo of the house."""
    folder = tmp_path_factory.mktemp("registries")
    death = timezone.localdate() - timedelta(days=4)
    common = {"no_kk": KK, "kode_desa": DESA_A}
    deceased = {"nik": DECEASED_NIK, "nama": "SLAMET RIYADI", "tanggal_lahir": "12-03-1950"}
    heir = {
        "nik": HEIR_NIK,
        "nama": "SITI AMINAH",
        "tanggal_lahir": "05-06-1975",
        "jenis_kelamin": "P",
    }
    population = write_csv(folder / "dukcapil.csv", "population", [
        person("population", **common, **deceased, tanggal_meninggal=death.strftime("%d/%m/%Y")),
        person("population", **common, **heir, status_hidup="HIDUP", tanggal_meninggal=""),
    ])
    social = write_csv(folder / "dtsen.csv", "social", [
        person("social", **common, **deceased, status_dtks="TIDAK", desil="8"),
        person("social", **common, **heir, status_dtks="TIDAK", desil="8"),
    ])
    return {"population": Path(population), "social": Path(social), "death": death}


@pytest.fixture(scope="module")
def stack(tmp_path_factory, registries):
    stack = Stack(tmp_path_factory.mktemp("journey"))
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("load_wilayah", "villages/data/batang_wilayah.csv")
        accounts = stack.manage("create_demo_accounts")
        stack.passwords = demo_passwords(accounts)
        stack.totp_secrets = demo_totp_secrets(accounts)
        for source, variable in (("population", "POPULATION"), ("social", "SOCIAL")):
            stack.env[f"{variable}_REGISTRY_URL"] = stack.start_registry(
                source, registries[source]
            )
        stack.start_worker()
        stack.start_web()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, content in [
        ("kk.png", png_bytes((600, 400))),
        ("ktp.png", png_bytes()),
        ("ktp-ahli-waris.png", png_bytes()),
        ("surat-kematian.pdf", pdf_bytes()),
        ("sktm.pdf", pdf_bytes()),
        ("rumah.png", png_bytes((800, 600))),
        ("kuitansi-ttd.png", png_bytes((800, 1100))),
    ]:
        paths[name] = tmp_path / name
        paths[name].write_bytes(content)
    return paths


class Journey:
    def __init__(self, browser, stack):
        self.browser, self.stack, self.count = browser, stack, 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()

    def open(self, viewport=DESKTOP):
        context = self.browser.new_context(
            viewport=viewport, locale="en-US", accept_downloads=True
        )
        return context.new_page()

    def login(self, username, viewport=DESKTOP):
        page = self.open(viewport)
        page.goto(f"{self.stack.url}/akun/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", self.stack.passwords[username])
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_load_state()
        assert "/akun/masuk/" not in page.url, f"{username} could not log in"
        if "/akun/dua-langkah/" in page.url:
            # The roles that move money type their authenticator's code, as a person does.
            page.fill("#id_token", totp_code(self.stack.totp_secrets[username]))
            page.get_by_role("button", name="Lanjutkan").click()
            page.wait_for_load_state()
            assert "/akun/" not in page.url, f"{username} could not pass the second factor"
        return page

    def shot(self, page, step):
        self.count += 1
        page.screenshot(path=str(SHOTS / f"{self.count:02d}-{step}.png"), full_page=True)

    def reload_until(self, page, text: str, timeout: float = 90):
        """Reload as a person would until the worker's result shows on the page."""
        deadline = timezone.now() + timedelta(seconds=timeout)
        while text not in page.content():
            assert timezone.now() < deadline, f"{text!r} did not appear on {page.url}"
            page.wait_for_timeout(700)
            page.reload()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_one_claim_from_the_village_phone_to_the_public_letter_check(
    stack, browser, files, registries
):
    journey = Journey(browser, stack)
    url = stack.url

    # The village official, on a phone, fills the four steps and submits.
    village = journey.login("operator", PHONE)
    assert village.url.endswith("/desa/")
    assert village.locator("html").get_attribute("lang") == "id"
    village.click("text=+ Klaim baru")
    village.fill("#id_deceased_nik", DECEASED_NIK)
    village.fill("#id_deceased_name", "Slamet Riyadi")
    village.check("input[name=deceased_sex][value=L]")
    village.fill("#id_deceased_birth_date", "1950-03-12")
    village.fill("#id_death_date", registries["death"].isoformat())
    village.fill("#id_death_place", "Rumah")
    village.fill("#id_deceased_kk", KK)
    village.fill("#id_deceased_address", "Dukuh Krajan RT 01/02, Silurah")
    journey.shot(village, "village-deceased")
    village.get_by_role("button", name="Simpan dan lanjut").click()
    village.fill("#id_heir_nik", HEIR_NIK)
    village.fill("#id_heir_name", "Siti Aminah")
    village.select_option("#id_heir_relation", "anak")
    village.fill("#id_heir_phone", "081234567890")
    village.check("input[name=payout_method][value=tunai]")
    journey.shot(village, "village-heir")
    village.get_by_role("button", name="Simpan dan lanjut").click()
    village.set_input_files("#doc-kk", files["kk.png"])
    village.set_input_files("#doc-ktp_almarhum", files["ktp.png"])
    village.set_input_files("#doc-ktp_ahli_waris", files["ktp-ahli-waris.png"])
    village.set_input_files("#doc-surat_kematian", files["surat-kematian.pdf"])
    journey.shot(village, "village-documents")
    village.get_by_role("button", name="Simpan dokumen dan lanjut").click()
    assert village.is_visible("text=Data dan dokumen lengkap")
    journey.shot(village, "village-review")
    village.get_by_role("button", name="Ajukan ke Dinas Sosial").click()
    number = re.search(r"Klaim (SKM-\d{4}-\d{6}) diajukan", village.content()).group(1)
    journey.shot(village, "village-submitted")

    # The verifier opens it from the queue; the worker's registry check shows there.
    verifier = journey.login("verifikator")
    verifier.get_by_role("link", name=number).click()
    claim_url = verifier.url
    journey.reload_until(verifier, "tidak termasuk miskin")
    assert "SKTM" in verifier.content()
    journey.shot(verifier, "verifier-findings")

    # Verification is closed while SKTM and the house photo are missing (the service
    # refuses it too: tests/dinsos_sync/test_required_documents.py) ...
    assert verifier.get_by_role("button", name="Verifikasi: data dan dokumen sesuai").is_disabled()
    assert "Dokumen wajib belum lengkap" in verifier.locator(".decision").inner_text()
    assert "Foto rumah" in verifier.input_value("#return-reason")  # the reason, written for them
    journey.shot(verifier, "verifier-missing-documents")
    # ... so the verifier returns the claim to the village with the reason.
    verifier.fill("#return-reason", "Rumah tangga tidak terdaftar miskin: unggah SKTM dan foto rumah.")
    verifier.get_by_role("button", name="Kembalikan ke desa").click()
    assert verifier.is_visible("text=dikembalikan ke desa")

    # The village sees why, uploads both and submits again.
    village.goto(f"{url}/desa/")
    assert village.is_visible("text=unggah SKTM dan foto rumah")
    journey.shot(village, "village-sees-return")
    village.get_by_role("link", name="Perbaiki dan ajukan lagi").first.click()
    village.goto(village.url.replace("/periksa/", "/dokumen/"))
    village.set_input_files("#doc-sktm", files["sktm.pdf"])
    village.set_input_files("#doc-foto_rumah", files["rumah.png"])
    village.get_by_role("button", name="Simpan dokumen dan lanjut").click()
    village.get_by_role("button", name="Ajukan lagi ke Dinas Sosial").click()
    assert village.is_visible(f"text=Klaim {number} diajukan ke Dinas Sosial")
    journey.shot(village, "village-resubmitted")
    stack.wait_for_worker()  # the registry check of the resubmission

    # Now the verifier verifies.
    verifier.goto(claim_url)
    journey.shot(verifier, "verifier-claim")
    verifier.get_by_role("button", name="Verifikasi: data dan dokumen sesuai").click()
    journey.shot(verifier, "verifier-confirms")
    verifier.get_by_role("button", name="Ya, verifikasi").click()
    assert verifier.is_visible("text=terverifikasi dan diteruskan")

    # Another official approves it from the approval list.
    approver = journey.login("approver")
    approver.get_by_role("checkbox", name=number).check()
    journey.shot(approver, "approver-list")
    approver.get_by_role("button", name="Setujui klaim yang dicentang").click()
    assert approver.is_visible("text=1 klaim disetujui")

    # The treasurer enters the year's budget, schedules the claim and pays it in cash.
    finance = journey.login("bendahara")
    finance.goto(f"{url}/keuangan/anggaran/")
    finance.fill("#id_allocation", "2500000000")
    finance.get_by_role("button", name="Simpan").click()
    finance.goto(f"{url}/keuangan/")
    finance.get_by_role("checkbox", name=number).check()
    finance.get_by_role("button", name="Jadwalkan pembayaran").click()
    finance.wait_for_url("**/keuangan/batch/*/")
    finance.fill("#id_signer_name", "Drs. Bambang Wijaya")
    finance.fill("#id_signer_nip", "197501012000031001")
    finance.get_by_role("button", name="Catat tanda tangan pejabat").click()
    finance.get_by_role("button", name="Catat sudah dicairkan").click()
    journey.shot(finance, "finance-batch")
    with finance.expect_download() as download:
        finance.locator(f'tr[data-claim="{number}"]').get_by_role("link", name="Kuitansi").click()
    receipt = pdf_text(Path(download.value.path()).read_bytes())
    assert "KUITANSI" in receipt and number in receipt and "Satu juta rupiah" in receipt
    check_url = re.search(r"(https?://\S+/cek-surat/\S+?/)", receipt).group(1)
    assert check_url.startswith(url)  # the QR code points at the port actually served

    finance.locator(f'tr[data-claim="{number}"]').get_by_role(
        "link", name="Catat pembayaran tunai"
    ).click()
    assert finance.input_value("#id_collected_by") == "Siti Aminah"
    finance.check("#id_identity_checked")
    finance.set_input_files("#id_receipt_scan", files["kuitansi-ttd.png"])
    journey.shot(finance, "finance-cash")
    finance.get_by_role("button", name="Catat sudah dibayar").click()
    assert "Dibayar" in finance.locator(f'tr[data-claim="{number}"]').inner_text()
    journey.shot(finance, "finance-paid")

    # Anyone holding the printed kuitansi checks it through its QR code.
    public = journey.open(PHONE)
    public.goto(check_url)
    assert public.locator("#verdict").inner_text() == "Dokumen sah"
    facts = public.locator(".facts").inner_text()
    assert "Dibayar" in facts and "Rp1.000.000" in facts
    assert "Siti Aminah" not in facts  # the heir's name is masked on a public page
    journey.shot(public, "public-letter-check")

    # The whole timeline reads in Indonesian and every page answered.
    verifier.goto(claim_url)
    timeline = verifier.locator(".timeline").inner_text()
    for label in ("Diajukan", "Diverifikasi", "Disetujui", "Dibayar"):
        assert label in timeline
    assert "registry_" not in timeline and "batch_" not in timeline
    journey.shot(verifier, "verifier-timeline")
    assert " 500 " not in stack.log("web")
    assert stack.query(
        "from santunan.models import Claim\n"
        f"claim = Claim.objects.get(number={number!r})\n"
        "result = list(claim.events.exclude(action__in=['update', 'attach_document'])"
        ".exclude(action__startswith='message_').values_list('action', flat=True))"
    ) == [
        "create", "submit", "registry_documents", "return_to_village", "submit", "verify",
        "approve", "schedule", "batch_signed", "batch_disbursed", "mark_paid",
    ]
