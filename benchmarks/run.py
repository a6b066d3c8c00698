"""`make bench`: run every benchmarks/bench_*.py in its own process, in name order.
Each prints one JSON line per figure; the exit status is non-zero if any failed, or
printed no figure at all.

`--quick` (CI, .ci/run): every benchmark in quick mode (BENCH_QUICK=1, see common.py):
each code path at tiny sizes, in seconds, on databases of this run copied from migrated
templates (PostgreSQL and SQLite), all dropped at the end. Its figures only show that each
benchmark still measures; `make bench` gives the real ones. Names after the options
choose benchmarks: `run.py --quick api finance`."""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVER = "postgres://postgres@127.0.0.1:5432"


def figures(output: str) -> int:
    count = 0
    for line in output.splitlines():
        try:
            count += isinstance(json.loads(line), dict)
        except ValueError:
            pass
    return count


def children_cpu() -> float:
    """CPU seconds of the finished processes started from here, theirs included: what
    a run costs whatever else the shared cores were doing (PostgreSQL's not counted)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(script: Path, env: dict) -> bool:
    """Run one benchmark, its figures passed on as they come; whether it succeeded."""
    print(f"# {script.name}", file=sys.stderr, flush=True)
    started, cpu = time.monotonic(), children_cpu()
    process = subprocess.Popen(
        [sys.executable, str(script)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    output = []
    for line in process.stdout:
        print(line, end="", flush=True)
        output.append(line)
    returncode = process.wait()
    printed = figures("".join(output))
    print(
        f"# {script.name}: exit {returncode}, {printed} figures,"
        f" {time.monotonic() - started:.0f} s, {children_cpu() - cpu:.0f} s of CPU",
        file=sys.stderr,
        flush=True,
    )
    return returncode == 0 and printed > 0


def quick_templates(env: dict, workdir: Path) -> dict[str, str]:
    """The run's migrated databases that quick benchmarks copy instead of migrating
    anew: a PostgreSQL template named after the run and a SQLite file, migrated side by
    side. The environment variables that name them."""
    import psycopg
    from psycopg import sql

    template = f"esantunan_bench_template_quick_{env['BENCH_RUN_ID']}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
    sqlite = workdir / "template.sqlite3"
    migrations = [
        subprocess.Popen(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": url, "DEBUG": "1", "DATA_DIR": str(workdir)},
        )
        for url in (f"{SERVER}/{template}", f"sqlite:///{sqlite}")
    ]
    if any(migration.wait() for migration in migrations):
        raise SystemExit("the quick run's template databases could not be migrated")
    return {"BENCH_TEMPLATE_DATABASE": template, "BENCH_TEMPLATE_SQLITE": str(sqlite)}


def drop_quick_databases(run_id: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        names = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"esantunan\\_bench%\\_quick\\_{run_id}"],
        ).fetchall()
        for (name,) in names:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    chosen = [name for name in argv if not name.startswith("-")]
    scripts = [
        script
        for script in sorted(HERE.glob("bench_*.py"))
        if not chosen or script.stem.removeprefix("bench_") in chosen
    ]
    env = dict(os.environ)
    if quick:
        env.update({"BENCH_QUICK": "1", "BENCH_RUN_ID": str(os.getpid())})
    started, failed = time.monotonic(), []
    with tempfile.TemporaryDirectory(prefix="bench-run-") as workdir:
        try:
            if quick:
                env.update(quick_templates(env, Path(workdir)))
            for script in scripts:
                if not run(script, env):
                    failed.append(script.name)
        finally:
            if quick:
                drop_quick_databases(env["BENCH_RUN_ID"])
    elapsed = time.monotonic() - started
    print(
        f"# {len(scripts)} benchmarks in {elapsed:.0f} s, {children_cpu():.0f} s of CPU,"
        f" load average {os.getloadavg()[0]:.2f}",
        file=sys.stderr,
    )
    if failed:
        print(f"# failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
