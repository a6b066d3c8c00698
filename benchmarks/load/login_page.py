"""The anchor of the load test (benchmarks/bench_load.py): people who only ask for the
login page, one request after the other without pause, so the rate they reach is the
most requests per second the same server answers for a page that reads no person.
The mix's rate is reported as a share of it, measured in the same run.

Every answer is written to LOAD_RESULTS when locust stops (recording.py, as for locustfile.py).
Only 127.0.0.1 is ever asked."""

# Records every answer and refuses hosts but 127.0.0.1 (its listeners register on import).
import recording  # noqa: F401
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class LoginPage(FastHttpUser):
    wait_time = constant(0)

    @task
    def login_page(self):
        self.client.get("/akun/masuk/", name="page /akun/masuk/")
