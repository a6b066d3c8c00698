import pytest
from django.urls import reverse

from tests.conftest import DESA_A, DESA_B


def test_an_operator_opens_their_own_desa(client_for, operator_a):
    response = client_for(operator_a).get(reverse("villages:desa_detail", args=[DESA_A]))

    assert response.status_code == 200
    assert "Silurah" in response.content.decode()


def test_an_operator_cannot_open_another_desa(client_for, operator_a, operator_b):
    response = client_for(operator_a).get(reverse("villages:desa_detail", args=[DESA_B]))

    assert response.status_code == 404


def test_an_operator_lists_only_their_own_desa(client_for, operator_a, operator_b):
    page = client_for(operator_a).get(reverse("villages:list")).content.decode()

    assert DESA_A in page
    assert DESA_B not in page


def test_a_verifier_sees_every_desa(client_for, verifikator, wilayah):
    page = client_for(verifikator).get(reverse("villages:list")).content.decode()

    assert DESA_A in page and DESA_B in page


@pytest.mark.parametrize(
    "url", ["/desa/", "/verifikasi/", "/wilayah/", "/persetujuan/", "/keuangan/"]
)
def test_anonymous_requests_redirect_to_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
