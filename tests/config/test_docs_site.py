"""The documentation site served by the service at /panduan/ (config/docs_site.py): the
built pages with their content types and a policy that allows exactly their own inline
scripts, folders read with their slash, 404 for a missing page and for anything outside
the site, and a clear message while the site is not built."""

import base64
import hashlib
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site as `make docs` builds it, into a folder of the test run. Not strict here:
    a guide still missing a screenshot must not hide what the serving tests check
    (tests/config/test_docs_build.py builds it strictly)."""
    site = tmp_path_factory.mktemp("docs_site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return site


@pytest.fixture
def site(settings, built_site):
    settings.DOCS_SITE_DIR = built_site
    return built_site


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()
    }


def test_the_home_of_the_guides_is_the_built_page(client, site):
    response = client.get("/panduan/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"Panduan per peran" in response.content


@pytest.mark.parametrize("page", ["panduan/operator-desa/", "ti/konfigurasi/", "ti/api/"])
def test_a_guide_and_an_it_page_answer_with_their_html(client, site, page):
    response = client.get(f"/panduan/{page}")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content == (site / page / "index.html").read_bytes()


def test_a_folder_asked_without_its_slash_is_sent_to_it(client, site):
    response = client.get("/panduan/ti/konfigurasi")

    assert response.status_code == 301
    assert response["Location"] == "/panduan/ti/konfigurasi/"


def test_the_theme_files_keep_their_content_types(client, site):
    stylesheet = next((site / "assets" / "stylesheets").glob("main.*.min.css"))
    script = next((site / "assets" / "javascripts").glob("bundle.*.min.js"))

    css = client.get(f"/panduan/assets/stylesheets/{stylesheet.name}")
    js = client.get(f"/panduan/assets/javascripts/{script.name}")
    index = client.get("/panduan/search/search_index.json")

    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert b"".join(css.streaming_content) == stylesheet.read_bytes()
    assert js["Content-Type"] == "text/javascript; charset=utf-8"
    assert index["Content-Type"] == "application/json"
    assert js["X-Content-Type-Options"] == "nosniff"


def test_a_page_allows_exactly_its_own_inline_scripts_and_nothing_unsafe(client, site):
    response = client.get("/panduan/")
    html = response.content.decode()
    inline = [
        body
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        if "src=" not in attributes and "application/json" not in attributes
    ]
    expected = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in inline
    }

    scripts = policy(response)["script-src"]
    assert inline, "the theme's pages carry inline scripts; the policy must name them"
    assert set(scripts) == {"'self'"} | expected
    assert "unsafe" not in response["Content-Security-Policy"]
    assert policy(response)["style-src"] == ["'self'"]


def test_the_site_s_own_pages_keep_the_usual_policy(client, site):
    response = client.get("/cek-klaim/")

    assert policy(response)["script-src"] == ["'self'"]


def test_a_missing_page_is_the_site_s_404(client, site):
    response = client.get("/panduan/panduan/tidak-ada/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/panduan/../README.md",
        "/panduan/%2e%2e/%2e%2e/README.md",
        "/panduan/..%2f..%2fREADME.md",
        "/panduan//etc/passwd",
        "/panduan/assets/../../../../etc/passwd",
        "/panduan/.hidden",
        "/panduan/keluar",
        "/panduan/assets%5c..%5c..%5cREADME.md",
    ],
)
def test_nothing_outside_the_site_is_ever_read(client, site, address):
    (site / ".hidden").write_text("not for the web")
    if not (site / "keluar").exists():
        (site / "keluar").symlink_to(ROOT / "README.md")

    response = client.get(address)

    assert response.status_code == 404
    assert b"e-Santunan is an open-source" not in response.content
    assert b"not for the web" not in response.content


def test_the_guides_open_before_the_second_factor(client, site, approver):
    client.force_login(approver)

    response = client.get("/panduan/panduan/penyetuju/")

    assert response.status_code == 200


def test_a_site_not_built_says_how_to_build_it(client, settings, tmp_path):
    settings.DOCS_SITE_DIR = tmp_path / "docs_site"

    response = client.get("/panduan/")

    assert response.status_code == 404
    assert "Panduan belum dibuat: jalankan make docs" in response.content.decode()


def test_the_guides_are_read_only(client, site):
    assert client.post("/panduan/").status_code == 405
    assert client.head("/panduan/").status_code == 200
