import pytest
from django.urls import reverse


def test_the_admin_exports_villages_through_import_export(client_for, administrator, wilayah):
    client = client_for(administrator)
    export_url = reverse("admin:villages_desa_export")
    form = client.get(export_url)
    assert form.status_code == 200

    response = client.post(
        export_url,
        {
            "format": "0",
            "resource": "0",
            "desaresource_code": "on",
            "desaresource_name": "on",
            "desaresource_kind": "on",
            "desaresource_kecamatan": "on",
        },
    )

    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].split(",") == ["code", "name", "kind", "kecamatan"]
    assert len(lines) == 1 + 248
    assert "33.25.01.2001,Silurah,desa,33.25.01" in lines


@pytest.mark.parametrize("fixture", ["operator_a", "verifikator"])
def test_the_admin_is_closed_to_working_roles(client_for, request, fixture):
    user = request.getfixturevalue(fixture)

    response = client_for(user).get(reverse("admin:index"))

    assert response.status_code == 302
