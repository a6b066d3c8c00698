"""The shared date, money and file fields (santunan/fields.py): one format whatever the
browser's or the page's language."""

from datetime import date

import pytest
from django import forms
from django.utils import translation

from santunan.fields import DateField, FileChooser, MoneyField


class Sample(forms.Form):
    day = DateField(required=False)
    amount = MoneyField(required=False)
    scan = forms.FileField(required=False, widget=FileChooser(attrs={"accept": ".pdf"}))


def cleaned(**data):
    form = Sample(data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def errors(**data) -> dict:
    form = Sample(data)
    assert not form.is_valid()
    return form.errors


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    "typed", ["05/11/2026", "5/11/2026", "05-11-2026", "2026-11-05", " 05.11.2026 "]
)
def test_a_date_is_read_day_first_in_either_language(language, typed):
    with translation.override(language):
        assert cleaned(day=typed)["day"] == date(2026, 11, 5)


def test_a_date_that_is_not_in_the_calendar_is_refused_with_a_message():
    assert errors(day="31/02/2026")["day"] == [
        "Tanggal itu tidak ada di kalender. Periksa tanggal dan bulannya."
    ]


def test_a_two_digit_year_is_refused_rather_than_guessed():
    assert errors(day="05/11/26")["day"] == ["Tulis tahun dengan empat angka, misalnya 05/11/2026."]


@pytest.mark.parametrize("typed", ["11 May", "2026/11/05", "05/11/2026 12:00", "٠٥/١١/٢٠٢٦"])
def test_other_date_shapes_are_refused_with_the_expected_format(typed):
    assert "hh/bb/tttt" in errors(day=typed)["day"][0]


def test_a_date_box_is_text_showing_the_stored_day_as_dd_mm_yyyy():
    html = str(Sample(initial={"day": date(2026, 11, 5)})["day"])

    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="05/11/2026"' in html
    assert 'inputmode="numeric"' in html and 'placeholder="hh/bb/tttt"' in html
    assert "pattern=" in html and "data-invalid-message=" in html


@pytest.mark.parametrize(
    "typed",
    [
        "2.600.000.000",
        "2600000000",
        "Rp 2.600.000.000",
        "Rp2.600.000.000",
        "2,600,000,000",
        "Rp 2.600.000.000,-",
        "2.600.000.000,00",
        " 2 600 000 000 ",
    ],
)
def test_an_amount_is_read_with_or_without_separators(typed):
    assert cleaned(amount=typed)["amount"] == 2_600_000_000


@pytest.mark.parametrize("typed", ["2.6 M", "26.00", "1.5", "-5000", "2.600.000,50", "dua juta"])
def test_an_amount_that_is_not_whole_rupiah_is_refused_with_an_example(typed):
    assert errors(amount=typed)["amount"] == [
        "Tulis jumlah rupiah dengan angka, misalnya 2.600.000.000 atau 2600000000."
    ]


def test_a_zero_or_an_absurd_amount_is_refused():
    assert errors(amount="0")["amount"] == ["Jumlah paling sedikit Rp1."]
    assert errors(amount="9" * 25)["amount"] == [
        "Jumlah itu terlalu besar; periksa banyaknya angka nol."
    ]


def test_an_amount_box_shows_the_current_value_grouped_with_dots_in_either_language():
    for language in ("id", "en"):
        with translation.override(language):
            html = str(Sample(initial={"amount": 2_600_000_000})["amount"])
        assert 'value="2.600.000.000"' in html and 'inputmode="numeric"' in html


def test_a_file_chooser_speaks_indonesian_and_keeps_the_real_input_for_the_keyboard():
    html = str(Sample()["scan"])

    assert 'type="file"' in html and 'name="scan"' in html and 'id="id_scan"' in html
    assert 'accept=".pdf"' in html
    assert '<label for="id_scan" class="button file-chooser-button">Pilih berkas</label>' in html
    assert 'id="id_scan-chosen"' in html and ">Belum ada berkas<" in html
    assert 'aria-describedby="id_scan-chosen"' in html
    assert 'data-invalid-message="Pilih berkasnya terlebih dahulu."' in html
    assert "<script" not in html  # the page's policy allows no inline script


def test_a_date_given_back_is_shown_day_first_and_a_wrong_one_as_typed():
    assert 'value="05/11/2026"' in str(Sample({"day": "2026-11-05"})["day"])
    assert 'value="05/11/2026"' in str(Sample({"day": "5-11-2026"})["day"])
    assert 'value="31/02/2026"' in str(Sample({"day": "31/02/2026"})["day"])
