"""The printable guides (scripts/guides_pdf.py, `make guides-pdf`): built from the same
markdown as the site, read back with pypdf."""

import re
import subprocess
import sys

from pypdf import PdfReader

from config.help import GUIDES as TABLE
from tests.docs.conftest import GUIDES, ROOT


def test_a_guide_is_printed_with_its_title_and_screenshots(tmp_path):
    result = subprocess.run(
        [sys.executable, "scripts/guides_pdf.py", str(tmp_path), "bendahara"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

    reader = PdfReader(tmp_path / "bendahara.pdf")
    first_page = reader.pages[0].extract_text()
    assert "Panduan bendahara" in first_page
    assert reader.metadata.title == "Panduan bendahara"
    assert "Membuat batch dan mencetak kuitansi" in "".join(p.extract_text() for p in reader.pages)
    assert sum(len(page.images) for page in reader.pages) >= 2
    # The link to the PDF itself stays on the site.
    assert "Unduh versi cetak" not in first_page


def test_an_unknown_guide_is_refused_with_its_name(tmp_path):
    result = subprocess.run(
        [sys.executable, "scripts/guides_pdf.py", str(tmp_path), "kepala-desa"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "kepala-desa" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_each_guide_page_links_its_own_pdf():
    for guide in TABLE.values():
        text = (GUIDES / f"{guide.slug}.md").read_text(encoding="utf-8")

        assert re.search(rf'href="\.\./\.\./pdf/{guide.slug}\.pdf"', text), guide.slug
