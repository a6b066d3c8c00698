"""How many people one small server serves at once (issue 15): the whole service —
gunicorn with gunicorn.conf.py, `db_worker` and the fake SMS gateway, in production
settings (DEBUG off) on PostgreSQL — driven by locust (benchmarks/load/locustfile.py)
with the regency's mix of work, only on 127.0.0.1.

For each gunicorn setting (workers × threads) the number of simulated people doubles
step by step; a step passes when no request failed, p95 of pages ≤ 300 ms and p95 of
uploads and printed files ≤ 1 s. It prints one JSON line per step and per setting the
highest sustained request rate that passed, with the load average it ran under, and
that rate as a share of the login page's ceiling on the same server in the same run
(people asking only for the login page without pause, benchmarks/load/login_page.py).

Short by default (20-second steps, two settings: a few minutes in all). LOAD_FULL=1:
one-minute steps, then the best step of each setting held for 10 minutes, which must
pass again. LOAD_CONFIGS="3x4,5x4" chooses the settings, LOAD_CLAIMS the demo claims
(default 1,500), BENCH_LOAD_DATABASE the PostgreSQL database (dropped and created anew).
The API clients' tokens are issued while the fixture is built (LOAD_API_TOKENS of each
kind, default 3). Quick mode (common.py): one setting (2×2), 60 claims and one step of
17 people, one for each weight of the mix so that every kind of person works, for a
few seconds. In every mode the run fails when the treasurer's letters could not be
made or requests failed at the first, lightest step: then the mix itself is broken."""

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.request import HTTPCookieProcessor

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.system.crawler import Crawler  # noqa: E402
from tests.system.stack import demo_passwords, demo_totp_secrets, free_port  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from common import QUICK, fresh_database, postgres_url, sized  # noqa: E402

FULL = os.environ.get("LOAD_FULL") == "1" and not QUICK
DATABASE = postgres_url("BENCH_LOAD_DATABASE", "esantunan_bench_load")
DEFAULT_CONFIGS = "2x2" if QUICK else "2x4,3x4,5x4,5x8" if FULL else "3x4,5x4"
CONFIGS = [
    tuple(int(n) for n in item.split("x"))
    for item in os.environ.get("LOAD_CONFIGS", DEFAULT_CONFIGS).split(",")
]
CLAIMS = sized("LOAD_CLAIMS", 1500, 60)
STEP_SECONDS = 8 if QUICK else 60 if FULL else 20
WARMUP_SECONDS = 2 if QUICK else 10 if FULL else 5
HOLD_SECONDS = 600
DEFAULT_USERS = "17" if QUICK else "2,3,5,8,12,20,30,50,80,120,160"
USERS = [int(n) for n in os.environ.get("LOAD_USERS", DEFAULT_USERS).split(",")]
PAGE_P95_MS, FILE_P95_MS = 300, 1000
API_TOKENS = sized("LOAD_API_TOKENS", 3, 1)
# Request names whose first two words hold one of these are held to the 1 s target
# ("upload /desa/klaim/N/dokumen/", "file …", "api upload"); all others are pages.
FILE_WORDS = {"upload", "file"}


def emit(**figure) -> None:
    figure["loadavg"] = [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]
    print(json.dumps(figure), flush=True)


