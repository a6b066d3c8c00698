"""Dates typed in forms Django builds itself (the administration) are read day first
in English too, as Indonesia writes them."""

from datetime import date

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.utils import translation


def test_an_english_date_box_reads_05_11_as_the_fifth_of_november():
    with translation.override("en"):
        assert forms.DateField().clean("05/11/2026") == date(2026, 11, 5)


def test_an_indonesian_date_box_reads_05_11_as_the_fifth_of_november():
    with translation.override("id"):
        assert forms.DateField().clean("05/11/2026") == date(2026, 11, 5)


def test_iso_dates_are_still_read_in_english():
    with translation.override("en"):
        assert forms.DateField().clean("2026-11-05") == date(2026, 11, 5)


def test_the_administration_shows_an_english_date_day_first():
    with translation.override("en"):
        html = AdminDateWidget().render("start", date(2026, 11, 5))
    assert 'value="05/11/2026"' in html
