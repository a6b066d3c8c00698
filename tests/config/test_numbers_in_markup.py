"""A number written for the browser is never localised: in an attribute (SVG
geometry, data-*, a form's value, a progress bar, a link), in inline script or style
it is read by a machine, and Indonesian's "130,0" or a grouped "2.026" is a different
number or none at all. Numbers people read keep their language's separators.

To see every slip, each page is rendered in both languages with number formats no
person uses (tests/markup_formats): every number of two digits or more is grouped,
and the separators are characters that appear nowhere else. A page that writes one of
them into its markup wrote a localised number where the browser reads it."""

import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from reports.models import ReportRun
from tests.conftest import pass_second_factor
from tests.markup import LANGUAGES, misread_numbers, svg_numbers

MARKERS = re.compile("[\u01c0\u02cc]")
SKIP = re.compile(r"^/(akun/keluar|i18n/|static/|admin/)|/(delete|hapus|unduh)/", re.I)
NUMBER = re.compile(r"\d+")
PER_PATTERN = 2
LIMIT = 150


@pytest.fixture
def marked_numbers():
    with override_settings(
        USE_THOUSAND_SEPARATOR=True, FORMAT_MODULE_PATH=["tests.markup_formats"]
    ):
        formats.reset_format_cache()
        yield
    formats.reset_format_cache()


class Markup(HTMLParser):
    """The machine-read parts of a page: attributes, inline script and style, and the
    page's same-site links and htmx GETs."""

    def __init__(self):
        super().__init__()
        self.read_by_machine: list[str] = []
        self.links: list[str] = []
        self._raw = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            self.read_by_machine.append(f'<{tag} {name}="{value}">')
            if name in {"href", "hx-get"} and value:
                self.links.append(value)
        if tag in {"script", "style"}:
            self._raw = tag

    def handle_endtag(self, tag):
        self._raw = None

    def handle_data(self, data):
        if self._raw:
            self.read_by_machine.append(f"<{self._raw}>{data.strip()[:200]}")


def localised_in_markup(html: str) -> tuple[list[str], list[str]]:
    parser = Markup()
    parser.feed(html)
    return [part for part in parser.read_by_machine if MARKERS.search(part)], parser.links


def crawl(client: Client, *starts: str) -> dict[str, list[str]]:
    """Every page reachable by GET from `starts` (at most PER_PATTERN per address
    shape, e.g. two claim pages), with the localised numbers each writes into its
    markup."""
    seen_patterns: dict[str, int] = {}
    queue, visited, found = deque(starts), set(), {}
    while queue and len(visited) < LIMIT:
        path = queue.popleft()
        if path in visited:
            continue
        visited.add(path)
        response = client.get(path)
        if response.status_code in {301, 302}:
            links = [response["Location"]]
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            slips, links = localised_in_markup(response.content.decode())
            found[path] = slips
        else:
            continue
        for link in links:
            parts = urlsplit(urljoin(path, link))
            if parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            shape = NUMBER.sub("N", parts.path)
            if target in visited or seen_patterns.get(shape, 0) >= PER_PATTERN:
                continue
            seen_patterns[shape] = seen_patterns.get(shape, 0) + 1
            queue.append(target)
    return found


@pytest.fixture
def claims_everywhere(operator_a, bendahara):
    call_command("generate_claims", 60, "--seed", "5", "--every-state", stdout=StringIO())
    call_command("generate_payouts", stdout=StringIO())


ROLES = ["operator_a", "verifikator", "approver", "bendahara", "administrator"]
OFFICE = {"verifikator", "approver", "bendahara"}


def filtered_pages() -> list[str]:
    """Pages reached through a GET form rather than a link: a year and a month (two
    digits, so grouped by the marked formats) chosen in the dashboard and the archive."""
    year = timezone.localdate().year
    return [f"/dasbor/?year={year}", f"/arsip/?year={year}&month=11&status=submitted"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_no_page_writes_a_localised_number_where_the_browser_reads_it(
    request, claims_everywhere, marked_numbers, role, language
):
    user = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)
    client.cookies["django_language"] = language
    starts = ["/"]
    if role in OFFICE:
        starts += filtered_pages()
        # A report being built shows its progress bar.
        ReportRun.objects.create(
            kind="recap", file_format="xlsx", year=2026, requested_by=user,
            rows_total=12_345, rows_done=1_234,
        )  # fmt: skip

    with translation.override(language):
        pages = crawl(client, *starts)

    assert len(pages) > 5, pages.keys()
    if role in OFFICE:
        assert reverse("reports:dashboard") in pages
    assert {path: slips for path, slips in pages.items() if slips} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_page_writes_a_localised_number_either(
    claims_everywhere, marked_numbers, language
):
    client = Client()
    client.cookies["django_language"] = language

    with translation.override(language):
        pages = crawl(client, "/akun/masuk/", "/cek-klaim/", "/cek-surat/")

    assert len(pages) >= 3, pages.keys()
    assert {path: slips for path, slips in pages.items() if slips} == {}


def test_the_markers_do_show_a_localised_number(marked_numbers):
    """The check above can fail: a number the template localises carries a marker."""
    from django.template import engines

    template = engines["django"].from_string('<rect width="{{ w }}"/><p>{{ n }}</p>')
    with translation.override("id"):
        html = template.render({"w": 130.5, "n": 2026})

    slips, _links = localised_in_markup(html)
    assert slips == ['<rect width="1\u02cc3\u02cc0\u01c05">']
    assert "2\u02cc0\u02cc2\u02cc6" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_authenticator_qr_code_has_numbers_a_browser_reads(approver, language):
    client = Client()
    client.force_login(approver)
    client.cookies["django_language"] = language

    with translation.override(language):
        page = client.get(reverse("accounts:enrol")).content.decode()

    assert "<svg" in page
    assert svg_numbers(page)
    assert misread_numbers(page) == []


def test_the_letters_and_report_documents_write_plain_numbers_in_their_markup(marked_numbers):
    """The PDFs' HTML is read by weasyprint: a letter's anchor and a table's colspan
    are markup too."""
    from django.template.loader import render_to_string

    letters = render_to_string(
        "finance/letters/document.html",
        {"title": "Kuitansi", "list": False, "letters": [f"surat {n}" for n in range(12)]},
    )
    report = render_to_string(
        "reports/pdf/report.html",
        {
            "title": "Rekap",
            "subtitle": "2026",
            "basis": "",
            "sections": [
                {
                    "heading": "Rekap",
                    "headers": [f"k{n}" for n in range(11)],
                    "rows": [],
                    "total": None,
                }
            ],
            "regency": "Kabupaten Batang",
            "office": "Dinas Sosial",
            "address": "",
            "contact": "",
            "logo": "",
            "draft": False,
            "printed": "8 Desember 2026",
            "place_date": "Batang, 8 Desember 2026",
            "head_title": "Kepala Dinas Sosial",
            "head_name": "",
            "head_nip": "",
            "treasurer_signs": False,
            "prepared_by": "",
        },
    )

    assert 'id="letter-11"' in letters and localised_in_markup(letters)[0] == []
    assert 'colspan="11"' in report and localised_in_markup(report)[0] == []


def test_the_pagination_links_carry_plain_page_numbers(marked_numbers):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(range(300), 10).page(11)

    html = render_to_string(
        "santunan/_pagination.html", {"page": page, "query": "q=a", "per_page_param": 10}
    )

    assert 'href="?q=a&amp;page=10&amp;per_page=10"' in html
    assert 'href="?q=a&amp;page=12&amp;per_page=10"' in html
    assert localised_in_markup(html)[0] == []