class Service:
    """The processes under test, on a database of their own."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port, self.sms_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
        base.update(
            {
                "DATABASE_URL": DATABASE,
                "DATA_DIR": str(workdir / "data"),
                "MEDIA_ROOT": str(workdir / "media"),
                "STATIC_ROOT": str(workdir / "static"),
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "PYTHONUNBUFFERED": "1",
            }
        )
        self.setup_env = {**base, "DEBUG": "1"}
        # Production settings but plain HTTP on loopback.
        self.env = {
            **base,
            "DEBUG": "0",
            "SECRET_KEY": "load-" + uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "PUBLIC_BASE_URL": self.url,
            "NOTIFY_CALLBACK_SECRET": uuid.uuid4().hex,
            "NOTIFY_GATEWAY_URL": f"http://127.0.0.1:{self.sms_port}",
            "DB_CONN_MAX_AGE": "60",
            "GUNICORN_ACCESS_LOG": "",
        }

    def manage(self, *args: str, production: bool = False) -> str:
        """A command with DEBUG on (demo accounts need it), or in production settings."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env if production else self.setup_env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start(self, name: str, *args: str, env: dict | None = None) -> None:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.processes[name] = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_web(self, workers: int, threads: int) -> None:
        self.start(
            "web",
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            env={**self.env, "GUNICORN_WORKERS": str(workers), "GUNICORN_THREADS": str(threads)},
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/akun/masuk/", timeout=5):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        raise SystemExit("gunicorn did not answer:\n" + (self.workdir / "web.log").read_text())

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def rows(query: str) -> list[tuple]:
    with psycopg.connect(DATABASE) as conn:
        return conn.execute(query).fetchall()


def cookies_of(person: Crawler) -> dict[str, str]:
    jar = next(h.cookiejar for h in person.opener.handlers if isinstance(h, HTTPCookieProcessor))
    return {cookie.name: cookie.value for cookie in jar}


# Run by `manage.py shell`: the clients a regency registers in the administration (a
# village app bound to the operator's desa, a dashboard that only reads), and personal
# tokens of the operator and the verifier, as they create them on /akun/token-api/.
API_SETUP = """
import json
from django.contrib.auth import get_user_model
from api.models import Scope
from api.services import create_client, issue_token
people = get_user_model().objects
operator = people.get(username="operator")
create_client(name={village_app!r}, scope=Scope.SUBMIT, desa=operator.operator_assignment.desa)
create_client(name={dashboard!r}, scope=Scope.REPORT)
print(json.dumps({{
    role: [issue_token(user=people.get(username=role), name=f"uji beban {{n}}")[1]
           for n in range({count})]
    for role in ("operator", "verifikator")
}}))
"""
VILLAGE_APP, DASHBOARD = "Aplikasi desa (uji beban)", "Dasbor kabupaten (uji beban)"


def issue_api_tokens(service: Service) -> dict[str, list[str]]:
    """Keys for the API clients of the mix, issued through the API's own services and
    `issue_api_token`: village apps file claims with the client's key or the operator's
    personal one, readers page the queue and the claims with the verifier's."""
    personal = json.loads(
        service.manage(
            "shell",
            "-c",
            API_SETUP.format(
                village_app=VILLAGE_APP,
                dashboard=DASHBOARD,
                count=API_TOKENS,
            ),
        )
        .strip()
        .splitlines()[-1]
    )
    clients = {
        name: [
            service.manage("issue_api_token", name, "--name", f"uji beban {n}").strip()
            for n in range(API_TOKENS)
        ]
        for name in (VILLAGE_APP, DASHBOARD)
    }
    return {
        "village_app": clients[VILLAGE_APP] + personal["operator"],
        "reader": personal["verifikator"],
        "dashboard": clients[DASHBOARD],
    }


# Quick mode's collectstatic: the same files and manifest, without the gzip and brotli
# copies whitenoise would make of 40 MB (minutes on two busy cores); whitenoise then
# serves the files uncompressed.
COLLECT_UNCOMPRESSED = """
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": manifest}):
    call_command("collectstatic", interactive=False, verbosity=0)
"""


def is_file(name: str) -> bool:
    """Whether a request is held to the 1 s target of uploads and printed files."""
    return bool(FILE_WORDS & set(name.split(" ")[:2]))


def prepare(service: Service) -> dict:
    """Demo data, the staff's sessions, printed batches and claim numbers for heirs."""
    service.manage("migrate", "--noinput")
    service.manage("load_wilayah", "villages/data/batang_wilayah.csv")
    accounts = service.manage("create_demo_accounts")
    passwords, secrets = demo_passwords(accounts), demo_totp_secrets(accounts)
    service.manage(
        "generate_claims", str(CLAIMS), "--seed", "15", "--with-documents", "--every-state"
    )
    service.manage("generate_payouts")
    api_tokens = issue_api_tokens(service)
    if QUICK:
        service.manage("shell", "-c", COLLECT_UNCOMPRESSED, production=True)
    else:
        service.manage("collectstatic", "--noinput", production=True)
    service.start("sms", "manage.py", "run_fake_sms_gateway", "--port", str(service.sms_port))
    service.start("worker", "manage.py", "run_worker")
    service.start_web(*CONFIGS[0])

    sessions = {}
    for role in ("operator", "verifikator", "approver", "bendahara"):
        person = Crawler(service.url)
        person.login(role, passwords[role], secrets.get(role))
        sessions[role] = cookies_of(person)
        if role == "bendahara":
            treasurer = person
    # The treasurer's letters are made once by the worker, then printed in the load.
    batches = []
    for (pk,) in rows("SELECT id FROM santunan_payoutbatch ORDER BY id LIMIT 4"):
        treasurer.post(f"/keuangan/batch/{pk}/", f"/keuangan/batch/{pk}/dokumen/")
        batches.append(pk)
    deadline = time.monotonic() + 600
    while (
        rows(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN "
            "('READY', 'RUNNING')"
        )[0][0]
        and time.monotonic() < deadline
    ):
        time.sleep(2)
    printable = []
    for pk in batches:
        status, kind, _text, _final = treasurer.fetch(f"/keuangan/batch/{pk}/cetak/surat.pdf")
        if status == 200 and kind == "application/pdf":
            printable.append(pk)
    checks = [
        (number, phone[-4:])
        for number, phone in rows(
            "SELECT number, heir_phone FROM santunan_claim WHERE number <> '' "
            "AND heir_phone <> '' ORDER BY id LIMIT 500"
        )
    ]
    return {
        "sessions": sessions,
        "batches": printable,
        "status_checks": checks,
        "api_tokens": api_tokens,
    }


def run_step(
    service: Service,
    fixture_path: Path,
    users: int,
    seconds: int,
    offset: int,
    locustfile: str = "locustfile.py",
) -> dict:
    results = service.workdir / f"results-{offset}.json"
    env = {
        **os.environ,
        "LOAD_FIXTURE": str(fixture_path),
        "LOAD_RESULTS": str(results),
        "LOAD_OFFSET": str(offset),
    }
    started = time.time()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "benchmarks/load" / locustfile),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            service.url,
            "--only-summary",
            "--stop-timeout",
            "30",
            "--exit-code-on-error",
            "0",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=open(service.workdir / "locust.log", "ab"),  # noqa: SIM115
    )
    samples = json.loads(results.read_text())
    window = [s for s in samples if started + WARMUP_SECONDS <= s[0] <= started + seconds]
    span = seconds - WARMUP_SECONDS

    def p95(times: list[float]) -> float | None:
        times = sorted(times)
        return round(times[math.ceil(0.95 * len(times)) - 1], 1) if times else None

    pages = p95([s[2] for s in window if not is_file(s[1])])
    files = p95([s[2] for s in window if is_file(s[1])])
    names = {s[1] for s in window}
    slowest = sorted(
        ((name, p95([s[2] for s in window if s[1] == name])) for name in names),
        key=lambda pair: -pair[1],
    )[:3]
    errors = sum(1 for s in samples if not s[3])
    waiting = rows("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")
    return {
        "users": users,
        "seconds": seconds,
        "requests": len(window),
        "rate_per_s": round(len(window) / span, 1),
        "p95_page_ms": pages,
        "p95_upload_file_ms": files,
        "errors": errors,
        "failed": {
            name: sum(1 for s in samples if s[1] == name and not s[3])
            for name in sorted({s[1] for s in samples if not s[3]})
        },
        "uploads": sum(1 for s in window if "upload" in s[1].split(" ")[:2]),
        "api": {
            name: {
                "requests": sum(1 for s in window if s[1] == name),
                "p95_ms": p95([s[2] for s in window if s[1] == name]),
                "errors": sum(1 for s in samples if s[1] == name and not s[3]),
            }
            for name in sorted(n for n in {s[1] for s in samples} if n.startswith("api "))
        },
        "slowest_p95_ms": dict(slowest),
        "tasks_waiting_after": waiting[0][0],
        "passed": errors == 0 and (pages or 0) <= PAGE_P95_MS and (files or 0) <= FILE_P95_MS,
    }


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="esantunan-load-"))
    fresh_database(DATABASE)
    service = Service(workdir)
    offset = 0
    try:
        fixture = prepare(service)
        fixture_path = workdir / "fixture.json"
        fixture_path.write_text(json.dumps(fixture))
        emit(
            figure="load_setup",
            claims=CLAIMS,
            printable_batches=len(fixture["batches"]),
            api_tokens={k: len(v) for k, v in fixture["api_tokens"].items()},
            full=FULL,
            quick=QUICK,
        )
        if not fixture["batches"]:
            raise SystemExit("no payout batch could be printed: the treasurer's part is missing")
        for index, (workers, threads) in enumerate(CONFIGS):
            if index:  # prepare() started the first setting
                service.stop("web")
                service.start_web(workers, threads)
            best, peak = None, 0.0
            for users in USERS:
                offset += 100_000
                step = run_step(service, fixture_path, users, STEP_SECONDS, offset)
                peak = max(peak, step["rate_per_s"])
                emit(figure="load_step", workers=workers, threads=threads, **step)
                if users == USERS[0] and step["errors"]:
                    raise SystemExit(
                        f"{step['errors']} requests failed at {users} people: the mix is broken"
                        f" (see {workdir}/locust.log and web.log)"
                    )
                if not step["passed"]:
                    break
                best = step
            # The anchor, on the same server in the same run: the login page alone,
            # asked without pause by twice as many people as the server has threads.
            offset += 100_000
            login = run_step(
                service,
                fixture_path,
                2 * workers * threads,
                STEP_SECONDS,
                offset,
                locustfile="login_page.py",
            )
            emit(figure="login_page_ceiling", workers=workers, threads=threads, **login)
            held = None
            if FULL and best:
                offset += 100_000
                held = run_step(service, fixture_path, best["users"], HOLD_SECONDS, offset)
                emit(figure="load_hold", workers=workers, threads=threads, **held)
            emit(
                figure="load_sustained",
                workers=workers,
                threads=threads,
                users=best["users"] if best else None,
                rate_per_s=(held or best)["rate_per_s"] if best else None,
                held_seconds=HOLD_SECONDS if held else STEP_SECONDS,
                held_passed=held["passed"] if held else None,
                login_page_ceiling_per_s=login["rate_per_s"],
                ratio_to_login_page=(
                    round((held or best)["rate_per_s"] / login["rate_per_s"], 3)
                    if best and login["rate_per_s"]
                    else None
                ),
                # Whether or not a step passed: the highest rate the mix reached.
                mix_peak_rate_per_s=peak,
                peak_ratio_to_login_page=(
                    round(peak / login["rate_per_s"], 3) if login["rate_per_s"] else None
                ),
                target={"p95_page_ms": PAGE_P95_MS, "p95_upload_file_ms": FILE_P95_MS},
            )
    finally:
        service.stop_all()
        print(f"# logs in {workdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
