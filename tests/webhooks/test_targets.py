"""Where a webhook may go: an address on the server itself, in the office network or at
a cloud's metadata service is refused when it is registered, with a reason in
Indonesian, and again at every delivery against the address actually connected to;
a receiver on 127.0.0.1 is reached only when the installation lists it
(WEBHOOK_ALLOWED_NETWORKS), and https is required unless DEBUG is on."""

import html
import socket

import pytest
from django.urls import reverse

from santunan.services import verify_claim
from tests.santunan.factories import submitted_claim
from tests.webhooks.receiver import Receiver
from webhooks.models import Delivery, Endpoint
from webhooks.services import deliver_webhook

pytestmark = pytest.mark.django_db

ADD = reverse("admin:webhooks_endpoint_add")


def register(client, url: str):
    return client.post(ADD, {"url": url, "description": "Dasbor kabupaten", "active": "on"})


def errors_of(response) -> str:
    assert response.status_code == 200  # the form again, with its errors
    return html.unescape(response.content.decode())


@pytest.fixture
def unlisted(settings):
    """An installation that lists no network (the default)."""
    settings.WEBHOOK_ALLOWED_NETWORKS = []


# --- at registration -----------------------------------------------------------------------


def test_a_receiver_on_127_0_0_1_listed_in_the_setting_gets_the_delivery(
    client_for, administrator, operator_a, receiver
):
    response = register(client_for(administrator), f"{receiver.url}/hook")
    assert response.status_code == 302

    submitted_claim(operator_a)
    delivery = Delivery.objects.get()
    assert deliver_webhook(delivery.pk) is None

    delivery.refresh_from_db()
    assert delivery.status == "delivered" and len(receiver.received) == 1


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://127.0.0.1:8080/hook", "alamat server ini sendiri (loopback)"),
        ("http://localhost/hook", "alamat server ini sendiri (loopback)"),
        ("http://[::1]/hook", "alamat server ini sendiri (loopback)"),
        ("http://0.0.0.0/hook", "alamat tak tertentu"),
        # Django's own URL check refuses this spelling first (the model names it, below).
        ("http://2130706433:8080/hook", "Masukkan URL yang valid"),
        ("http://169.254.169.254/latest/meta-data/", "metadata cloud"),
        ("http://10.20.30.40/hook", "alamat jaringan dalam (privat)"),
        ("http://192.168.1.10/hook", "alamat jaringan dalam (privat)"),
        ("ftp://dasbor.batangkab.go.id/hook", "diawali http:// atau https://"),
    ],
)
def test_an_inward_address_is_refused_at_registration_in_indonesian(
    client_for, administrator, unlisted, url, reason
):
    text = errors_of(register(client_for(administrator), url))

    assert reason in text
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "017700000001", "127.1"])
def test_the_model_names_the_address_behind_a_numeric_spelling(unlisted, host):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        Endpoint(url=f"http://{host}:8080/hook").full_clean()

    assert "Alamat 127.0.0.1 adalah alamat server ini sendiri (loopback)" in str(error.value)


def test_a_private_address_is_told_how_to_be_allowed(client_for, administrator, unlisted):
    text = errors_of(register(client_for(administrator), "http://10.20.30.40/hook"))

    assert "Alamat 10.20.30.40 adalah alamat jaringan dalam (privat)" in text
    assert "WEBHOOK_ALLOWED_NETWORKS" in text


def test_a_listed_private_network_is_allowed_but_never_the_metadata_address(
    client_for, administrator, settings
):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16", "169.254.0.0/16"]
    client = client_for(administrator)

    assert register(client, "http://10.20.30.40/hook").status_code == 302
    assert "metadata cloud" in errors_of(register(client, "http://169.254.169.254/latest/"))
    assert Endpoint.objects.count() == 1


def test_https_is_required_at_registration_when_debug_is_off(client_for, administrator, settings):
    settings.DEBUG = False
    client = client_for(administrator)

    text = errors_of(register(client, "http://36.66.148.10/hook"))
    assert "Alamat harus diawali https://" in text
    assert not Endpoint.objects.exists()

    assert register(client, "https://36.66.148.10/hook").status_code == 302
    assert register(client, "36.66.148.10/tanpa-skema").status_code == 302  # taken as https
    assert sorted(Endpoint.objects.values_list("url", flat=True)) == [
        "https://36.66.148.10/hook",
        "https://36.66.148.10/tanpa-skema",
    ]


