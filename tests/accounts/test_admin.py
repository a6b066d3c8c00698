"""The users list and the roles in the administration: roles by their Indonesian names
with what each does, and a village official's desa, not Django's permission list."""

import html

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from accounts.admin import ROLE_DESCRIPTIONS
from tests.conftest import DESA_A
from villages.models import Desa, OperatorAssignment
from villages.roles import Role


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def test_every_role_says_what_it_does():
    assert set(ROLE_DESCRIPTIONS) == set(Role.values)


def test_the_roles_list_names_each_role_in_indonesian_with_what_it_does(client_for, administrator):
    listing = page(client_for(administrator), reverse("admin:auth_group_changelist"))

    for role in Role:
        assert str(role.label) in listing
        assert str(ROLE_DESCRIPTIONS[role]) in listing
    assert "operator_desa" not in listing
    positions = [listing.index(f">{role.label}<") for role in Role]
    assert positions == sorted(positions)  # in the order of the work, village first


def test_a_role_shows_its_people_and_cannot_be_edited_here(client_for, administrator, verifikator):
    client = client_for(administrator)
    group = Group.objects.get(name=Role.VERIFIKATOR)

    record = page(client, reverse("admin:auth_group_change", args=[group.pk]))

    assert "Verifikator Dinas Sosial" in record and "verif" in record
    assert 'name="_save"' not in record
    assert client.get(reverse("admin:auth_group_add")).status_code == 403
    assert client.post(reverse("admin:auth_group_delete", args=[group.pk])).status_code == 403


def test_the_user_form_offers_roles_and_a_desa_not_permissions(client_for, administrator, wilayah):
    officer = User.objects.create_user("baru", password="Rahasia-baru-2026")

    form = page(client_for(administrator), reverse("admin:auth_user_change", args=[officer.pk]))

    assert "Can add" not in form and "user_permissions" not in form
    assert 'type="checkbox" name="groups"' in form
    assert f"Operator desa — {ROLE_DESCRIPTIONS[Role.OPERATOR_DESA]}" in form
    assert "desa/kelurahan (hanya untuk operator desa)" in form.lower()


def test_the_administrator_makes_someone_the_operator_of_a_desa(client_for, administrator, wilayah):
    officer = User.objects.create_user("baru", password="Rahasia-baru-2026")
    operator_role = Group.objects.get(name=Role.OPERATOR_DESA)

    response = client_for(administrator).post(
        reverse("admin:auth_user_change", args=[officer.pk]),
        {
            "username": "baru",
            "first_name": "Budi",
            "last_name": "",
            "email": "",
            "groups": [operator_role.pk],
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-12-01",
            "date_joined_1": "08:00:00",
            "operator_assignment-TOTAL_FORMS": "1",
            "operator_assignment-INITIAL_FORMS": "0",
            "operator_assignment-MIN_NUM_FORMS": "0",
            "operator_assignment-MAX_NUM_FORMS": "1",
            "operator_assignment-0-desa": DESA_A,
            "operator_assignment-0-user": officer.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert OperatorAssignment.objects.get(user=officer).desa == Desa.objects.get(pk=DESA_A)
    assert list(officer.groups.values_list("name", flat=True)) == [Role.OPERATOR_DESA]


def test_the_users_list_shows_roles_and_desa(client_for, administrator, operator_a, verifikator):
    listing = page(client_for(administrator), reverse("admin:auth_user_changelist"))

    assert "Operator desa" in listing and "Silurah" in listing
    assert "Verifikator Dinas Sosial" in listing
    assert "Siti Aminah" in listing


@pytest.mark.parametrize("role", [Role.OPERATOR_DESA, Role.VERIFIKATOR])
def test_the_users_list_filters_by_role(client_for, administrator, operator_a, verifikator, role):
    listing = page(
        client_for(administrator), reverse("admin:auth_user_changelist") + f"?peran={role}"
    )

    assert ("operator_a" in listing) == (role == Role.OPERATOR_DESA)
    assert (">verif<" in listing) == (role == Role.VERIFIKATOR)
