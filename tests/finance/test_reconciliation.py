"""Bank transfer file out, bank result file in."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from santunan.finance.bankfile import BankFileError, example_result_csv, parse_result
from santunan.finance.services import (
    close_batch,
    create_batch,
    disburse_batch,
    reconcile_bank_result,
    reopen_payment,
    set_budget,
    sign_batch,
)
from santunan.models import BatchItem, Claim, Payment, Status
from santunan.services import ClaimError, return_claim
from tests.finance.conftest import csv_upload
from villages.roles import Role

HEADER = "Referensi,No Rekening,Nominal,Status,Tanggal,No Referensi Bank,Keterangan\r\n"


@pytest.fixture
def batch(approve_transfer, bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    claims = [approve_transfer(1), approve_transfer(2, bank_account="9876543210")]
    batch = create_batch(user=bendahara, claim_ids=[c.pk for c in claims])
    sign_batch(
        user=bendahara,
        batch_id=batch.pk,
        signer_name="Drs. Bambang Wijaya",
        signer_nip="197501012000031001",
    )
    return disburse_batch(user=bendahara, batch_id=batch.pk)


def claims_of(batch):
    return [item.claim for item in batch.items.order_by("position").select_related("claim")]


def result_file(*rows, control: list[str] | None = None) -> str:
    """A result file in the default layout ending with its control row: TOTAL, then
    the number of rows (in the account column, the reference being first) and the
    total; `control` replaces that row, an empty list leaves it out."""
    if control is None:
        total = sum(int(row[2]) for row in rows)
        control = ["TOTAL", str(len(rows)), str(total), "", "", "", ""]
    lines = [*rows, control] if control else rows
    return HEADER + "".join(",".join(line) + "\r\n" for line in lines)


def nothing_changed(batch, events_before: int) -> bool:
    """No payment, no upload, no claim event, every claim still waiting in the batch."""
    return (
        statuses(batch) == [Status.SCHEDULED, Status.SCHEDULED]
        and not Payment.objects.exists()
        and not batch.bank_results.exists()
        and set(batch.items.values_list("outcome", flat=True)) == {BatchItem.Outcome.PENDING}
        and events_of(batch) == events_before
    )


def events_of(batch) -> int:
    return sum(c.events.count() for c in claims_of(batch))


def statuses(batch):
    return [Claim.objects.get(pk=c.pk).status for c in claims_of(batch)]


def test_the_transfer_file_follows_the_configured_layout_with_a_control_total(
    batch, client_for, bendahara, settings
):
    settings.BANK_TRANSFER_COLUMNS = ["reference=REF", "account=REKENING", "amount=JUMLAH"]
    settings.BANK_CSV_DELIMITER = ";"

    response = client_for(bendahara).get(reverse("finance:transfer_file", args=[batch.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    one, two = claims_of(batch)
    # The reference is the first column here, where the label goes: the count moves
    # to the next free column.
    assert rows == [
        ["REF", "REKENING", "JUMLAH"],
        [one.number, "1234567890", "1000000"],
        [two.number, "9876543210", "1000000"],
        ["TOTAL", "2", "2000000"],
    ]


def test_the_default_transfer_file_carries_the_count_in_the_reference_column(
    batch, client_for, bendahara
):
    response = client_for(bendahara).get(reverse("finance:transfer_file", args=[batch.pk]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["No Rekening", "Nama Penerima", "Nominal", "Referensi", "Bank"]
    assert rows[-1] == ["TOTAL", "", "2000000", "2", ""]


def test_downloading_the_transfer_file_is_logged_for_each_claim(batch, client_for, bendahara):
    from santunan.models import AccessLog

    client_for(bendahara).get(reverse("finance:transfer_file", args=[batch.pk]))

    logged = AccessLog.objects.filter(user=bendahara, what="bank_transfer_file")
    assert sorted(logged.values_list("claim_id", flat=True)) == sorted(
        c.pk for c in claims_of(batch)
    )


def test_success_pays_and_failure_waits_for_the_treasurers_decision(batch, bendahara):
    one, two = claims_of(batch)
    data = result_file(
        [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "TRX-001", ""],
        [two.number, "9876543210", "1000000", "GAGAL", "2026-11-27", "TRX-002", "Rekening tutup"],
    )

    outcome = reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))

    assert (outcome.upload.paid, outcome.upload.failed, outcome.upload.problems) == (1, 1, [])
    one, two = (Claim.objects.get(pk=c.pk) for c in (one, two))
    assert one.status == Status.PAID
    payment = Payment.objects.get(claim=one, result="success")
    assert (str(payment.paid_on), payment.bank_reference) == ("2026-11-27", "TRX-001")
    assert two.status == Status.PAYMENT_FAILED
    assert two.last_reason == "Rekening tutup"
    assert two.events.get(action="mark_payment_failed").reason == "Rekening tutup"
    # Released from the batch, which can now close.
    assert close_batch(user=bendahara, batch_id=batch.pk).status == "closed"


def test_a_failed_transfer_scheduled_again_goes_into_a_later_batch(batch, bendahara):
    one, two = claims_of(batch)
    reconcile_bank_result(
        user=bendahara,
        batch_id=batch.pk,
        upload=csv_upload(result_file(
            [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "TRX-001", ""],
            [two.number, "9876543210", "1000000", "GAGAL", "2026-11-27", "TRX-002", "Bank gangguan"],
        )),
    )

    reopened = reopen_payment(user=bendahara, claim_id=two.pk)
    again = create_batch(user=bendahara, claim_ids=[two.pk])

    assert reopened.status == Status.APPROVED
    assert list(two.events.values_list("action", flat=True))[-2:] == [
        "reopen_for_payment", "schedule"
    ]
    assert again.items.get().claim == two


def test_a_failed_transfer_is_returned_to_the_village_to_correct_the_account(
    batch, bendahara, verifikator
):
    one, two = claims_of(batch)
    reconcile_bank_result(
        user=bendahara,
        batch_id=batch.pk,
        upload=csv_upload(result_file(
            [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "TRX-001", ""],
            [two.number, "9876543210", "1000000", "GAGAL", "2026-11-27", "TRX-002", "Rekening tutup"],
        )),
    )

    returned = return_claim(
        user=verifikator, claim_id=two.pk, reason="Rekening tutup, isi rekening yang aktif."
    )

    assert returned.status == Status.RETURNED
    assert returned.is_editable


def test_only_a_failed_transfer_can_be_scheduled_again(batch, bendahara):
    one, _two = claims_of(batch)

    with pytest.raises(ClaimError):
        reopen_payment(user=bendahara, claim_id=one.pk)


def test_the_home_page_lists_failed_transfers_with_the_banks_reason(
    batch, bendahara, client_for
):
    one, two = claims_of(batch)
    reconcile_bank_result(
        user=bendahara,
        batch_id=batch.pk,
        upload=csv_upload(result_file(
            [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "TRX-001", ""],
            [two.number, "9876543210", "1000000", "GAGAL", "2026-11-27", "TRX-002", "Rekening tutup"],
        )),
    )
    client = client_for(bendahara)

    page = client.get("/keuangan/").content.decode()
    response = client.post(f"/keuangan/gagal/{two.pk}/jadwalkan-ulang/", follow=True)

    assert "Transfer gagal, menunggu keputusan" in page and "Rekening tutup" in page
    assert "kembali ke daftar klaim disetujui" in response.content.decode()
    assert Claim.objects.get(pk=two.pk).status == Status.APPROVED


def test_the_batch_page_shows_what_happened_to_each_payment(
    batch, client_for, bendahara, approve_transfer
):
    one, two = claims_of(batch)
    data = result_file(
        [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "TRX-001", ""],
        [two.number, "9876543210", "1000000", "GAGAL", "", "", "Rekening tutup"],
    )
    reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))
    reopen_payment(user=bendahara, claim_id=two.pk)
    later = create_batch(user=bendahara, claim_ids=[two.pk])
    client = client_for(bendahara)

    page = client.get(reverse("finance:batch", args=[batch.pk])).content.decode()
    later_page = client.get(reverse("finance:batch", args=[later.pk])).content.decode()

    paid, failed = (page.split(f'data-claim="{c.number}"')[1].split("</tr>")[0] for c in (one, two))
    assert '<span class="badge badge-paid">Dibayar</span>' in paid
    assert "27 Nov 2026 · TRX-001" in paid
    # Failed here although the claim itself is approved again and waits in a later batch.
    assert '<span class="badge badge-payment_failed">Gagal, dikembalikan</span>' in failed
    assert "Rekening tutup" in failed and "Disetujui" not in failed
    waiting = later_page.split(f'data-claim="{two.number}"')[1].split("</tr>")[0]
    assert '<span class="badge badge-scheduled">Menunggu pembayaran</span>' in waiting


def test_uploading_the_same_file_again_changes_nothing(batch, bendahara):
    one, _two = claims_of(batch)
    data = result_file([one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "T1", ""])
    first = reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))
    events = Claim.objects.get(pk=one.pk).events.count()

    again = reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))

    assert again.duplicate and again.upload == first.upload
    assert Payment.objects.filter(claim=one).count() == 1
    assert Claim.objects.get(pk=one.pk).events.count() == events
    # The same rows in a different file are recognised per row.
    renamed = data + "\r\n"
    third = reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(renamed))
    assert third.upload.paid == 0
    assert "Sudah tercatat dibayar" in third.upload.problems[0]["problem"]
    assert Payment.objects.filter(claim=one).count() == 1


def test_a_row_with_another_amount_or_account_or_an_unknown_reference_is_reported_not_paid(
    batch, bendahara
):
    one, two = claims_of(batch)
    data = result_file(
        [one.number, "1234567890", "1500000", "BERHASIL", "2026-11-27", "T1", ""],
        [two.number, "1111111111", "1000000", "BERHASIL", "2026-11-27", "T2", ""],
        ["SKM-2026-999999", "1234567890", "1000000", "BERHASIL", "2026-11-27", "T3", ""],
    )

    outcome = reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))

    problems = [p["problem"] for p in outcome.upload.problems]
    assert outcome.upload.paid == 0
    assert "Nominal Rp1.500.000 berbeda" in problems[0]
    assert "rekening berbeda" in problems[1]
    assert "tidak dikenal" in problems[2]
    assert statuses(batch) == [Status.SCHEDULED, Status.SCHEDULED]
    assert Claim.objects.get(pk=two.pk).bank_account == "9876543210"  # finance changed nothing


def test_a_file_cut_in_the_middle_changes_nothing(batch, bendahara):
    one, two = claims_of(batch)
    whole = result_file(
        [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "T1", ""],
        [two.number, "9876543210", "1000000", "BERHASIL", "2026-11-27", "T2", ""],
    )
    cut = whole[: whole.index(two.number) + len(two.number) + 8]

    with pytest.raises(BankFileError, match="terpotong"):
        reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(cut))

    assert statuses(batch) == [Status.SCHEDULED, Status.SCHEDULED]
    assert not Payment.objects.exists()
    assert not batch.bank_results.exists()


def test_a_control_total_that_does_not_add_up_refuses_the_file(batch, bendahara):
    one, _two = claims_of(batch)
    data = result_file(
        [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "T1", ""],
        control=["TOTAL", "1", "2000000", "", "", "", ""],
    )

    with pytest.raises(BankFileError, match="tidak utuh"):
        reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))
    assert not Payment.objects.exists()


def test_a_control_count_that_does_not_match_the_rows_refuses_the_file(batch, bendahara):
    one, _two = claims_of(batch)
    events = events_of(batch)
    data = result_file(
        [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "T1", ""],
        control=["TOTAL", "2", "1000000", "", "", "", ""],
    )

    with pytest.raises(BankFileError, match="menyebut 2 baris, berkas berisi 1"):
        reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))
    assert nothing_changed(batch, events)


def test_a_file_without_its_control_row_is_refused_and_changes_nothing(batch, bendahara):
    # Cut off exactly at a line break, the file still reads as whole rows: only the
    # missing control row tells.
    one, two = claims_of(batch)
    events = events_of(batch)
    data = result_file(
        [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "T1", ""],
        [two.number, "9876543210", "1000000", "BERHASIL", "2026-11-27", "T2", ""],
        control=[],
    )

    with pytest.raises(BankFileError, match='Baris kontrol "TOTAL".*tidak ada'):
        reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))
    assert nothing_changed(batch, events)


@pytest.mark.parametrize(
    ("date", "reference", "refusal"),
    [
        ("", "T1", "tanpa tanggal bank"),
        ("2026-11-27", "", "tanpa nomor referensi bank"),
    ],
)
def test_a_success_without_the_bank_date_or_reference_refuses_the_file(
    batch, bendahara, date, reference, refusal
):
    one, two = claims_of(batch)
    events = events_of(batch)
    data = result_file(
        [two.number, "9876543210", "1000000", "BERHASIL", "2026-11-27", "T2", ""],
        [one.number, "1234567890", "1000000", "BERHASIL", date, reference, ""],
    )

    with pytest.raises(BankFileError, match=f"Baris 3: transfer berhasil {refusal}"):
        reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))
    assert nothing_changed(batch, events)


def test_a_failure_needs_neither_the_bank_date_nor_its_reference(batch, bendahara):
    one, _two = claims_of(batch)
    data = result_file([one.number, "1234567890", "1000000", "GAGAL", "", "", "Rekening tutup"])

    outcome = reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))

    assert (outcome.upload.paid, outcome.upload.failed) == (0, 1)
    assert Claim.objects.get(pk=one.pk).status == Status.PAYMENT_FAILED


def test_the_example_shown_on_the_page_is_a_file_the_parser_accepts(settings):
    settings.BANK_RESULT_COLUMNS = [
        "status=STATUS",
        "reference=REF",
        "amount=JUMLAH",
        "date=TGL",
        "bank_reference=NOREF",
    ]
    settings.BANK_CSV_DELIMITER = ";"

    example = example_result_csv()
    rows = parse_result(example.encode())

    assert example.splitlines()[0] == "STATUS;REF;JUMLAH;TGL;NOREF"
    assert [row.success for row in rows] == [True, False]
    assert example.splitlines()[-1] == "TOTAL;2;2000000;;"


def test_the_batch_page_names_the_expected_columns_and_shows_an_example(
    batch, client_for, bendahara
):
    page = client_for(bendahara).get(reverse("finance:batch", args=[batch.pk])).content.decode()

    for header in ("Referensi", "Nominal", "Status", "Tanggal", "No Referensi Bank"):
        assert f'<td class="mono">{header} <span class="req">*</span>' in page
    assert "BERHASIL, SUKSES" in page and "GAGAL, FAILED" in page
    assert (
        "Kolom yang diharapkan: Referensi, No Rekening, Nominal, Status, Tanggal, "
        "No Referensi Bank, Keterangan; baris terakhir adalah baris kontrol TOTAL." in page
    )
    assert "Referensi,No Rekening,Nominal,Status,Tanggal,No Referensi Bank,Keterangan" in page
    assert "TOTAL,2,2000000,,,," in page


def test_a_refused_file_uploaded_through_the_page_shows_why_and_changes_nothing(
    batch, client_for, bendahara
):
    one, _two = claims_of(batch)
    events = events_of(batch)
    data = result_file([one.number, "1234567890", "1000000", "BERHASIL", "", "", ""], control=[])

    response = client_for(bendahara).post(
        reverse("finance:bank_result", args=[batch.pk]),
        {"result_file": csv_upload(data)},
        follow=True,
    )

    assert "transfer berhasil tanpa tanggal bank" in response.content.decode()
    assert nothing_changed(batch, events)


def test_an_error_halfway_rolls_the_whole_file_back(batch, bendahara, monkeypatch):
    from santunan.finance import services

    one, two = claims_of(batch)
    data = result_file(
        [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "T1", ""],
        [two.number, "9876543210", "1000000", "BERHASIL", "2026-11-27", "T2", ""],
    )
    real, calls = services._bank_success, []

    def fail_on_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk penuh")
        return real(**kwargs)

    monkeypatch.setattr(services, "_bank_success", fail_on_second)
    with pytest.raises(RuntimeError):
        reconcile_bank_result(user=bendahara, batch_id=batch.pk, upload=csv_upload(data))

    assert statuses(batch) == [Status.SCHEDULED, Status.SCHEDULED]
    assert not Payment.objects.exists()
    assert BatchItem.objects.filter(outcome="paid").count() == 0


def test_the_approver_of_a_claim_cannot_record_its_payment(
    batch, bendahara, approver, operator_a, verifikator
):
    # Someone who holds both roles approved claim one and now uploads the bank result.
    approver.groups.add(Group.objects.get(name=Role.BENDAHARA))
    approver = User.objects.get(pk=approver.pk)  # roles are cached per user object
    one, two = claims_of(batch)
    data = result_file(
        [one.number, "1234567890", "1000000", "BERHASIL", "2026-11-27", "T1", ""],
    )

    outcome = reconcile_bank_result(user=approver, batch_id=batch.pk, upload=csv_upload(data))

    assert outcome.upload.paid == 0
    assert "tidak berwenang" in outcome.upload.problems[0]["problem"]
    assert Claim.objects.get(pk=one.pk).status == Status.SCHEDULED
