"""The fixed cost of a page (issue 26), one JSON line per figure:

- the login page, median server time through Django's test client: the anchor, a page
  that reads no person;
- the smallest authenticated page (the password change form, a form like the login
  one) for a verifier and for an approver past the second factor, median, with the
  ratio to the login page measured in the same run (target ≤ 2×);
- the SQL queries of each.

What differs between the two is what every authenticated request pays before its view
runs: the session, the person with their roles, language and second factor, the
regency. PostgreSQL, in a database of its own (`esantunan_bench_pages`, made anew each
run, or `BENCH_PAGES_DATABASE`); quick mode (common.py) takes a few samples."""

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import QUICK, fresh_database, loadavg, postgres_url, sign_in

ROOT = Path(__file__).resolve().parent.parent
DATABASE = postgres_url("BENCH_PAGES_DATABASE", "esantunan_bench_pages")
# Many samples, interleaved: a busy moment on the shared cores hits every page alike.
SAMPLES, WARMUP = (5, 2) if QUICK else (300, 20)


def emit(**figure) -> None:
    figure["loadavg"] = loadavg()
    print(json.dumps(figure), flush=True)


def setup(workdir: Path) -> None:
    fresh_database(DATABASE)
    os.environ["DATABASE_URL"] = DATABASE
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATA_DIR"] = str(workdir / "data")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    # As in production: the regency recorded, its villages loaded.
    call_command("setup_regency", "33.25", verbosity=0, stdout=io.StringIO())


def person(username: str, role: str):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        setup(Path(workdir))
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from villages.roles import Role

        anonymous, verifier, approver = Client(), Client(), Client()
        sign_in(verifier, person("bench.verifikator", Role.VERIFIKATOR))
        sign_in(approver, person("bench.approver", Role.APPROVER))
        pages = {
            "login_page": (anonymous, reverse("login")),
            "authenticated_page_verifier": (verifier, reverse("password_change_done")),
            "authenticated_page_second_factor": (approver, reverse("password_change_done")),
        }
        times: dict[str, list[float]] = {name: [] for name in pages}
        queries = {}
        for name, (client, url) in pages.items():
            for _ in range(WARMUP):
                assert client.get(url).status_code == 200, name
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries[name] = len(captured.captured_queries)
        for _ in range(SAMPLES):
            for name, (client, url) in pages.items():
                started = time.perf_counter()
                client.get(url)
                times[name].append((time.perf_counter() - started) * 1000)
        medians = {name: statistics.median(values) for name, values in times.items()}
        login = medians["login_page"]
        for name, median in medians.items():
            figure = {"name": f"{name}_median", "value": round(median, 2), "unit": "ms"}
            figure["queries"] = queries[name]
            if name != "login_page":
                figure.update(login_page_ms=round(login, 2), ratio=round(median / login, 2))
                figure["target_ratio"] = 2
            emit(**figure)


if __name__ == "__main__":
    main()
