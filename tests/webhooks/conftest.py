"""A real receiver on 127.0.0.1 and an endpoint registered for it."""

import pytest

from tests.webhooks.receiver import Receiver
from webhooks.models import Endpoint


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WEBHOOK_RETRY_BACKOFF = 60
    settings.WEBHOOK_MAX_RETRY_DELAY = 3600
    settings.WEBHOOK_TIMEOUT = 2
    settings.WEBHOOK_MAX_ATTEMPTS = 5
    # The receivers here listen on 127.0.0.1 and speak plain http: allowed only as a
    # development installation (DEBUG) that lists the address, which is how the README
    # says to admit a receiver on the server itself. tests/webhooks/test_targets.py
    # takes both away again.
    settings.DEBUG = True
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(receiver, administrator):
    return Endpoint.objects.create(
        url=f"{receiver.url}/hook", description="Dasbor kabupaten", created_by=administrator
    )
