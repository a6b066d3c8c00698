"""What a page knows of the logged-in person is read afresh on each request: nothing
of it outlives the request, so a change made elsewhere applies from the next page."""

from django.contrib.auth.models import Group
from django.urls import reverse

from tests.accounts.test_login import log_in
from villages.models import UserPreference
from villages.roles import Role


def test_a_role_taken_away_applies_from_the_next_page(client, verifikator):
    log_in(client, "verif")
    assert client.get(reverse("santunan:verifikator_home")).status_code == 200

    verifikator.groups.remove(Group.objects.get(name=Role.VERIFIKATOR))

    assert client.get(reverse("santunan:verifikator_home")).status_code == 403


def test_a_language_saved_elsewhere_applies_from_the_next_page(client, verifikator):
    log_in(client, "verif")
    assert client.get(reverse("santunan:verifikator_home"))["Content-Language"] == "id"

    UserPreference.objects.create(user=verifikator, language="en")

    assert client.get(reverse("santunan:verifikator_home"))["Content-Language"] == "en"


def test_a_deactivated_account_is_logged_out_on_its_next_page(client, verifikator):
    log_in(client, "verif")
    verifikator.is_active = False
    verifikator.save()

    response = client.get(reverse("santunan:verifikator_home"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
