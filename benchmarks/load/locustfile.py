"""The people of one regency at work, for locust (run by benchmarks/bench_load.py, which
starts the service and hands over the sessions and claim numbers in LOAD_FIXTURE):

- village officials fill the four steps of a new claim, upload four 1 MB phone photos
  and submit it;
- verifiers page through their queue and open claims;
- approvers open their list and approve a few verified claims at once;
- the treasurer opens a payout batch and prints its letters as one PDF;
- heirs check a claim on the public status page /cek-klaim/;
- village apps file claims through the API: a draft (Idempotency-Key), the heir's part
  (If-Match with the draft's ETag), the four photos one by one, submission;
- regency systems page the verification queue and the claims by cursor through the
  API and open a claim; a dashboard reads the year's summary.

Each request is named "<kind> <path pattern>" for the web pages, "api <action>" for the
API: `upload`, `file` and `api upload` are held to p95 ≤ 1 s, every other to ≤ 300 ms.
Every answer is written to LOAD_RESULTS when locust stops.
Only 127.0.0.1 is ever asked: the host is refused otherwise."""

import io
import itertools
import json
import os
import random
import re
import uuid
from datetime import date, timedelta
from http.cookiejar import Cookie
from urllib.parse import urlencode

# Records every answer and refuses hosts but 127.0.0.1 (its listeners register on import).
import recording  # noqa: F401
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"], encoding="utf-8").read())
# Each locust run (one step of the search) gets its own range of NIK serial numbers.
OFFSET = int(os.environ.get("LOAD_OFFSET", "0"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLAIM_LINK = re.compile(r'href="/klaim/(\d+)/"')
VERIFIED_BOX = re.compile(r'name="claim" value="(\d+)"')


def phone_photo(size: int = 1_000_000) -> bytes:
    """A JPEG of about `size` bytes, as a phone sends a photo of a KTP: noise does not
    compress, so the file is as large as a real photo and decodes as a real image."""
    from PIL import Image

    side = int((size / 1.6) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


PHOTO = phone_photo()
_serials = itertools.count(1)


def new_person() -> tuple[str, date]:
    """A valid Batang NIK (Kec. Wonotunggal) no other claim uses, and its birth date."""
    n = next(_serials) + OFFSET
    born = date(1930, 1, 1) + timedelta(days=n % 12000)
    serial = 1000 + n // 12000
    return f"332501{born:%d%m%y}{serial:04d}", born


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    for name, (filename, content, kind) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Person(FastHttpUser):
    """Logged in before the test (bench_load.py): the session's cookies are set here,
    so logins (deliberately slow password hashing) are not part of the measured mix."""

    abstract = True
    role = ""
    wait_time = between(1, 4)

    def on_start(self):
        for name, value in FIXTURE["sessions"].get(self.role, {}).items():
            self.client.cookiejar.set_cookie(
                Cookie(
                    0,
                    name,
                    value,
                    None,
                    False,
                    "127.0.0.1",
                    False,
                    False,
                    "/",
                    True,
                    False,
                    None,
                    False,
                    None,
                    None,
                    {},
                )
            )

    def page(self, path: str, name: str, **kwargs):
        with self.client.get(path, name=f"page {name}", catch_response=True, **kwargs) as answer:
            self._check(answer)
            return answer

    def post(self, path: str, name: str, data: dict, refuse: str = ""):
        """POST a form; `refuse`: a mark on the answer page that means it failed."""
        with self.client.post(
            path,
            data=urlencode(data, doseq=True),
            name=f"page {name}",
            catch_response=True,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ) as answer:
            self._check(answer, refuse)
            return answer

    @staticmethod
    def _check(answer, refuse: str = ""):
        if answer.status_code >= 400 or answer.status_code == 0:
            answer.failure(f"HTTP {answer.status_code}")
        elif "/akun/masuk/" in (answer.url or ""):
            answer.failure("session lost: sent to the login page")
        elif refuse and refuse in (answer.text or ""):
            answer.failure(f"answered with {refuse}")
        else:
            answer.success()

    @staticmethod
    def token(answer) -> str:
        found = TOKEN.search(answer.text or "")
        return found.group(1) if found else ""


class VillageOfficial(Person):
    role = "operator"
    weight = 3

    @task
    def new_claim(self):
        home = self.page("/desa/", "/desa/")
        form = self.page("/desa/klaim/baru/", "/desa/klaim/baru/")
        nik, born = new_person()
        step = self.post(
            "/desa/klaim/baru/",
            "/desa/klaim/baru/",
            {
                "csrfmiddlewaretoken": self.token(form) or self.token(home),
                "deceased_nik": nik,
                "deceased_name": "Warga Uji Beban",
                "deceased_sex": "L",
                "deceased_birth_date": born.isoformat(),
                "death_date": (date.today() - timedelta(days=3)).isoformat(),
                "death_place": "Rumah",
                "deceased_kk": "3325010101090001",
                "deceased_address": "Dukuh Krajan RT 01/02, Silurah",
            },
        )
        found = re.search(r"/desa/klaim/(\d+)/", step.url or "")
        if not found:
            return
        pk = found.group(1)
        heir = self.post(
            f"/desa/klaim/{pk}/ahli-waris/",
            "/desa/klaim/N/ahli-waris/",
            {
                "csrfmiddlewaretoken": self.token(step),
                "heir_nik": "3325014506750012",
                "heir_name": "Siti Aminah",
                "heir_relation": "anak",
                "heir_phone": "081234567890",
                "heir_address": "Dukuh Krajan RT 01/02, Silurah",
                "payout_method": "tunai",
            },
        )
        body, content_type = multipart(
            {"csrfmiddlewaretoken": self.token(heir)},
            {
                f"doc-{kind}": (f"{kind}.jpg", PHOTO, "image/jpeg")
                for kind in ("kk", "ktp_almarhum", "ktp_ahli_waris", "surat_kematian")
            },
        )
        with self.client.post(
            f"/desa/klaim/{pk}/dokumen/",
            data=body,
            headers={"Content-Type": content_type},
            name="upload /desa/klaim/N/dokumen/",
            catch_response=True,
        ) as review:
            self._check(review)
        # Submitted, the official lands on the village's home page; refused, on the review.
        self.post(
            f"/desa/klaim/{pk}/ajukan/",
            "/desa/klaim/N/ajukan/",
            {"csrfmiddlewaretoken": self.token(review)},
            refuse="Belum dapat diajukan",
        )


class Verifier(Person):
    role = "verifikator"
    weight = 3

    @task
    def page_the_queue_and_open_claims(self):
        queue = self.page(f"/verifikasi/?page={random.randint(1, 3)}", "/verifikasi/?page=N")
        claims = sorted(set(CLAIM_LINK.findall(queue.text or "")))
        for pk in random.sample(claims, k=min(2, len(claims))):
            self.page(f"/klaim/{pk}/", "/klaim/N/")


class Approver(Person):
    role = "approver"
    weight = 1

    @task
    def approve_a_few(self):
        listing = self.page("/persetujuan/", "/persetujuan/")
        chosen = VERIFIED_BOX.findall(listing.text or "")[:5]
        if chosen:
            self.post(
                "/persetujuan/setujui/",
                "/persetujuan/setujui/",
                {"csrfmiddlewaretoken": self.token(listing), "claim": chosen},
            )


class Treasurer(Person):
    role = "bendahara"
    weight = 1

    @task
    def print_a_batch(self):
        self.page("/keuangan/", "/keuangan/")
        if not FIXTURE["batches"]:
            return
        batch = random.choice(FIXTURE["batches"])
        self.page(f"/keuangan/batch/{batch}/", "/keuangan/batch/N/")
        with self.client.get(
            f"/keuangan/batch/{batch}/cetak/surat.pdf",
            catch_response=True,
            name="file /keuangan/batch/N/cetak/surat.pdf",
        ) as letters:
            self._check(letters)
            if letters.status_code == 200 and not (letters.content or b"").startswith(b"%PDF"):
                letters.failure("not a PDF")


class Heir(Person):
    """No account: the public status page with a claim number and the phone's last
    four digits, as printed on the SMS the heir received."""

    weight = 4

    @task
    def check_a_claim(self):
        form = self.page("/cek-klaim/", "/cek-klaim/")
        number, digits = random.choice(FIXTURE["status_checks"])
        self.post(
            "/cek-klaim/",
            "/cek-klaim/",
            {
                "csrfmiddlewaretoken": self.token(form),
                "nomor": number,
                "empat": digits,
            },
            refuse="status-not-found",
        )


class ApiCaller(FastHttpUser):
    """A system holding one of the keys bench_load.py issued (FIXTURE["api_tokens"]):
    each simulated client takes the next key of its kind."""

    abstract = True
    kind = ""
    wait_time = between(1, 4)
    _handed_out = itertools.count()

    def on_start(self):
        keys = FIXTURE["api_tokens"][self.kind]
        key = keys[next(self._handed_out) % len(keys)]
        self.auth = {"Authorization": f"Bearer {key}"}

    def call(self, method: str, path: str, name: str, expect: int = 200, want=None, **kwargs):
        """One API request; anything but the expected status, or a body for which
        `want(body)` is false, is a failure. Returns the parsed body (None when it
        failed) and the answer's headers."""
        headers = {**self.auth, **kwargs.pop("headers", {})}
        with self.client.request(
            method, path, name=f"api {name}", headers=headers, catch_response=True, **kwargs
        ) as answer:
            if answer.status_code != expect:
                answer.failure(f"HTTP {answer.status_code}: {(answer.text or '')[:200]}")
                return None, answer.headers
            body = answer.json()
            if want is not None and not want(body):
                answer.failure(f"unexpected answer: {str(body)[:200]}")
                return None, answer.headers
            answer.success()
            return body, answer.headers


class ApiVillageApp(ApiCaller):
    """A village app filing a claim as an operator's phone would, each POST with a fresh
    Idempotency-Key (a retry would resend the same one)."""

    kind = "village_app"
    weight = 2

    def post(self, path: str, name: str, expect: int = 200, **kwargs):
        headers = {"Idempotency-Key": str(uuid.uuid4()), **kwargs.pop("headers", {})}
        return self.call("POST", path, name, expect, headers=headers, **kwargs)

    @task
    def file_a_claim(self):
        nik, born = new_person()
        draft, created = self.post(
            "/api/v1/claims/",
            "create",
            201,
            json={
                "deceased_nik": nik,
                "deceased_name": "Warga Uji Beban API",
                "deceased_sex": "P",
                "deceased_birth_date": born.isoformat(),
                "death_date": (date.today() - timedelta(days=2)).isoformat(),
                "death_place": "Rumah",
                "deceased_kk": "3325010101090001",
                "deceased_address": "Dukuh Krajan RT 01/02, Silurah",
            },
        )
        if draft is None:
            return
        pk = draft["id"]
        heir, _answer = self.call(
            "PATCH",
            f"/api/v1/claims/{pk}/",
            "update",
            json={
                "heir_nik": "3325014506750012",
                "heir_name": "Siti Aminah",
                "heir_relation": "anak",
                "heir_phone": "081234567890",
                "heir_address": "Dukuh Krajan RT 01/02, Silurah",
                "payout_method": "tunai",
            },
            headers={"If-Match": created.get("ETag", "")},
        )
        if heir is None:
            return
        for kind in ("kk", "ktp_almarhum", "ktp_ahli_waris", "surat_kematian"):
            body, content_type = multipart(
                {"kind": kind}, {"file": (f"{kind}.jpg", PHOTO, "image/jpeg")}
            )
            uploaded, _answer = self.post(
                f"/api/v1/claims/{pk}/documents/",
                "upload",
                201,
                data=body,
                headers={"Content-Type": content_type},
            )
            if uploaded is None:
                return
        self.post(
            f"/api/v1/claims/{pk}/submit/",
            "submit",
            want=lambda claim: claim.get("status") == "submitted",
        )


class ApiReader(ApiCaller):
    """A regency system working for the verifiers: pages of the queue and of the claims,
    following each answer's `next` cursor link, and one claim opened."""

    kind = "reader"
    weight = 2

    def pages(self, path: str, name: str, count: int) -> list[dict]:
        rows, url = [], path
        for _page in range(count):
            body, _answer = self.call("GET", url, name)
            if body is None:
                break
            rows += body["results"]
            url = body.get("next")
            if not url:
                break
        return rows

    @task(3)
    def page_the_queue(self):
        rows = self.pages("/api/v1/claims/queue/?page_size=20", "queue page", random.randint(1, 3))
        if rows:
            self.call("GET", f"/api/v1/claims/{random.choice(rows)['id']}/", "claim")

    @task(1)
    def page_the_claims(self):
        self.pages("/api/v1/claims/?page_size=50", "claims page", random.randint(1, 3))


class ApiDashboard(ApiCaller):
    """The regency's dashboard with a reporting client's key: figures, no personal data."""

    kind = "dashboard"
    weight = 1

    @task
    def read_the_summary(self):
        self.call("GET", "/api/v1/reports/summary/", "summary")
