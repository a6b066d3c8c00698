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
            rows = [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]
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
        rows = list(load_workbook(io.BytesIO(handle.read())).worksheets[0].values)[3:]
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
