"""A new account's home shows a short list of first steps for its role, closed for good
by a POST (with CSRF, htmx or not); and an empty list says what to do next."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import pass_second_factor
from villages.models import UserPreference

HOMES = {
    "operator_a": ("santunan:desa_home", "santunan:claim_new"),
    "verifikator": ("santunan:verifikator_home", "dinsos_sync:home"),
    "approver": ("santunan:approver_home", "reports:dashboard"),
    "bendahara": ("finance:home", "finance:budget"),
    "administrator": ("admin:index", "admin:accounts_import_officials"),
}


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("who", list(HOMES))
def test_each_role_home_shows_its_first_steps(who, request, client_for):
    home, step = HOMES[who]
    client = client_for(request.getfixturevalue(who))

    text = page(client, reverse(home))

    assert 'id="first-steps"' in text
    assert f'href="{reverse(step)}"' in text
    assert "/panduan/panduan/" in text  # the role's guide, last


def signed_in_enforcing_csrf(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(text: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)


def test_closing_the_list_keeps_it_closed_for_that_person_only(operator_a, operator_b):
    client = signed_in_enforcing_csrf(operator_a)
    home = reverse("santunan:desa_home")
    token = csrf_token(page(client, home))

    response = client.post(
        reverse("accounts:dismiss_first_steps"), {"csrfmiddlewaretoken": token, "next": home}
    )

    assert response.status_code == 302 and response.url == home
    assert 'id="first-steps"' not in page(client, home)
    assert UserPreference.objects.get(user=operator_a).first_steps_dismissed_at is not None
    elsewhere = signed_in_enforcing_csrf(operator_a)  # another device
    assert 'id="first-steps"' not in page(elsewhere, home)
    assert 'id="first-steps"' in page(signed_in_enforcing_csrf(operator_b), home)


def test_closing_without_the_csrf_token_is_refused(operator_a):
    client = signed_in_enforcing_csrf(operator_a)

    response = client.post(reverse("accounts:dismiss_first_steps"))

    assert response.status_code == 403
    assert not UserPreference.objects.filter(
        user=operator_a, first_steps_dismissed_at__isnull=False
    ).exists()


def test_htmx_gets_nothing_back_to_swap_the_list_out(client_for, verifikator):
    client = client_for(verifikator)

    response = client.post(reverse("accounts:dismiss_first_steps"), headers={"HX-Request": "true"})

    assert response.status_code == 200 and response.content == b""
    assert 'id="first-steps"' not in page(client, reverse("santunan:verifikator_home"))


def test_a_link_elsewhere_is_not_followed_after_closing(client_for, operator_a):
    response = client_for(operator_a).post(
        reverse("accounts:dismiss_first_steps"), {"next": "https://evil.example/"}
    )

    assert response.status_code == 302 and response.url == reverse("home")


def test_closing_is_a_post(client_for, operator_a):
    assert client_for(operator_a).get(reverse("accounts:dismiss_first_steps")).status_code == 405


def test_the_approver_second_factor_still_comes_first(client, approver):
    client.force_login(approver)

    response = client.get(reverse("santunan:approver_home"))

    assert response.status_code == 302  # to the second factor, not the list
    pass_second_factor(client, approver)
    assert 'id="first-steps"' in page(client, reverse("santunan:approver_home"))


# --- empty lists say what to do next -------------------------------------------------------


def test_empty_lists_say_what_to_do_next(client_for, operator_a, verifikator, approver, bendahara):
    stats = page(client_for(operator_a), reverse("santunan:desa_statistics"))
    assert "Tekan “Klaim baru”" in stats

    queue = page(client_for(verifikator), reverse("santunan:verifikator_home"))
    assert "Tekan “Hapus saringan”" in queue
    runs = page(client_for(verifikator), reverse("reports:reports"))
    assert "lalu tekan “Buat laporan”" in runs
    registry = page(client_for(verifikator), reverse("dinsos_sync:home"))
    assert "Muat berkas registri" in registry and "Belum ada.<" not in registry

    approvals = page(client_for(approver), reverse("santunan:approver_home"))
    assert "setelah verifikator memverifikasinya" in approvals

    finance = page(client_for(bendahara), reverse("finance:home"))
    assert "tekan “Jadwalkan pembayaran”" in finance
    budget = page(client_for(bendahara), reverse("finance:budget"))
    assert "lalu tekan “Simpan”" in budget

    for text in (stats, queue, runs, registry, approvals, finance, budget):
        assert "tidak ada data" not in text.lower()
