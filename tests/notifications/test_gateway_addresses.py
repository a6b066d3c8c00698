"""The SMS/WhatsApp gateway client goes through the outbound guard: a gateway on
127.0.0.1 named in the settings is reached (tests/notifications/test_sending.py), a
metadata or link-local address never, and a redirect is a failure, not followed."""

from notifications import gateway
from tests.webhooks.receiver import Receiver


def send():
    return gateway.send(reference="uji-1", to="+6281311112222", channel="sms", text="Uji")


def test_a_gateway_address_no_call_may_go_to_is_refused_and_retried_later(settings):
    settings.NOTIFY_GATEWAY_URL = "http://169.254.169.254/sms"

    outcome = send()

    assert not outcome.ok and outcome.retryable
    assert outcome.error.startswith("alamat gateway ditolak: Alamat 169.254.169.254")
    assert gateway.lookup("uji-1") is None


def test_a_gateway_that_answers_a_redirect_is_not_followed(settings):
    fake, inward = Receiver().start(), Receiver().start()
    fake.answers, fake.location = [307], f"{inward.url}/messages"
    settings.NOTIFY_GATEWAY_URL = fake.url
    try:
        outcome = send()
    finally:
        fake.stop()
        inward.stop()

    assert not outcome.ok and not outcome.retryable
    assert outcome.error == "HTTP 307: pengalihan tidak diikuti"
    assert [request.path for request in fake.received] == ["/messages"]
    assert inward.received == []
