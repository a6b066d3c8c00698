"""gunicorn's production settings for e-Santunan, read from the working directory by
`gunicorn config.wsgi`. Command-line options still override them; each setting below can
also be changed through the environment variable named beside it.

Graceful reload: `kill -HUP <master pid>` (or `systemctl reload esantunan-web`) starts
new workers with the new code and configuration and lets the old ones finish the requests
they hold (up to `graceful_timeout`) before they exit; no request is dropped.
"""

import os

from gunicorn.http import wsgi


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# Where to listen: loopback only; the reverse proxy (deploy/nginx/) is the public side.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Workers from the cores: one more than the cores, each with a few threads, so that a
# request waiting on PostgreSQL or a slow upload does not hold a core. On 2 cores with the
# database and the worker beside it, 3 × 4 held more people than gunicorn's usual
# 2 × cores + 1 (5 × 4), which only added switching (docs/ti/kinerja.md, "Load test").
# Change with GUNICORN_WORKERS/THREADS.
workers = _int("GUNICORN_WORKERS", (os.cpu_count() or 1) + 1)
threads = _int("GUNICORN_THREADS", 4)

# A request still running after this many seconds is killed with its worker: a batch's
# letters render in the background worker above FINANCE_BACKGROUND_MIN_CLAIMS claims, so
# no page should need longer. On HUP or TERM workers get graceful_timeout to finish.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Workers are replaced after about this many requests (with jitter so that they do not
# all restart at once): slow leaks in a library cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# The access log leaves out the query string (%(U)s is the path only): searches carry NIKs
# and names, which must never land in a log. %(M)s is milliseconds; the request id is
# the one the application returns (config/logging.py), to find the request's own lines.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: none
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'

# Forwarded addresses and protocol are trusted from the proxy only: with BEHIND_PROXY=1
# from the addresses in FORWARDED_ALLOW_IPS (the proxy's, loopback by default), never
# from anyone otherwise (a client could claim any address).
if os.environ.get("BEHIND_PROXY", "").strip().lower() in {"1", "true", "yes", "on"}:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
else:
    forwarded_allow_ips = ""



def child_exit(server, worker):
    """A worker that exited leaves its request counters to the sum but stops adding to
    its gauges (prometheus_client's multiprocess mode, see config/metrics.py)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# No "Server: gunicorn" banner: it tells a scanner which server and which flaws to try.
# gunicorn has no setting for it, so the response's default headers are filtered here
# (an internal of gunicorn: check it after upgrading; tests/config/test_gunicorn.py does).
_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


wsgi.Response.default_headers = _default_headers_without_server
