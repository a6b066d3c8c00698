"""The administrator registers an address (only http/https, said in Indonesian), sees
its generated secret on its page, reads the delivery log and retries a delivery.

The addresses registered here are public IP addresses: the name of a receiver must
resolve when it is registered, and a test does not depend on the world's DNS."""

import html

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.santunan.factories import submitted_claim
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db

ADD = reverse("admin:webhooks_endpoint_add")
DASHBOARD = "https://36.66.148.10"  # a public address: nothing connects to it here


def form(url: str, **extra) -> dict:
    return {"url": url, "description": "Dasbor kabupaten", "active": "on", **extra}


def test_registering_an_address_generates_a_secret_and_shows_it(client_for, administrator):
    client = client_for(administrator)

    response = client.post(ADD, form(f"{DASHBOARD}/webhook/santunan"))

    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    assert endpoint.created_by == administrator and endpoint.active
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) == 70
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert endpoint.secret in page and "Salin kunci rahasianya" in page
    # The list does not show secrets.
    listing = client.get(reverse("admin:webhooks_endpoint_changelist")).content.decode()
    assert endpoint.secret not in listing


def test_every_address_gets_its_own_secret(client_for, administrator):
    client = client_for(administrator)
    client.post(ADD, form(f"{DASHBOARD}/a"))
    client.post(ADD, form(f"{DASHBOARD}/b"))

    first, second = Endpoint.objects.values_list("secret", flat=True)
    assert first != second


@pytest.mark.parametrize(
    "url",
    ["ftp://dasbor.batangkab.go.id/hook", "file:///etc/passwd", "gopher://127.0.0.1:25/x"],
)
def test_an_address_that_is_not_http_or_https_is_refused_in_indonesian(
    client_for, administrator, url
):
    response = client_for(administrator).post(ADD, form(url))

    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "diawali http:// atau https://" in text or "Masukkan URL yang valid" in text
    assert not Endpoint.objects.exists()


def test_the_model_itself_refuses_a_non_web_address():
    from django.core.exceptions import ValidationError

    endpoint = Endpoint(url="ftp://dasbor.batangkab.go.id/hook")
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean()
    assert "diawali http:// atau https://" in str(error.value)


def test_rotating_the_secret_replaces_it(client_for, administrator):
    endpoint = Endpoint.objects.create(url="https://a.example.org/hook")
    old = endpoint.secret

    client_for(administrator).post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
    )

    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")


@pytest.fixture
def delivery(operator_a, administrator):
    Endpoint.objects.create(url="http://127.0.0.1:9/hook", description="Dasbor kabupaten")
    submitted_claim(operator_a)
    return Delivery.objects.get()


def test_the_delivery_log_is_read_only_and_filters_by_status_and_address(
    client_for, administrator, delivery
):
    client = client_for(administrator)
    url = reverse("admin:webhooks_delivery_changelist")

    listing = html.unescape(client.get(url).content.decode())
    pending = client.get(url + "?status__exact=pending").content.decode()
    given_up = client.get(url + "?status__exact=given_up").content.decode()
    record = html.unescape(
        client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk])).content.decode()
    )

    assert delivery.payload["claim_number"] in listing and "Draf → Diajukan" in listing
    assert "Dasbor kabupaten" in listing and "Kirim ulang sekarang" in listing
    assert delivery.payload["claim_number"] in pending
    assert delivery.payload["claim_number"] not in given_up
    assert str(delivery.public_id) in record and '"new_status": "submitted"' in record
    assert 'name="_save"' not in record  # nothing to edit
    assert client.get(reverse("admin:webhooks_delivery_add")).status_code == 403


def test_retry_now_from_the_log_makes_a_given_up_delivery_due_and_queues_it(
    client_for, administrator, delivery, django_capture_on_commit_callbacks
):
    Delivery.objects.filter(pk=delivery.pk).update(status="given_up", attempts=16)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(
            reverse("admin:webhooks_delivery_changelist"),
            {"action": "retry_now", "_selected_action": [delivery.pk]},
            follow=True,
        )

    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert "1 pengiriman dijadwalkan sekarang" in response.content.decode()
    task = DBTaskResult.objects.get(task_path="webhooks.tasks.deliver_webhook")
    assert task.args_kwargs["args"] == [delivery.pk]
