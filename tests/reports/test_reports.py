"""Reports: the recap adds up and agrees with the payments recorded, in XLSX and PDF."""

import io

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.models import ReportRun
from reports.recap import Period
from reports.services import ReportError, request_report
from santunan.finance.letters import rupiah
from santunan.models import Claim, Payment, PayoutBatch


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def build(user, capture, **request) -> ReportRun:
    with capture(execute=True):
        run = request_report(user=user, **request)
    run.refresh_from_db()
    assert run.state == ReportRun.State.DONE, run.error
    return run


def years() -> list[int]:
    return sorted(
        {
            timezone.localtime(moment).year
            for moment in Claim.objects.exclude(number=None).values_list(
                "first_submitted_at", flat=True
            )
        }
    )


def paid_in(year: int) -> int:
    return (
        Payment.objects.filter(
            result=Payment.Result.SUCCESS, claim__first_submitted_at__year=year
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )


def test_the_recap_xlsx_totals_equal_the_sum_of_rows_and_the_payments(
    approver, generated, django_capture_on_commit_callbacks
):
    grand_paid = 0
    for year in years():
        run = build(
            approver,
            django_capture_on_commit_callbacks,
            kind="recap",
            file_format="xlsx",
            year=year,
        )
        with run.file.open("rb") as handle:
            sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(min_row=5, values_only=True)]
        body, total = rows[:-1], rows[-1]
        assert total[0] == "JUMLAH"
        for column in range(2, 7):
            assert total[column] == sum(row[column] for row in body)
        assert (
            total[2]
            == Claim.objects.exclude(number=None).filter(first_submitted_at__year=year).count()
        )
        assert total[6] == paid_in(year)
        grand_paid += total[6]
    assert grand_paid == Payment.objects.filter(result="success").aggregate(t=Sum("amount"))["t"]
    assert grand_paid > 0


def test_the_recap_pdf_reads_back_with_the_same_totals(
    approver, generated, django_capture_on_commit_callbacks
):
    year = max(years(), key=paid_in)
    run = build(
        approver, django_capture_on_commit_callbacks, kind="recap", file_format="pdf", year=year
    )
    with run.file.open("rb") as handle:
        reader = PdfReader(handle)
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "REKAPITULASI SANTUNAN KEMATIAN" in text
    received = Claim.objects.exclude(number=None).filter(first_submitted_at__year=year).count()
    assert f"JUMLAH {received} " in text
    assert rupiah(paid_in(year)) in text


