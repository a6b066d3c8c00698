"""What the benchmarks share: quick mode, the PostgreSQL databases they use, the load
average, and logging Django's test client in as an official past the second factor.

Quick mode (`BENCH_QUICK=1`, set by `benchmarks/run.py --quick`, which CI runs) takes
every code path of the full benchmark at tiny sizes, in seconds, on databases of its
own: it shows a benchmark still runs, not how fast. Its figures mean nothing."""

import os
import shutil
from pathlib import Path

QUICK = os.environ.get("BENCH_QUICK") == "1"
# run.py --quick names its databases after its run, so two runs at once do not meet.
RUN_ID = os.environ.get("BENCH_RUN_ID", "")


def sized(variable: str | None, full: int, quick: int) -> int:
    """A size from its environment variable when set, else the full or the quick one."""
    value = os.environ.get(variable) if variable else None
    return int(value) if value else (quick if QUICK else full)


def postgres_url(variable: str, name: str) -> str:
    """The benchmark's database: the environment variable when set, else `name` on the
    local server; in quick mode a database of the quick run instead (emptied first)."""
    if os.environ.get(variable):
        return os.environ[variable]
    if QUICK:
        name = f"{name}_quick{('_' + RUN_ID) if RUN_ID else ''}"
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def fresh_database(url: str) -> None:
    """Drop `url`'s PostgreSQL database and create it anew: empty, or in a quick run
    made by run.py a copy of the run's migrated template (BENCH_TEMPLATE_DATABASE), as
    migrating PostgreSQL anew costs more than a quick benchmark itself."""
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    template = os.environ.get("BENCH_TEMPLATE_DATABASE") if QUICK else None
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        conn.execute(create)


def sqlite_url(path: Path) -> str:
    """The URL of a new SQLite database at `path`: in a quick run made by run.py a copy
    of the run's migrated SQLite file (BENCH_TEMPLATE_SQLITE), migrated already."""
    path.parent.mkdir(parents=True, exist_ok=True)
    template = os.environ.get("BENCH_TEMPLATE_SQLITE") if QUICK else None
    if template:
        shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def loadavg() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages: others' work on the same cores
    inflates wall times, so each figure carries the load it was measured under."""
    return [float(value) for value in Path("/proc/loadavg").read_text().split()[:3]]


def sign_in(client, user) -> None:
    """Log the test client in as `user` as the official would be after the login form:
    for the roles that need a second factor (accounts.policy), past it with a confirmed
    authenticator, the session marked as verified with it (django_otp's session key).
    Without that an approver, a treasurer or an administrator is sent to the
    second-factor page instead of the page measured."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.policy import needs_second_factor

    client.force_login(user)
    if needs_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
