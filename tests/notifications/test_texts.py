"""Message wording: every default text fits one GSM-7 SMS with realistic values, an
administrator's text with an unknown placeholder is refused, and the administration
previews a text with its SMS count."""

import pytest

from notifications import texts
from notifications.models import KindSetting


@pytest.mark.parametrize("kind_audience", list(texts.DEFAULTS))
def test_every_default_text_fits_one_sms(kind_audience, settings):
    values = texts.SAMPLE | {"cara": texts.cash_instructions()}
    length, parts, gsm = texts.sms_length(texts.render(texts.DEFAULTS[kind_audience], values))
    assert gsm and parts == 1, length


def test_the_count_knows_gsm7_extension_characters_and_unicode():
    assert texts.sms_length("a" * 160) == (160, 1, True)
    assert texts.sms_length("[" * 81) == (162, 2, True)
    assert texts.sms_length("é" * 10) == (10, 1, True)
    assert texts.sms_length("ā" * 71) == (71, 2, False)


def test_a_sixteen_digit_number_in_a_reason_is_masked():
    text = texts.render("Alasan: {alasan}", {"alasan": "NIK 3325011203500001 salah"})
    assert text == "Alasan: NIK **** salah"


def test_an_unknown_placeholder_is_refused_with_a_plain_message():
    assert "nama_almarhum" in texts.template_problem("Untuk {nama_almarhum}")
    assert texts.template_problem("Klaim {nomor") is not None
    assert texts.template_problem("Klaim {nomor} {tautan}") is None


@pytest.mark.django_db
def test_the_administrator_switches_a_kind_and_sees_a_preview(client_for, administrator):
    client = client_for(administrator)
    page = client.post(
        "/admin/notifications/kindsetting/add/",
        {"kind": "paid", "enabled": "", "heir_text": "Dibayar {nomor} {nama}", "staff_text": ""},
    )
    assert "Tempat isian tidak dikenal: nama" in page.content.decode()

    client.post(
        "/admin/notifications/kindsetting/add/",
        {"kind": "paid", "enabled": "", "heir_text": "Dibayar {nomor}", "staff_text": ""},
    )
    setting = KindSetting.objects.get(kind="paid")
    assert setting.enabled is False
    change = client.get(f"/admin/notifications/kindsetting/{setting.pk}/change/").content.decode()
    assert "Dibayar SKM-2026-000123" in change and "karakter, 1 SMS" in change


@pytest.mark.django_db
def test_the_outbox_is_readable_but_not_editable_in_the_administration(
    client_for, administrator, operator_a
):
    from notifications.models import Message
    from tests.santunan.factories import submitted_claim

    message = Message.objects.get(claim=submitted_claim(operator_a))
    client = client_for(administrator)

    assert client.get("/admin/notifications/message/").status_code == 200
    assert client.get(f"/admin/notifications/message/{message.pk}/change/").status_code == 200
    assert client.get("/admin/notifications/message/add/").status_code == 403
    assert client.get("/admin/notifications/recipientchannel/").status_code == 200
    assert client.get("/admin/villages/userpreference/").status_code == 200
