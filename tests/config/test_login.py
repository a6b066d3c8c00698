import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    "fixture,home",
    [
        ("operator_a", "santunan:desa_home"),
        ("verifikator", "santunan:verifikator_home"),
        # Roles that move money or manage users enrol a second factor first.
        ("approver", "accounts:enrol"),
        ("bendahara", "accounts:enrol"),
        ("administrator", "accounts:enrol"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, request, fixture, home):
    user = request.getfixturevalue(fixture)

    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0].split("?")[0] == reverse(home)
    assert response.status_code == 200


def test_a_wrong_password_is_refused_in_bahasa_indonesia(client, verifikator):
    response = client.post(reverse("login"), {"username": "verif", "password": "salah"})

    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()


def test_the_login_page_is_in_bahasa_indonesia_and_uses_no_cdn(client, db):
    page = client.get(reverse("login")).content.decode()

    assert "Masuk ke e-Santunan" in page
    assert "/static/js/htmx.min.js" in page
    assert "https://" not in page


def test_english_is_available(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("login")).content.decode()

    assert "Sign in to e-Santunan" in page


def test_a_role_page_is_forbidden_to_another_role(client_for, verifikator):
    response = client_for(verifikator).get(reverse("finance:home"))

    assert response.status_code == 403


def test_the_password_change_page_works(client_for, bendahara):
    client = client_for(bendahara)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Baru-sekali-2026",
            "new_password2": "Baru-sekali-2026",
        },
    )

    assert response.status_code == 302
    bendahara.refresh_from_db()
    assert bendahara.check_password("Baru-sekali-2026")
