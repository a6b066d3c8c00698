"""HTML to PDF with weasyprint. Deliberately free of Django so the worker processes
that render a large batch side by side only import weasyprint."""

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

# weasyprint reports every rendering step at INFO; one line per step per letter would
# drown the service's own log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

STYLESHEET = (
    Path(__file__).resolve().parents[3] / "templates" / "finance" / "letters" / "letters.css"
)


@cache
def _tools():
    # Parsing the stylesheet and loading fonts once per process is what makes a warm
    # render fast; both are immutable afterwards.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(STYLESHEET), font_config=fonts), fonts


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    stylesheet, fonts = _tools()
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=fonts)


def _render_chunk(htmls: list[str]) -> list[bytes]:
    return [render_pdf(html) for html in htmls]


def render_many(htmls: list[str], *, processes: int, chunk: int = 25):
    """Yield the PDFs of `htmls` in order. With more than one process, chunks render in
    fresh ("spawn") processes: forking a threaded web or worker process is unsafe."""
    if processes <= 1 or len(htmls) <= chunk:
        for html in htmls:
            yield render_pdf(html)
        return
    chunks = [htmls[i : i + chunk] for i in range(0, len(htmls), chunk)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        for pdfs in pool.map(_render_chunk, chunks):
            yield from pdfs
