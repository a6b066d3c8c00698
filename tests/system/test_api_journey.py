"""A village app files a claim with its four documents purely through the API, against
the running service (web server and worker as separate processes); the verifier then
finds it in the web queue after logging in through the login form."""

import re
import uuid
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from tests.santunan.factories import pdf_bytes, png_bytes
from tests.system.crawler import Crawler
from tests.system.stack import Stack, demo_passwords

pytestmark = [pytest.mark.system]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("api-journey"))
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("load_wilayah", "villages/data/batang_wilayah.csv")
        stack.passwords = demo_passwords(stack.manage("create_demo_accounts"))
        stack.start_worker()
        stack.start_web()
        yield stack
    finally:
        stack.stop()


def token_from_the_page(stack) -> str:
    """The village official makes a token on /akun/token-api/, as a person would."""
    official = Crawler(stack.url)
    official.login("operator", stack.passwords["operator"])
    _status, _kind, page, _final = official.fetch("/akun/token-api/")
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _kind, page, _final = official.fetch(
        "/akun/token-api/",
        {"csrfmiddlewaretoken": form_token, "name": "Aplikasi desa", "days": "30"},
    )
    assert status == 200
    return re.search(r"(esk_[0-9a-f]+_[A-Za-z0-9-]+)", page).group(1)


def test_a_claim_filed_through_the_api_reaches_the_verifiers_web_queue(stack):
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token_from_the_page(stack)}"
    base = f"{stack.url}/api/v1"

    def post(path, **kwargs):
        return api.post(base + path, headers={"Idempotency-Key": uuid.uuid4().hex}, **kwargs)

    death = timezone.localdate() - timedelta(days=3)
    created = post(
        "/claims/",
        json={
            "deceased_nik": "3325011203500001",
            "deceased_name": "Slamet Riyadi",
            "deceased_sex": "L",
            "deceased_birth_date": "1950-03-12",
            "death_date": death.isoformat(),
            "deceased_kk": "3325010101090001",
            "deceased_address": "Dukuh Krajan RT 01/02, Silurah",
            "heir_nik": "3325014507800002",
            "heir_name": "Siti Aminah",
            "heir_relation": "anak",
            "heir_phone": "0812-3456-7890",
            "payout_method": "tunai",
        },
    )
    assert created.status_code == 201, created.text
    pk = created.json()["id"]
    files = {"kk": png_bytes(), "ktp_almarhum": png_bytes(), "ktp_ahli_waris": png_bytes()}
    files["surat_kematian"] = pdf_bytes()
    for kind, content in files.items():
        name = f"{kind}.pdf" if content.startswith(b"%PDF") else f"{kind}.png"
        stored = post(
            f"/claims/{pk}/documents/", data={"kind": kind}, files={"file": (name, content)}
        )
        assert stored.status_code == 201, stored.text
    submitted = post(f"/claims/{pk}/submit/")
    assert submitted.status_code == 200, submitted.text
    number = submitted.json()["number"]
    stack.wait_for_worker()

    verifier = Crawler(stack.url)
    verifier.login("verifikator", stack.passwords["verifikator"])
    status, _kind, queue, _final = verifier.fetch("/verifikasi/")

    assert status == 200
    assert number in queue
    assert f'href="/klaim/{pk}/"' in queue
    status, _kind, page, _final = verifier.fetch(f"/klaim/{pk}/")
    assert status == 200
    assert page.count("/dokumen/") >= 4
