"""The server room loses power in the middle of a working day: village officials keep
submitting claims over real HTTP while the web server (gunicorn, 2 processes × 2
threads) and the background worker are killed with SIGKILL, then started again. Every
submission that was answered with success exists exactly once, a submission retried
after the crash is not doubled, and every registry check that was queued — the one the
worker was running when it died included — is done after the restart."""

import http.client
import os
import re
import signal
import threading
import time
import uuid
from datetime import date, timedelta

import pytest

from tests.dinsos_sync.conftest import person, write_csv
from tests.santunan.factories import pdf_bytes, png_bytes
from tests.system.crawler import Crawler
from tests.system.stack import Stack, demo_passwords

pytestmark = [pytest.mark.system]

CLIENTS = 3
BEFORE, AFTER = 6, 6  # successful submissions wanted before the crash and after
SUBMITTED = re.compile(r"Klaim (SKM-\d{4}-\d{6}) diajukan")
DOWN = (OSError, http.client.HTTPException)  # refused, reset or cut off mid-answer


class VillageOfficial(threading.Thread):
    """Fills and submits claims one after another until told to stop; retries the
    submission of a claim whose answer was lost, as a person presses the button again."""

    def __init__(self, stack: Stack, password: str, number: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.stack, self.password, self.number, self.stop = stack, password, number, stop
        self.succeeded: list[tuple[str, str]] = []  # (deceased NIK, claim number)
        self.lost_answers = 0  # submissions whose answer the crash cut off
        self.refused = 0  # requests that met the server down
        self.problems: list[str] = []

    def run(self):
        person = Crawler(self.stack.url)
        person.login("operator", self.password)
        serial = 0
        while not self.stop.is_set():
            serial += 1
            born = date(1940, 1, 1) + timedelta(days=self.number * 3000 + serial)
            nik = f"332501{born:%d%m%y}{7000 + self.number:04d}"
            try:
                self.submit_one(person, nik, born)
            except DOWN:
                self.refused += 1
                time.sleep(0.3)  # the server is down: the next claim, once it is back

    def submit_one(self, person: Crawler, nik: str, born: date) -> None:
        token = form_token(person, "/desa/klaim/baru/")
        status, _kind, page, landed = person.fetch("/desa/klaim/baru/", {
            "csrfmiddlewaretoken": token, "deceased_nik": nik, "deceased_name": "Warga Uji",
            "deceased_sex": "L", "deceased_birth_date": born.isoformat(),
            "death_date": (date.today() - timedelta(days=3)).isoformat(),
            "death_place": "Rumah", "deceased_kk": "3325010101090001",
            "deceased_address": "Dukuh Krajan RT 01/02, Silurah",
        })
        pk = re.search(r"/desa/klaim/(\d+)/ahli-waris/", landed)
        if not pk:
            self.problems.append(f"step 1 answered {status} at {landed}")
            return
        pk = pk.group(1)
        person.fetch(f"/desa/klaim/{pk}/ahli-waris/", {
            "csrfmiddlewaretoken": token, "heir_nik": "3325014506750012",
            "heir_name": "Siti Aminah", "heir_relation": "anak", "heir_phone": "081234567890",
            "heir_address": "Dukuh Krajan RT 01/02, Silurah", "payout_method": "tunai",
        })
        body, content_type = documents(token)
        person.send(f"/desa/klaim/{pk}/dokumen/", body, content_type)
        for _attempt in range(200):
            try:
                _status, _kind, page, landed = person.fetch(
                    f"/desa/klaim/{pk}/ajukan/", {"csrfmiddlewaretoken": token}
                )
            except DOWN:
                self.lost_answers += 1
                self.refused += 1
                time.sleep(0.3)
                continue
            if found := SUBMITTED.search(page):
                self.succeeded.append((nik, found.group(1)))
            return


def form_token(person: Crawler, path: str) -> str:
    status, _kind, page, _final = person.fetch(path)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not found:
        raise ConnectionError(f"{path} answered {status}")
    return found.group(1)


def documents(token: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    files = {"kk": png_bytes((300, 200)), "ktp_almarhum": png_bytes(),
             "ktp_ahli_waris": png_bytes(), "surat_kematian": pdf_bytes()}
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
            f"\r\n\r\n{token}\r\n").encode()
    for kind, content in files.items():
        name = f"{kind}.{'pdf' if content.startswith(b'%PDF') else 'png'}"
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="doc-{kind}"; '
                 f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 ).encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def successes(officials) -> list[tuple[str, str]]:
    return [pair for official in officials for pair in official.succeeded]


