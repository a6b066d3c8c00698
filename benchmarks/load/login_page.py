"""The anchor of the load test (benchmarks/bench_load.py): people who only ask for the
login page, one request after the other without pause, so the rate they reach is the
most requests per second the same server answers for a page that reads no person.
The mix's rate is reported as a share of it, measured in the same run.

Every answer is written to LOAD_RESULTS when locust stops, as locustfile.py does.
Only 127.0.0.1 is ever asked."""

import json
import os
import time
from urllib.parse import urlparse

from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser

RESULTS = os.environ["LOAD_RESULTS"]
samples: list[tuple[float, str, float, bool]] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **_kwargs):
    samples.append((time.time(), name, response_time, exception is None))


@events.quitting.add_listener
def _write(environment, **_kwargs):
    with open(RESULTS, "w", encoding="utf-8") as handle:
        json.dump(samples, handle)


@events.test_start.add_listener
def _only_loopback(environment, **_kwargs):
    if urlparse(environment.host).hostname != "127.0.0.1":
        raise SystemExit("The load test only runs against 127.0.0.1.")


class LoginPage(FastHttpUser):
    wait_time = constant(0)

    @task
    def login_page(self):
        self.client.get("/akun/masuk/", name="page /akun/masuk/")
