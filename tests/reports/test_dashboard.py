"""The dashboard: every figure is the number of claims its archive link lists."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.dashboard import median_and_p90, percentile
from santunan.archive import search_claims
from santunan.calendar import WorkingDays
from santunan.models import Claim, Status
from santunan.views_archive import ArchiveFilterForm
from villages.models import Kecamatan

FIGURE = re.compile(r'<a href="(/arsip/[^"]*)" data-count="(\d+)"')


def figures(html: str) -> list[tuple[str, int]]:
    return [(unescape(url), int(count)) for url, count in FIGURE.findall(html)]


def archive_count(user, url: str) -> int:
    form = ArchiveFilterForm(dict(parse_qsl(urlsplit(url).query)))
    assert form.is_valid(), form.errors
    return search_claims(user, form.filters()).count()


def years() -> list[int]:
    return sorted(
        {
            timezone.localtime(c).year
            for c in Claim.objects.exclude(first_submitted_at=None).values_list(
                "first_submitted_at", flat=True
            )
        }
    )


def test_every_dashboard_figure_equals_the_archive_search_it_links_to(
    client_for, approver, generated
):
    assert set(Claim.objects.values_list("status", flat=True)) >= set(Status.values)
    client = client_for(approver)
    checked = 0
    for year in years():
        html = client.get(reverse("reports:dashboard"), {"year": year}).content.decode()
        shown = figures(html)
        assert len(shown) > 30
        for url, count in shown:
            assert archive_count(approver, url) == count, url
        checked += sum(count for _url, count in shown)
    assert checked > 0


def test_the_kecamatan_filter_narrows_every_figure(client_for, verifikator, generated):
    client = client_for(verifikator)
    kecamatan = Kecamatan.objects.get(
        pk=Claim.objects.exclude(number=None).first().desa.kecamatan_id
    )
    year = years()[-1]
    html = client.get(
        reverse("reports:dashboard"), {"year": year, "kecamatan": kecamatan.code}
    ).content.decode()
    shown = figures(html)
    assert shown and all(f"kecamatan={kecamatan.code}" in url for url, _count in shown)
    for url, count in shown:
        assert archive_count(verifikator, url) == count, url


def test_the_overdue_link_lists_exactly_the_overdue_claims_oldest_first(
    client_for, approver, generated
):
    year = years()[-1]
    html = client_for(approver).get(reverse("reports:dashboard"), {"year": year}).content.decode()
    overdue = [(url, n) for url, n in figures(html) if "overdue=1" in url]
    expected = Claim.objects.overdue().filter(first_submitted_at__year=year).count()
    assert overdue and overdue[0][1] == expected


def test_the_charts_are_svg_and_each_bar_is_a_link(client_for, bendahara, generated):
    html = client_for(bendahara).get(reverse("reports:dashboard")).content.decode()
    assert html.count("<svg") == 3
    assert re.search(r'<a href="/arsip/\?[^"]*status=paid[^"]*" data-count="\d+"><text', html)


def test_the_promise_is_read_from_the_policies_of_the_year(client_for, approver, wilayah):
    from datetime import date

    from santunan.models import BenefitPolicy

    year = timezone.localdate().year
    url = reverse("reports:dashboard")
    assert (
        "Janji layanan (diputus dalam 3 hari kerja)"
        in client_for(approver).get(url).content.decode()
    )
    BenefitPolicy.objects.create(
        name="Perbup baru", effective_from=date(year, 7, 1), amount=1, service_days=5
    )

    page = client_for(approver).get(url, {"year": year}).content.decode()

    assert "Janji layanan (diputus dalam 3 atau 5 hari kerja)" in page


def test_a_village_official_cannot_see_the_dashboard(client_for, operator_a):
    assert client_for(operator_a).get(reverse("reports:dashboard")).status_code == 403


def test_a_wrong_year_or_kecamatan_falls_back_instead_of_failing(client_for, approver, wilayah):
    response = client_for(approver).get(
        reverse("reports:dashboard"), {"year": "abc", "kecamatan": "zz"}
    )
    assert response.status_code == 200


def test_working_days_skip_weekends_and_holidays():
    from datetime import date

    calendar = WorkingDays([date(2026, 8, 17)])  # a Monday
    assert calendar.between(date(2026, 8, 14), date(2026, 8, 19)) == 2  # Fri → Wed
    assert calendar.between(date(2026, 8, 19), date(2026, 8, 19)) == 0


@pytest.mark.parametrize(("values", "p90"), [([1], 1), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9)])
def test_the_90th_percentile_is_the_nearest_rank(values, p90):
    assert percentile(values, 0.9) == p90


@pytest.mark.parametrize(
    "values", [[3], [1, 2], [0, 0, 1, 5, 2, 2, 9], [4, 1, 1, 3, 8, 2, 2, 6, 7, 1, 0, 3]]
)
def test_the_median_and_p90_of_a_histogram_equal_those_of_its_values(values):
    import statistics
    from collections import Counter

    assert median_and_p90(Counter(values)) == (
        statistics.median(values),
        percentile(values, 0.9),
    )
    assert median_and_p90({}) == (None, None)
