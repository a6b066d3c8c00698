"""/metrics: only with the token, and its figures are the database's own counts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from notifications.models import Message
from notifications.tasks import deliver_message
from santunan.models import Claim, Status

TOKEN = "uji-token-metrik-0123456789"


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.mark.django_db
def test_metrics_do_not_exist_without_a_configured_token(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.django_db
def test_metrics_refuse_a_missing_or_wrong_token(client, token):
    missing = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer salah"})

    assert missing.status_code == 401 and wrong.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert b"esantunan_claims" not in missing.content + wrong.content


@pytest.mark.django_db
def test_claims_by_state_equal_the_database_counts(client, token, wilayah):
    call_command("generate_claims", "40", "--seed", "5", "--every-state", stdout=None)

    figures = scrape(client)

    for state in Status:
        count = Claim.objects.filter(status=state).count()
        assert figures[("esantunan_claims", (("state", state.value),))] == count
    assert sum(v for (name, _l), v in figures.items() if name == "esantunan_claims") == 40


@pytest.mark.django_db
def test_the_queue_figures_equal_the_database_and_the_oldest_wait(client, token):
    for _ in range(3):
        deliver_message.enqueue(0)
    oldest = DBTaskResult.objects.order_by("pk").first()
    DBTaskResult.objects.filter(pk=oldest.pk).update(enqueued_at=timezone.now() - timedelta(hours=1))
    later = deliver_message.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(0)
    done = DBTaskResult.objects.exclude(pk__in=[oldest.pk, later.id]).first()
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL", finished_at=timezone.now())

    figures = scrape(client)

    queue = (("queue", "default"),)
    assert figures[("esantunan_task_queue_length", queue)] == DBTaskResult.objects.ready().count()
    assert figures[("esantunan_task_queue_length", queue)] == 2  # not the later, not the done
    assert 3600 <= figures[("esantunan_task_oldest_ready_age_seconds", queue)] < 3600 + 60


@pytest.mark.django_db
def test_the_outbox_backlog_equals_the_messages_not_yet_sent(client, token):
    for n, state in enumerate(["queued", "queued", "sending", "sent", "failed", "delivered"]):
        Message.objects.create(
            key=f"uji-{n}", reference=f"ref-{n}", kind="submitted", audience="heir",
            phone="+6281234567890", channel="sms", text="Uji", state=state,
        )

    figures = scrape(client)

    for state in ("queued", "sending"):
        assert figures[("esantunan_outbox_messages", (("state", state),))] == (
            Message.objects.filter(state=state).count()
        )
    assert figures[("esantunan_outbox_messages", (("state", "queued"),))] == 2


@pytest.mark.django_db
def test_requests_are_counted_by_view_method_and_status(client, token):
    key = (
        "django_http_responses_total_by_status_view_method_total",
        (("method", "GET"), ("status", "200"), ("view", "login")),
    )
    before = scrape(client).get(key, 0)

    client.get("/akun/masuk/")
    client.get("/akun/masuk/")

    assert scrape(client)[key] == before + 2
