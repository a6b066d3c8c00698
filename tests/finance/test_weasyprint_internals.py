"""The letters (santunan/finance/letters/pdf.py) lean on three of weasyprint's
internals, each worth its cost in benchmarks/bench_finance.py: the XML-parsed document
built without HTML.__init__, the letters' own user-agent stylesheet through
HTML._ua_stylesheets, and weasyprint.pdf.generate_pdf, whose PDF objects are split into
one file per letter. The URL fetcher is weasyprint's public URLFetcher subclassed with
its documented `fetch`. These tests fail, saying what to check, when weasyprint moves
under them: first of all on its next major version."""

import inspect

import weasyprint
from weasyprint.pdf import generate_pdf

from santunan.finance.letters import pdf

KNOWN_MAJOR = 70
WHERE = "santunan/finance/letters/pdf.py (_parse, _html_class, _split_pdf)"


def test_weasyprint_is_the_major_version_the_letters_were_written_for():
    major = int(weasyprint.__version__.split(".")[0])

    assert major == KNOWN_MAJOR, (
        f"weasyprint {weasyprint.__version__} is installed; {WHERE} uses internals of "
        f"weasyprint {KNOWN_MAJOR}. Check each against the new version (the tests below "
        f"name them), render a batch, then set KNOWN_MAJOR = {major} here."
    )


def test_the_xml_parsed_letter_has_what_html_init_would_have_set():
    letter = "<html><body><p>Kuitansi</p></body></html>"
    _stylesheet, _fonts, fetcher = pdf._tools()

    built = pdf._parse(letter, fetcher)
    parsed = weasyprint.HTML(string=letter, url_fetcher=fetcher)

    assert set(vars(built)) == set(vars(parsed)), (
        f"weasyprint.HTML.__init__ now sets {sorted(vars(parsed))}; {WHERE} _parse sets "
        f"{sorted(vars(built))}: make _parse set the same, or parse with HTML(string=...)"
    )


def test_the_user_agent_stylesheet_hook_is_still_asked_when_rendering():
    asked = []
    letter_html = pdf._html_class()

    class Recording(letter_html):
        def _ua_stylesheets(self, forms=False):
            asked.append(forms)
            return super()._ua_stylesheets(forms)

    Recording(string="<p>Kuitansi</p>").render()

    assert asked, (
        f"weasyprint no longer asks HTML._ua_stylesheets when rendering; {WHERE} "
        "_html_class overrides it to give letters their own user-agent stylesheet"
    )


def test_generate_pdf_still_takes_a_document_a_target_a_zoom_and_options():
    parameters = list(inspect.signature(generate_pdf).parameters)

    assert parameters[:3] == ["document", "target", "zoom"], (
        f"weasyprint.pdf.generate_pdf now takes {parameters}; {WHERE} _split_pdf calls "
        "generate_pdf(document, None, 1, **DEFAULT_OPTIONS)"
    )


def test_a_letter_split_from_a_document_reads_like_one_rendered_alone():
    from tests.finance.conftest import pdf_text

    sections = "".join(
        f'<section id="{pdf.LETTER_ID.format(n)}" style="page-break-before: always">'
        f"<p>Kuitansi nomor {n}</p></section>"
        for n in range(2)
    )
    html = f"<html><body>{sections}</body></html>"

    first, second = pdf.render_letters(html, ["Kuitansi 0", "Kuitansi 1"])

    assert "Kuitansi nomor 0" in pdf_text(first) and "nomor 1" not in pdf_text(first)
    assert "Kuitansi nomor 1" in pdf_text(second)