def test_a_name_that_does_not_resolve_is_refused_rather_than_left_unchecked(
    client_for, administrator
):
    text = errors_of(register(client_for(administrator), "https://tidak-ada.invalid/hook"))

    assert "Nama tidak-ada.invalid tidak ditemukan (DNS)" in text
    assert not Endpoint.objects.exists()


# --- at every delivery ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]", "0.0.0.0"]
)
def test_an_inward_address_saved_without_the_form_is_refused_at_delivery(
    operator_a, receiver, unlisted, host
):
    Endpoint.objects.create(url=f"http://{host}:{receiver.port}/hook")
    submitted_claim(operator_a)
    delivery = Delivery.objects.get()

    assert deliver_webhook(delivery.pk) == 60  # a failed attempt, tried again later

    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert delivery.last_error.startswith("alamat ditolak: Alamat ")
    assert receiver.received == []


def test_an_address_allowed_at_registration_is_judged_again_at_delivery(
    client_for, administrator, operator_a, receiver, settings
):
    assert register(client_for(administrator), f"{receiver.url}/hook").status_code == 302
    settings.WEBHOOK_ALLOWED_NETWORKS = []  # the installation stops listing it
    submitted_claim(operator_a)
    delivery = Delivery.objects.get()

    deliver_webhook(delivery.pk)

    delivery.refresh_from_db()
    assert "loopback" in delivery.last_error and receiver.received == []


def test_plain_http_is_refused_at_delivery_when_debug_is_off(operator_a, receiver, settings):
    Endpoint.objects.create(url=f"{receiver.url}/hook")  # registered while DEBUG was on
    settings.DEBUG = False
    submitted_claim(operator_a)
    delivery = Delivery.objects.get()

    deliver_webhook(delivery.pk)

    delivery.refresh_from_db()
    assert "https://" in delivery.last_error and receiver.received == []


def test_a_redirect_to_an_inward_address_is_a_failed_delivery_and_its_target_never_hit(
    operator_a, receiver, endpoint
):
    inward = Receiver().start()  # also on 127.0.0.1, which the setting allows
    try:
        receiver.answers, receiver.location = [307, 307], f"{inward.url}/admin"
        submitted_claim(operator_a)
        delivery = Delivery.objects.get()
        deliver_webhook(delivery.pk)
    finally:
        inward.stop()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == ("pending", 307)
    assert delivery.last_error == "HTTP 307: pengalihan tidak diikuti"
    assert len(receiver.received) == 1 and inward.received == []


def test_a_name_that_changes_its_answer_gets_the_connection_it_was_judged_on(
    client_for, administrator, operator_a, verifikator, receiver, monkeypatch
):
    """DNS rebinding. The one test that replaces the resolver: a name that answers
    differently on each lookup cannot be had from real DNS on a test machine, and the
    point is exactly how many lookups are made and where the connection goes. The
    name answers 127.0.0.1 (listed, the receiver) to the registration and to the first
    delivery's lookup, then 127.0.0.2 (not listed, an inward server). Connecting with a
    second lookup of its own would reach 127.0.0.2 in the first delivery."""
    inward = Receiver(host="127.0.0.2").start()
    answers = iter(["127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2", "127.0.0.2"])
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host != "dasbor.batangkab.go.id":
            return real_getaddrinfo(host, port, *args, **kwargs)
        address = next(answers)
        lookups.append(address)
        port = receiver.port if address == "127.0.0.1" else inward.port
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        url = f"http://dasbor.batangkab.go.id:{receiver.port}/hook"
        assert register(client_for(administrator), url).status_code == 302
        claim = submitted_claim(operator_a)
        first = Delivery.objects.get()
        assert deliver_webhook(first.pk) is None

        verify_claim(claim_id=claim.pk, user=verifikator)
        second = Delivery.objects.exclude(pk=first.pk).get()
        deliver_webhook(second.pk)
    finally:
        inward.stop()

    first.refresh_from_db()
    second.refresh_from_db()
    assert lookups == ["127.0.0.1", "127.0.0.1", "127.0.0.2"]  # one per check, none more
    assert first.status == "delivered"
    assert [request.headers["Host"] for request in receiver.received] == [
        f"dasbor.batangkab.go.id:{receiver.port}"
    ]
    assert "Alamat 127.0.0.2 adalah alamat server ini sendiri" in second.last_error
    assert inward.received == []
