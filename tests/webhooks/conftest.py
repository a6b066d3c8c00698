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
