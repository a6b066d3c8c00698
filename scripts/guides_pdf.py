"""One printable PDF per role guide, from the same markdown the documentation site is
built from (docs/panduan/<guide>.md, with its screenshots): the office prints them for
village training, where there may be neither a screen nor a network.

    python scripts/guides_pdf.py OUTPUT_DIR [GUIDE ...]

Writes OUTPUT_DIR/<guide>.pdf (every guide unless some are named). `make guides-pdf`
writes them into docs_site/pdf/, where each guide page's "versi cetak" link finds them."""

import re
import sys
from datetime import date
from html import escape
from pathlib import Path

import markdown
from weasyprint import CSS, HTML

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "docs" / "panduan"
GUIDE_NAMES = ["operator-desa", "verifikator", "penyetuju", "bendahara", "administrator"]
# The extensions mkdocs.yml turns on, so the guide reads the same on paper and online.
EXTENSIONS = ["attr_list", "admonition", "tables", "toc"]
# The link to this very PDF, at the top of each guide page: nothing to follow on paper.
PDF_LINK = re.compile(r'^<a class="versi-cetak".*$\n?', re.M)

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
        @bottom-center { content: "e-Santunan · " string(guide) " · halaman " counter(page);
                         font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #111; }
h1 { string-set: guide content(); font-size: 20pt; color: #0b6e4f; margin: 0 0 4mm; }
h2 { font-size: 14pt; color: #0b6e4f; border-bottom: 1px solid #c9d8e6; padding-bottom: 1mm;
     margin-top: 8mm; break-after: avoid; }
h3 { font-size: 12pt; break-after: avoid; }
.printed { color: #555; font-size: 9pt; margin-bottom: 6mm; }
.tombol { border: 1px solid #1a5e9a; border-radius: 3px; background: #eaf2fa; padding: 0 3px;
          font-weight: bold; color: #123f66; }
.menu { border-bottom: 2px solid #c9d8e6; font-weight: bold; }
img { display: block; max-width: 100%; max-height: 120mm; margin: 3mm auto;
      border: 1px solid #d0d7de; break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; }
th, td { border: 1px solid #c9d8e6; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
.admonition { border-left: 4px solid #175cd3; background: #eef4fd; padding: 1mm 4mm; margin: 4mm 0;
              break-inside: avoid; }
.admonition.warning { border-color: #b54708; background: #fff6ed; }
.admonition.tip { border-color: #067647; background: #ecfdf3; }
.admonition-title { font-weight: bold; margin: 1mm 0; }
.headerlink { display: none; }
"""


def guide_html(name: str) -> str:
    text = (GUIDES / f"{name}.md").read_text(encoding="utf-8")
    body = markdown.markdown(PDF_LINK.sub("", text), extensions=EXTENSIONS)
    title = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    printed = f'<p class="printed">Dicetak {date.today():%d-%m-%Y} dari panduan e-Santunan.</p>'
    body = body.replace("</h1>", "</h1>" + printed, 1)
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{escape(re.sub('<[^>]+>', '', title.group(1)) if title else name)}</title>"
        f"</head><body>{body}</body></html>"
    )


def build(name: str, output: Path) -> Path:
    """The guide `name` as a PDF in folder `output`; its path."""
    output.mkdir(parents=True, exist_ok=True)
    path = output / f"{name}.pdf"
    # base_url: the screenshots' img/… paths resolve beside the markdown, as on the site.
    HTML(string=guide_html(name), base_url=f"{GUIDES}/").write_pdf(
        path, stylesheets=[CSS(string=PRINT_CSS)]
    )
    return path


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[3].strip(), file=sys.stderr)
        return 2
    output, names = Path(argv[0]), argv[1:] or GUIDE_NAMES
    unknown = [name for name in names if name not in GUIDE_NAMES]
    if unknown:
        print(f"Panduan tidak dikenal: {', '.join(unknown)}", file=sys.stderr)
        return 2
    for name in names:
        print(build(name, output))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
