"""current_regency(): the one reader of "which regency": the recorded one, else the
settings' defaults; read once per request, never kept stale between requests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from office.selectors import letterhead_on
from santunan.services import submission_problems
from tests.santunan.factories import draft_claim
from villages.models import Regency
from villages.selectors import current_regency
from villages.services import setup_regency

pytestmark = pytest.mark.django_db


def record(code="33.74", name="Kota Semarang", kind="kota"):
    return Regency.objects.create(
        code=code, name=name, kind=kind, province_code=code[:2], province_name="Jawa Tengah"
    )


def test_with_nothing_set_up_the_settings_are_the_default(settings):
    settings.REGENCY_CODE, settings.REGENCY_NAME = "33.71", "Kota Magelang"

    regency = current_regency()

    assert (regency.code, regency.name, regency.kind, regency.set_up) == (
        "33.71",
        "Kota Magelang",
        "kota",
        False,
    )


def test_the_recorded_regency_wins_over_the_settings_at_once(settings):
    assert current_regency().code == settings.REGENCY_CODE

    record()

    regency = current_regency()
    assert (regency.code, regency.name, regency.set_up) == ("33.74", "Kota Semarang", True)
    assert regency.short_name == "Semarang"


def test_a_page_shows_the_recorded_regency_in_its_footer(client_for, verifikator):
    record()

    page = client_for(verifikator).get(reverse("santunan:verifikator_home"))

    assert "Kota Semarang" in page.content.decode()


def test_a_request_reads_the_regency_once_however_many_ask(client_for, verifikator):
    record()
    client = client_for(verifikator)
    client.get(reverse("santunan:verifikator_home"))

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("santunan:verifikator_home"))

    regency_reads = [q for q in queries if '"villages_regency"' in q["sql"]]
    assert len(regency_reads) == 1


def test_the_next_request_sees_a_regency_set_up_in_between(client_for, administrator):
    client = client_for(administrator)
    assert client.get(reverse("home")).url == reverse("villages:setup")

    setup_regency(code="33.74")

    assert client.get(reverse("home")).url == reverse("admin:index")


def test_a_claim_outside_the_recorded_regency_is_refused(operator_a):
    # operator_a's village is in Batang; the installation now serves Kota Semarang.
    claim = draft_claim(operator_a)
    assert "Desa almarhum tidak berada di kabupaten ini." not in submission_problems(claim)

    record()

    assert "Desa almarhum tidak berada di kabupaten ini." in submission_problems(claim)


def test_letters_without_a_letterhead_carry_the_recorded_regency():
    record()

    letterhead = letterhead_on(timezone.localdate())

    assert (letterhead.regency, letterhead.place, letterhead.address) == (
        "Kota Semarang",
        "Semarang",
        "",
    )
