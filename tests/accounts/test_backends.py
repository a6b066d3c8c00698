"""Each request reads the logged-in person once, with their roles, saved language and
desa (accounts.backends.OfficialBackend), and nothing of it outlives the request."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import OfficialBackend
from tests.accounts.test_login import log_in
from villages.models import UserPreference
from villages.roles import Role


def _tables_read(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, [q["sql"] for q in queries.captured_queries]


def test_a_page_reads_the_roles_and_the_language_with_the_person(client, verifikator):
    UserPreference.objects.create(user=verifikator, language="en")
    log_in(client, "verif")

    status, sql = _tables_read(client, reverse("santunan:verifikator_home"))

    assert status == 200
    reads_of_user = [s for s in sql if s.startswith('SELECT "auth_user"."id"')]
    assert len(reads_of_user) == 1
    assert '"auth_user_groups"' in reads_of_user[0] and "villages_userpreference" in reads_of_user[0]
    assert not [s for s in sql if s.startswith('SELECT "auth_group"."name"')]
    assert not [s for s in sql if s.startswith('SELECT "villages_userpreference"')]


def test_a_village_officials_desa_comes_with_them(client, operator_a):
    log_in(client, "operator_a")

    status, sql = _tables_read(client, reverse("santunan:desa_home"))

    assert status == 200
    assert not [s for s in sql if s.startswith('SELECT "villages_operatorassignment"')]


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


def test_the_backend_reads_each_role_and_the_administrator_of_a_superuser(
    db, verifikator, administrator
):
    backend = OfficialBackend()

    assert backend.get_user(verifikator.pk)._esantunan_roles == {Role.VERIFIKATOR}
    assert backend.get_user(administrator.pk)._esantunan_roles == {Role.ADMINISTRATOR}
    assert backend.get_user(10**9) is None
