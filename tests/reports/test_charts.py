"""The dashboard's charts draw in every language: a number written into SVG, a data-*
attribute or a form value is read by the browser, not by a person, so it never takes
the Indonesian decimal comma ("130,0" makes Chromium drop the bar) or a thousands
dot ("2.026" is not the year 2026)."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from reports.dashboard import Figure, StepTimes, chart
from tests.markup import LANGUAGES, WHOLE_NUMBER, misread_numbers, page_in, svg_numbers


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_bar_of_the_dashboard_has_lengths_a_browser_reads(
    client_for, approver, generated, language
):
    html = page_in(client_for(approver), reverse("reports:dashboard"), language)

    numbers = svg_numbers(html)
    assert html.count("<svg") == 3
    # Bars whose length is not a whole number of pixels: the case a decimal comma broke.
    assert any(n != int(n) for n in numbers)
    assert misread_numbers(html) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_year_choices_and_counts_stay_plain_numbers_with_thousands_separators_on(
    client_for, approver, generated, language
):
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        html = page_in(client_for(approver), reverse("reports:dashboard"), language)

    years = re.findall(r'<option value="([^"]*)"[^>]*>(\d[^<]*)</option>', html)
    assert years and all(WHOLE_NUMBER.match(value) and len(value) == 4 for value, _ in years)
    assert misread_numbers(html) == []


CHARTS = {
    "no claims": [Figure("Januari", 0, "/arsip/"), Figure("Februari", 0, "/arsip/")],
    "one bar": [Figure("Diajukan", 7, "/arsip/?status=submitted")],
    "thirds": [Figure(str(n), n, f"/arsip/?month={n}") for n in (1, 2, 3, 7, 11)],
    "thousands": [Figure("Batang", 12_345, "/arsip/"), Figure("Bandar", 1_001, "/arsip/")],
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("figures", CHARTS.values(), ids=CHARTS.keys())
@pytest.mark.parametrize("separators", [False, True], ids=["plain", "thousands-separator"])
def test_every_chart_shape_is_drawn_with_plain_numbers(figures, language, separators):
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=separators):
        html = render_to_string(
            "reports/_bar_chart.html",
            {"chart": chart(figures), "chart_id": "c", "title": "Klaim"},
        )

    assert misread_numbers(html) == []
    bars = re.findall(r'<rect x="0" y="[^"]*" width="([^"]*)"', html)
    widths = [float(w) for w in bars]
    assert len(widths) == len(figures)
    assert max(widths) == (260 if any(f.count for f in figures) else 0)
    counts = [int(c) for c in re.findall(r'data-count="([^"]*)"', html)]
    assert counts == [f.count for f in figures]


def test_a_number_to_read_is_still_written_the_way_the_reader_writes_it(
    client_for, approver, generated
):
    """The figures people read keep their language's separators; only the markup
    does not."""
    client = client_for(approver)
    medians = {
        language: re.findall(
            r'class="median">([^<]*)<', page_in(client, reverse("reports:dashboard"), language)
        )
        for language in LANGUAGES
    }

    assert any(m != "–" for m in medians["id"])
    assert all(re.fullmatch(r"\d+,\d|–", m) for m in medians["id"]), medians
    assert medians["en"] == [m.replace(",", ".") for m in medians["id"]]


@pytest.mark.parametrize(
    ("language", "shown"), [("id", ["2,0", "0,0", "2,5", "–"]), ("en", ["2.0", "0.0", "2.5", "–"])]
)
def test_the_service_times_show_every_median_with_one_decimal(language, shown):
    steps = [
        StepTimes("a", 2, 3, 1),
        StepTimes("b", 0.0, 0, 2),
        StepTimes("c", 2.5, 4, 4),
        StepTimes("d", None, None, 0),
    ]
    with translation.override(language):
        html = render_to_string("reports/_step_times.html", {"steps": steps})

    assert re.findall(r'class="median"[^>]*>([^<]*)<', html) == shown