def test_the_payment_report_of_a_batch_lists_each_kuitansi_number(
    bendahara, generated, django_capture_on_commit_callbacks
):
    batch = PayoutBatch.objects.filter(items__payments__result="success").first()
    run = build(
        bendahara,
        django_capture_on_commit_callbacks,
        kind="payments",
        file_format="xlsx",
        batch_id=batch.pk,
    )
    with run.file.open("rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).worksheets[0].values)[4:]
    numbers = [row[0] for row in rows[:-1]]
    assert numbers and all(number.startswith(batch.number + "/") for number in numbers)
    paid = Payment.objects.filter(item__batch=batch, result="success")
    assert rows[-1][3] == paid.aggregate(t=Sum("amount"))["t"]


def test_the_promise_report_and_the_page_work_for_every_format(
    client_for, verifikator, generated, django_capture_on_commit_callbacks
):
    client = client_for(verifikator)
    year = years()[-1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:reports"), {"kind": "promise", "file_format": "pdf", "year": year}
        )
    assert response.status_code == 302
    run = ReportRun.objects.get(requested_by=verifikator)
    page = client.get(reverse("reports:reports")).content.decode()
    assert reverse("reports:download", args=[run.pk]) in page
    download = client.get(reverse("reports:download", args=[run.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_someone_else_cannot_download_my_report(
    client_for, verifikator, approver, generated, django_capture_on_commit_callbacks
):
    run = build(
        verifikator,
        django_capture_on_commit_callbacks,
        kind="promise",
        file_format="xlsx",
        year=years()[-1],
    )
    response = client_for(approver).get(reverse("reports:download", args=[run.pk]))
    assert response.status_code == 404


def test_a_recap_without_a_year_is_refused_with_a_message(approver, db):
    with pytest.raises(ReportError, match="tahun"):
        request_report(user=approver, kind="recap", file_format="xlsx")
    assert not ReportRun.objects.exists()


def test_the_recap_counts_period_by_month(approver, generated):
    from reports.recap import recap

    year = years()[-1]
    whole = recap(Period(year)).total().received
    assert whole == sum(recap(Period(year, m)).total().received for m in range(1, 13))


def pdf_text(run: ReportRun) -> str:
    with run.file.open("rb") as handle:
        reader = PdfReader(handle)
        return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def sheet_rows(run: ReportRun) -> list[list]:
    with run.file.open("rb") as handle:
        return [list(r) for r in load_workbook(io.BytesIO(handle.read())).worksheets[0].values]


@pytest.mark.parametrize(
    ("request_", "name"),
    [
        (
            {"kind": "recap", "file_format": "xlsx", "month": 3},
            "rekap-santunan-kematian-{year}-03.xlsx",
        ),
        ({"kind": "promise", "file_format": "pdf"}, "kepatuhan-janji-layanan-{year}.pdf"),
        ({"kind": "payments", "file_format": "xlsx"}, "pertanggungjawaban-pembayaran-{year}.xlsx"),
    ],
    ids=["recap", "promise", "payments"],
)
def test_a_downloaded_report_has_an_indonesian_name(
    client_for, approver, generated, django_capture_on_commit_callbacks, request_, name
):
    year = years()[-1]
    run = build(approver, django_capture_on_commit_callbacks, year=year, **request_)

    response = client_for(approver).get(reverse("reports:download", args=[run.pk]))

    expected = name.format(year=year)
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


def test_a_batch_report_is_named_after_its_batch(
    client_for, bendahara, generated, django_capture_on_commit_callbacks
):
    batch = PayoutBatch.objects.filter(items__payments__result="success").first()
    run = build(
        bendahara,
        django_capture_on_commit_callbacks,
        kind="payments",
        file_format="pdf",
        batch_id=batch.pk,
    )

    response = client_for(bendahara).get(reverse("reports:download", args=[run.pk]))

    number = batch.number.replace("/", "-")
    assert (
        f'filename="pertanggungjawaban-pembayaran-batch-{number}.pdf"'
        in (response["Content-Disposition"])
    )


@pytest.fixture
def officials(db):
    """A head of office who left yesterday, the one in office since, and a treasurer."""
    from datetime import timedelta

    from office.models import Official

    today = timezone.localdate()
    Official.objects.create(
        position=Official.Position.HEAD,
        name="Drs. Lama Sekali",
        nip="196501011990031001",
        valid_from=today - timedelta(days=900),
        valid_to=today - timedelta(days=1),
    )
    Official.objects.create(
        position=Official.Position.HEAD,
        name="Sri Wahyuni, S.Sos.",
        nip="197202021998032002",
        title="Plt. Kepala Dinas Sosial",
        valid_from=today,
    )
    Official.objects.create(
        position=Official.Position.TREASURER,
        name="Rina Kartika",
        nip="198503032010012003",
        valid_from=today - timedelta(days=900),
    )


def test_a_report_pdf_is_signed_by_the_officials_of_its_date(
    approver, generated, officials, django_capture_on_commit_callbacks
):
    approver.first_name, approver.last_name = "Budi", "Santoso"
    approver.save()
    run = build(
        approver,
        django_capture_on_commit_callbacks,
        kind="recap",
        file_format="pdf",
        year=years()[-1],
    )

    text = pdf_text(run)

    assert "Mengetahui, Plt. Kepala Dinas Sosial Sri Wahyuni, S.Sos. NIP. 197202021998032002" in (
        text
    )
    assert "Lama Sekali" not in text
    assert "Yang membuat laporan, Budi Santoso" in text
    assert "Rina Kartika" not in text


def test_the_payments_report_is_signed_by_the_treasurer_of_its_date(
    bendahara, generated, officials, django_capture_on_commit_callbacks
):
    run = build(
        bendahara,
        django_capture_on_commit_callbacks,
        kind="payments",
        file_format="pdf",
        year=years()[-1],
    )

    text = pdf_text(run)

    assert "Mengetahui," in text and "Sri Wahyuni, S.Sos." in text
    assert "Bendahara Pengeluaran Rina Kartika NIP. 198503032010012003" in text


def test_a_report_without_officials_on_record_leaves_lines_to_sign_on(
    approver, generated, django_capture_on_commit_callbacks
):
    run = build(
        approver,
        django_capture_on_commit_callbacks,
        kind="promise",
        file_format="pdf",
        year=years()[-1],
    )

    assert "Mengetahui," in pdf_text(run)
    assert "NIP. ....." in pdf_text(run)


def test_the_promise_total_row_carries_the_share_of_all_decided_claims(
    approver, generated, django_capture_on_commit_callbacks
):
    from reports.recap import promise

    year = max(years(), key=lambda y: sum(r.kept + r.missed for r in promise(Period(y))))
    run = build(
        approver, django_capture_on_commit_callbacks, kind="promise", file_format="xlsx", year=year
    )

    total = sheet_rows(run)[-1]

    kept, missed = total[1], total[2]
    assert total[0] == "JUMLAH" and kept + missed > 0
    assert total[3] == round(100 * kept / (kept + missed))


@pytest.mark.parametrize(
    ("request_", "basis"),
    [
        ({"kind": "recap"}, "Dasar periode: tanggal klaim pertama diajukan."),
        ({"kind": "promise"}, "Dasar periode: tanggal klaim pertama diajukan, kapan pun"),
        ({"kind": "payments"}, "Dasar periode: tanggal bayar, kapan pun klaimnya diajukan."),
    ],
    ids=["recap", "promise", "payments"],
)
def test_every_report_says_which_date_puts_a_row_in_its_period(
    approver, generated, django_capture_on_commit_callbacks, request_, basis
):
    year = years()[-1]
    xlsx = build(
        approver, django_capture_on_commit_callbacks, file_format="xlsx", year=year, **request_
    )
    pdf = build(
        approver, django_capture_on_commit_callbacks, file_format="pdf", year=year, **request_
    )

    assert sheet_rows(xlsx)[2][0].startswith(basis)
    assert basis in pdf_text(pdf)
