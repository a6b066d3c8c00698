"""What both locust files of the load test share (locustfile.py, the mix, and
login_page.py, its anchor): every answer recorded as (when, name, milliseconds,
succeeded) and written to LOAD_RESULTS when locust stops, and a refusal of any host but
127.0.0.1. Importing the module registers the listeners."""

import json
import os
import time
from urllib.parse import urlparse

from locust import events

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
