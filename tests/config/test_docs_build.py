"""The documentation site builds as CI builds it (`mkdocs build --strict`): a link to a
missing page or heading, a page left out of the navigation or a missing screenshot
fails the suite, not only CI's last step."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_the_documentation_builds_strictly(tmp_path):
    site = tmp_path / "site"

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )

    assert result.returncode == 0, result.stderr
    assert (site / "index.html").is_file()
    for page in ["operator-desa", "verifikator", "penyetuju", "bendahara", "administrator"]:
        assert (site / "panduan" / page / "index.html").is_file(), page
    assert (site / "ti" / "konfigurasi" / "index.html").is_file()
    # Offline: no page asks a font or script from another host.
    index = (site / "index.html").read_text()
    assert "fonts.googleapis.com" not in index
    assert "fonts.gstatic.com" not in index
