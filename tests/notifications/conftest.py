"""The fake gateway on 127.0.0.1, operators and verifiers with a phone for messages."""

import pytest

from notifications.fake_gateway import FakeGateway
from tests.finance.conftest import approve  # noqa: F401  (approved claims, shared)
from villages.models import UserPreference

SECRET = "uji-rahasia-callback"


@pytest.fixture
def gateway(settings):
    """A fake gateway in this process; the service sends to it with no back-off wait.
    Delivery reports are off here: tests post them themselves, signed or not."""
    fake = FakeGateway(token="uji-token", secret=SECRET, callbacks=False).start()
    settings.NOTIFY_GATEWAY_URL = fake.url
    settings.NOTIFY_GATEWAY_TOKEN = "uji-token"
    settings.NOTIFY_CALLBACK_SECRET = SECRET
    settings.NOTIFY_RETRY_BACKOFF = 0
    yield fake
    fake.stop()


def give_phone(user, phone: str):
    UserPreference.objects.update_or_create(user=user, defaults={"phone": phone})
    return user


@pytest.fixture
def village_phone(operator_a):
    return give_phone(operator_a, "+6281311112222")
