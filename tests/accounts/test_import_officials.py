"""Onboarding officials from one sheet: accounts, roles and desa created all or nothing,
every bad line named, a rerun that changes nothing, and a one-time activation per new
account (printed slips, a message through the outbox, the activation page)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfReader

from accounts.activation import activate_account, digest, render_slips
from accounts.models import ActivationCode
from accounts.officials import OfficialsError, import_officials
from accounts.services import AccountError
from notifications.models import Kind, Message
from tests.conftest import WILAYAH_CSV
from villages.models import OperatorAssignment, UserPreference
from villages.roles import Role

HEADER = ["username", "nama", "peran", "desa", "no_hp"]
NEW_PASSWORD = "Sandi-baru-desa-2026"


def batang_desa() -> list[dict]:
    with WILAYAH_CSV.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["level"] in ("desa", "kelurahan")]


def operator_rows() -> list[list[str]]:
    """One operator per desa of Batang: the code as desa, a phone for every tenth."""
    return [
        [
            f"op{row['code'].replace('.', '')}",
            f"Operator {row['name']}",
            "Operator desa",
            row["code"],
            f"0812{index:08d}" if index % 10 == 0 else "",
        ]
        for index, row in enumerate(batang_desa())
    ]


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode()


def as_xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def everything() -> tuple:
    """What an import could change, to compare before and after."""
    return (
        sorted(User.objects.values_list("username", "first_name", "last_name", "password")),
        sorted(User.groups.through.objects.values_list("user_id", "group_id")),
        sorted(OperatorAssignment.objects.values_list("user_id", "desa_id")),
        sorted(UserPreference.objects.values_list("user_id", "phone")),
        ActivationCode.objects.count(),
        Message.objects.count(),
    )


def test_a_sheet_of_one_operator_per_desa_of_batang_makes_their_accounts(wilayah):
    rows = operator_rows()
    assert len(rows) == 248

    result = import_officials(data=as_csv(rows))

    assert (result.created, result.updated, result.unchanged) == (248, 0, 0)
    operators = User.objects.filter(groups__name=Role.OPERATOR_DESA)
    assert operators.count() == 248
    assignments = dict(OperatorAssignment.objects.values_list("user__username", "desa_id"))
    assert assignments == {row[0]: row[3] for row in rows}
    assert User.objects.get(username=rows[0][0]).first_name == rows[0][1]
    assert not any(user.has_usable_password() for user in operators)
    assert UserPreference.objects.get(user__username=rows[10][0]).phone == "+6281200000010"
    assert len(result.codes) == ActivationCode.objects.count() == 248


def test_a_second_import_of_the_same_sheet_changes_nothing(wilayah):
    data = as_csv(operator_rows())
    import_officials(data=data)
    before = everything()

    result = import_officials(data=data)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 248)
    assert result.summary().startswith("0 dibuat, 0 diubah")
    assert result.codes == []
    assert everything() == before


def test_a_sheet_with_bad_lines_changes_nothing_and_names_each_line(wilayah):
    rows = operator_rows()[:5]
    rows[1][3] = "Desa Entah"  # line 3: unknown desa
    rows[3][0] = rows[0][0]  # line 5: a username already on line 2
    rows[4][4] = "021-555-1234"  # line 6: a landline
    before = everything()

    with pytest.raises(OfficialsError) as refused:
        import_officials(data=as_csv(rows))

    problems = refused.value.problems
    assert [p.split(":")[0] for p in problems] == ["Baris 3", "Baris 5", "Baris 6"]
    assert "Desa Entah" in problems[0]
    assert "baris 2" in problems[1]
    assert "021-555-1234" in problems[2]
    assert everything() == before


def test_a_desa_name_found_in_two_kecamatan_is_refused_with_its_codes(wilayah):
    with pytest.raises(OfficialsError) as refused:
        import_officials(data=as_csv([["op.kalisari", "Budi", "operator_desa", "Kalisari", ""]]))

    assert refused.value.problems[0].startswith("Baris 2: nama desa 'Kalisari'")
    assert "33.25." in refused.value.problems[0]


def test_a_desa_may_be_named_by_its_exact_name_and_roles_by_their_code(wilayah):
    import_officials(
        data=as_csv(
            [
                ["op.silurah", "Siti", "operator_desa", "Silurah", ""],
                ["verif.baru", "Dewi", "Verifikator Dinas Sosial", "", ""],
            ]
        )
    )

    assert OperatorAssignment.objects.get(user__username="op.silurah").desa_id == "33.25.01.2001"
    assert list(User.objects.get(username="verif.baru").groups.values_list("name", flat=True)) == [
        Role.VERIFIKATOR
    ]


def test_a_changed_line_updates_the_account(wilayah):
    import_officials(data=as_csv([["op.silurah", "Siti", "Operator desa", "Silurah", ""]]))

    result = import_officials(
        data=as_csv(
            [["op.silurah", "Siti Aminah", "Operator desa", "33.25.01.2002", "0813 1111 2222"]]
        )
    )

    assert (result.created, result.updated) == (0, 1)
    user = User.objects.get(username="op.silurah")
    assert user.first_name == "Siti Aminah"
    assert user.operator_assignment.desa_id == "33.25.01.2002"
    assert user.preference.phone == "+6281311112222"
    assert ActivationCode.objects.filter(user=user).count() == 1  # not a new account


def test_an_xlsx_sheet_works_with_phones_excel_made_numbers(wilayah):
    data = as_xlsx([["op.silurah", "Siti", "Operator desa", "33.25.01.2001", 81234567890]])

    result = import_officials(data=data)

    assert result.created == 1
    assert UserPreference.objects.get(user__username="op.silurah").phone == "+6281234567890"


def test_the_command_reports_and_writes_one_slip_pdf_per_kecamatan(wilayah, tmp_path):
    sheet = tmp_path / "petugas.csv"
    rows = operator_rows()
    sheet.write_bytes(as_csv(rows))
    out = io.StringIO()

    call_command("import_officials", str(sheet), "--slips", str(tmp_path / "slip"), stdout=out)

    assert "248 dibuat, 0 diubah" in out.getvalue()
    pdfs = sorted((tmp_path / "slip").glob("*.pdf"))
    assert len(pdfs) == 15
    text = "".join(
        page.extract_text() for page in PdfReader(tmp_path / "slip" / "slip-33.25.01.pdf").pages
    )
    wonotunggal = [row[0] for row in rows if row[3].startswith("33.25.01.")]
    assert all(username in text for username in wonotunggal)

    again = io.StringIO()
    call_command("import_officials", str(sheet), "--no-slips", stdout=again)
    assert "0 dibuat, 0 diubah" in again.getvalue()


def test_the_command_refuses_a_bad_sheet_naming_the_line(wilayah, tmp_path):
    sheet = tmp_path / "petugas.csv"
    sheet.write_bytes(as_csv([["op.x", "X", "Kepala desa", "33.25.01.2001", ""]]))

    with pytest.raises(CommandError, match="Baris 2: peran 'Kepala desa' tidak dikenal"):
        call_command("import_officials", str(sheet), "--no-slips")

    assert not User.objects.filter(username="op.x").exists()


def test_a_slip_shows_the_name_username_and_the_code(wilayah):
    result = import_officials(
        data=as_csv([["op.silurah", "Siti Aminah", "Operator desa", "Silurah", ""]])
    )

    ((_key, (heading, pdf)),) = render_slips(result.codes).items()

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = page.extract_text()
    assert len(page.images) == 1  # the QR code of the activation link
    assert heading == "Kecamatan Wonotunggal"
    assert "Siti Aminah" in text and "op.silurah" in text
    code = result.codes[0].code
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in text
    # Only a digest is kept: the code itself is nowhere in the database.
    assert not ActivationCode.objects.filter(digest__contains=code).exists()
    assert ActivationCode.objects.get().digest == digest(code)


def test_the_activation_link_goes_through_the_outbox_once(wilayah):
    data = as_csv([["op.silurah", "Siti", "Operator desa", "Silurah", "0812 3456 7890"]])

    first = import_officials(data=data, send_messages=True)
    again = import_officials(data=data, send_messages=True)

    assert (first.messages_queued, again.messages_queued) == (1, 0)
    message = Message.objects.get(kind=Kind.ACTIVATION)
    assert message.phone == "+6281234567890"
    assert "op.silurah" in message.text and "/akun/aktivasi/k/" in message.text


def test_activation_sets_the_password_once_and_refuses_the_code_again(wilayah, client):
    result = import_officials(data=as_csv([["op.silurah", "Siti", "Operator desa", "Silurah", ""]]))
    code = result.codes[0].code
    form = {
        "username": "op.silurah",
        "code": code,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }

    response = client.post(reverse("accounts:activate"), form)

    assert response.status_code == 302
    user = User.objects.get(username="op.silurah")
    assert user.check_password(NEW_PASSWORD)
    used = ActivationCode.objects.get(user=user)
    assert used.used_at is not None and used.used_ip == "127.0.0.1"

    client.logout()
    refused = client.post(
        reverse("accounts:activate"),
        form | {"password1": "Lain-sekali-2026", "password2": "Lain-sekali-2026"},
    )
    assert refused.status_code == 200
    assert "sudah dipakai" in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_activation_refuses_an_expired_code_a_weak_password_and_another_username(wilayah):
    result = import_officials(
        data=as_csv(
            [
                ["op.silurah", "Siti", "Operator desa", "Silurah", ""],
                ["op.sodong", "Bambang", "Operator desa", "33.25.01.2002", ""],
            ]
        )
    )
    silurah, sodong = (item.code for item in result.codes)

    with pytest.raises(AccountError):
        activate_account(
            username="op.sodong", code=silurah, password1=NEW_PASSWORD, password2=NEW_PASSWORD
        )
    with pytest.raises(AccountError):
        activate_account(username="op.silurah", code=silurah, password1="12345", password2="12345")
    ActivationCode.objects.filter(user__username="op.sodong").update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(AccountError):
        activate_account(
            username="op.sodong", code=sodong, password1=NEW_PASSWORD, password2=NEW_PASSWORD
        )
    assert not User.objects.get(username="op.silurah").has_usable_password()


def test_the_link_keeps_the_code_out_of_the_address_shown(wilayah, client):
    result = import_officials(data=as_csv([["op.silurah", "Siti", "Operator desa", "Silurah", ""]]))
    code = result.codes[0].code

    response = client.get(reverse("accounts:activate_link", kwargs={"code": code}), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:activate")
    assert f'value="{code}"' in response.content.decode()


def test_a_role_that_needs_a_second_factor_is_sent_to_enrol_after_activation(wilayah, client):
    result = import_officials(data=as_csv([["kabid.baru", "Hartono", "Pejabat penyetuju", "", ""]]))
    form = {
        "username": "kabid.baru",
        "code": result.codes[0].code,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }

    client.post(reverse("accounts:activate"), form)
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:enrol"))
    assert Group.objects.get(name=Role.APPROVER).user_set.filter(username="kabid.baru").exists()


def upload(client, data: bytes, name: str = "petugas.csv", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("admin:accounts_import_officials"),
        {"sheet": SimpleUploadedFile(name, data), **extra},
    )


def test_the_administrator_imports_a_sheet_and_downloads_the_slips(
    client_for, administrator, wilayah
):
    import zipfile

    client = client_for(administrator)
    rows = [
        ["op.silurah", "Siti", "Operator desa", "Silurah", ""],
        ["op.kel", "Bambang", "Operator desa", "33.25.11.1013", ""],
    ]

    page = upload(client, as_xlsx(rows), "petugas.xlsx").content.decode()

    assert "2 dibuat, 0 diubah, 0 tetap." in page
    ids = list(
        User.objects.filter(username__in=["op.silurah", "op.kel"]).values_list("pk", flat=True)
    )
    assert ActivationCode.objects.count() == 0  # codes are made when the slips are printed
    slips = client.post(reverse("admin:accounts_print_slips"), {"user": ids})
    assert slips["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(slips.content))
    assert sorted(archive.namelist()) == [
        "slip-aktivasi-33.25.01.pdf",
        "slip-aktivasi-33.25.11.pdf",
    ]
    text = PdfReader(io.BytesIO(archive.read("slip-aktivasi-33.25.11.pdf"))).pages[0].extract_text()
    assert "op.kel" in text
    assert ActivationCode.objects.count() == 2

    assert (
        "0 dibuat, 0 diubah, 2 tetap."
        in upload(client, as_xlsx(rows), "petugas.xlsx").content.decode()
    )


def test_the_administrator_sees_every_bad_line_and_nothing_changes(
    client_for, administrator, wilayah
):
    rows = [
        ["op.a", "A", "Operator desa", "Entah", ""],
        ["op.b", "", "Operator desa", "Silurah", ""],
    ]

    page = upload(client_for(administrator), as_csv(rows)).content.decode()

    assert "Baris 2:" in page and "Baris 3: nama kosong" in page
    assert not User.objects.filter(username__in=["op.a", "op.b"]).exists()


def test_the_import_page_is_refused_to_a_verifier(client_for, verifikator):
    response = client_for(verifikator).get(reverse("admin:accounts_import_officials"))

    assert response.status_code in (302, 403)


def test_the_activation_record_shows_who_and_when_never_the_code(
    client_for, administrator, wilayah
):
    result = import_officials(
        data=as_csv([["op.silurah", "Siti", "Operator desa", "Silurah", ""]]), actor=administrator
    )
    code = result.codes[0].code
    activate_account(
        username="op.silurah",
        code=code,
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
        ip="10.0.0.7",
    )

    listing = client_for(administrator).get(reverse("admin:accounts_activationcode_changelist"))

    text = listing.content.decode()
    assert "op.silurah" in text and "10.0.0.7" in text and "adm" in text
    assert code not in text and digest(code) not in text


def test_the_users_list_prints_slips_only_for_accounts_not_yet_activated(
    client_for, administrator, wilayah
):
    import_officials(
        data=as_csv(
            [
                ["op.silurah", "Siti", "Operator desa", "Silurah", ""],
                ["op.sodong", "Bambang", "Operator desa", "33.25.01.2002", ""],
            ]
        )
    )
    User.objects.filter(username="op.sodong").update(password="pbkdf2_sha256$1$x$y")  # activated
    chosen = User.objects.filter(username__in=["op.silurah", "op.sodong"])

    response = client_for(administrator).post(
        reverse("admin:auth_user_changelist"),
        {"action": "print_slips", "_selected_action": [u.pk for u in chosen]},
    )

    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "op.silurah" in text and "op.sodong" not in text