def kill(stack: Stack, name: str) -> None:
    """SIGKILL to the process and its children (gunicorn's workers), as a power cut."""
    process = stack.processes[name]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_killing_the_web_server_and_the_worker_mid_load_loses_no_claim_and_no_task(
    tmp_path_factory,
):
    stack = Stack(tmp_path_factory.mktemp("killed-stack"))
    folder = stack.workdir
    rows = [person("population"), person("social")]
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("load_wilayah", "villages/data/batang_wilayah.csv")
        password = demo_passwords(stack.manage("create_demo_accounts"))["operator"]
        # Each registry answers after a second, so the worker is nearly always in the
        # middle of a check when it is killed.
        for source, variable, row in (("population", "POPULATION", rows[0]),
                                      ("social", "SOCIAL", rows[1])):
            path = write_csv(folder / f"{source}.csv", source, [row])
            stack.env[f"{variable}_REGISTRY_URL"] = stack.start_registry(
                source, path, slow="1"
            )
        stack.start_worker()
        stack.start_gunicorn(workers=2, threads=2)

        stop = threading.Event()
        officials = [VillageOfficial(stack, password, n, stop) for n in range(CLIENTS)]
        for official in officials:
            official.start()
        stack.wait_until(lambda: len(successes(officials)) >= BEFORE, timeout=300,
                         what=f"{BEFORE} submissions before the crash")
        running = []

        def busy() -> bool:
            running[:] = stack.query(
                "from django_tasks_db.models import DBTaskResult\n"
                "result = [str(pk) for pk in DBTaskResult.objects.running()"
                ".values_list('pk', flat=True)]"
            )
            return bool(running)

        stack.wait_until(busy, timeout=60, what="the worker to be running a task")
        kill(stack, "worker")
        kill(stack, "web")
        before_restart = len(successes(officials))
        time.sleep(2)  # submissions meanwhile meet a closed port

        stack.start_worker()
        stack.start_gunicorn(workers=2, threads=2)
        stack.wait_until(
            lambda: len(successes(officials)) >= before_restart + AFTER, timeout=300,
            what=f"{AFTER} submissions after the restart",
        )
        stop.set()
        for official in officials:
            official.join(timeout=120)
        stack.wait_for_worker(timeout=300)

        done = successes(officials)
        assert sum(official.refused for official in officials) > 0  # killed mid-load
        assert not [p for official in officials for p in official.problems]
        facts = stack.query(
            "from santunan.models import Claim\n"
            "from dinsos_sync.models import RegistryCheck\n"
            f"pairs = {done!r}\n"
            "result = {\n"
            "  'by_number': [Claim.objects.filter(number=n).count() for _nik, n in pairs],\n"
            "  'by_nik': [Claim.objects.filter(deceased_nik=k).count() for k, _n in pairs],\n"
            "  'submits': [Claim.objects.get(number=n).events.filter(action='submit').count()"
            " for _nik, n in pairs],\n"
            "  'unchecked': list(Claim.objects.exclude(status__in=['draft', 'cancelled'])"
            ".exclude(pk__in=RegistryCheck.objects.filter(checked_at__isnull=False)"
            ".values('claim_id')).values_list('number', flat=True)),\n"
            "}"
        )
        assert facts["by_number"] == [1] * len(done)
        assert facts["by_nik"] == [1] * len(done)
        assert facts["submits"] == [1] * len(done)
        assert facts["unchecked"] == []
        # The check the worker was running when it died was run again to the end.
        assert stack.query(
            "from django_tasks_db.models import DBTaskResult\n"
            f"result = sorted(set(DBTaskResult.objects.filter(pk__in={running!r})"
            ".values_list('status', flat=True)))"
        ) == ["SUCCESSFUL"]
    finally:
        stack.stop()
