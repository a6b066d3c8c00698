"""HTML to PDF with weasyprint. Deliberately free of Django so the worker processes
that render a large batch side by side only import weasyprint and segno.

What makes it fast (measured in benchmarks/bench_finance.py and docs/ti/keuangan.md):

- the stylesheet is parsed and the fonts are loaded once per process;
- the letters are parsed as XML (see `_parse`) and styled with a user-agent
  stylesheet of their own few elements (letters_ua.css);
- the QR code is not in the HTML: its `<img src="qr:URL">` is drawn by this module's
  URL fetcher as a PNG of one pixel per module (a few hundred bytes, shown sharp
  with `image-rendering: pixelated`), in whichever process renders the letter;
- many letters of a batch are laid out as the pages of one document (weasyprint's cost
  per document — parsing, cascade, fonts, PDF writing — is then paid once per chunk)
  and one PDF file per letter is written straight from that document's PDF objects
  (`_split_pdf`: fonts subset and compressed once per chunk; about 9 ms a letter less
  than writing the whole PDF and cutting it up again with pypdf).
"""

import io
import logging
import multiprocessing
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

# weasyprint reports every rendering step at INFO; one line per step per letter would
# drown the service's own log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

LAYOUT = Path(__file__).resolve().parents[3] / "templates" / "finance" / "letters"
STYLESHEET = LAYOUT / "letters.css"
USER_AGENT_STYLESHEET = LAYOUT / "letters_ua.css"
QR_SCHEME = "qr:"
# The id of the n-th letter's <section> in a document holding several letters.
LETTER_ID = "letter-{}"


def qr_png(text: str) -> bytes:
    """The QR code of `text` as a PNG of one pixel per module, no quiet zone (the page
    around it is white). A fixed mask skips segno's search for the best of eight
    (most of its time); any mask gives a valid, scannable code."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m", mask=0, boost_error=False).save(out, kind="png", scale=1, border=0)
    return out.getvalue()


@cache
def _html_class():
    from weasyprint import CSS, HTML

    user_agent = CSS(filename=str(USER_AGENT_STYLESHEET))

    class LetterHTML(HTML):
        """A letter: weasyprint's HTML with the letters' own small user-agent
        stylesheet (see letters_ua.css)."""

        def _ua_stylesheets(self, forms=False):
            return [user_agent]

    return LetterHTML


@cache
def _tools():
    # Parsing the stylesheet, loading fonts and building the URL fetcher once per
    # process is what makes a warm render fast; all are immutable afterwards.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LetterFetcher(URLFetcher):
        """Letters load nothing from the network or the disk: `data:` URIs (the
        logo) and the `qr:` images drawn here, nothing else."""

        def fetch(self, url, headers=None):
            if url.startswith(QR_SCHEME):
                png = qr_png(unquote(url[len(QR_SCHEME) :]))
                return URLFetcherResponse(url, png, headers={"Content-Type": "image/png"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"letters load no external resource: {url[:80]}")

    fonts = FontConfiguration()
    fetcher = LetterFetcher()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=fetcher)
    return stylesheet, fonts, fetcher


def _parse(html: str, fetcher):
    """weasyprint's HTML object of `html`. The letter templates are also well-formed
    XML, which the C parser reads in a fiftieth of the time of weasyprint's pure-Python
    HTML5 parser (about 3 ms a letter); anything else — say a name with a control
    character — goes through the HTML5 parser as usual."""
    import cssselect2

    letter_html = _html_class()
    try:
        root = ElementTree.fromstring(html)
    except ElementTree.ParseError:
        return letter_html(string=html, url_fetcher=fetcher)
    # What HTML.__init__ sets after parsing (weasyprint 70), from the XML tree.
    document = letter_html.__new__(letter_html)
    document.base_url = None
    document.url_fetcher = fetcher
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


def _document(html: str):
    stylesheet, fonts, fetcher = _tools()
    return _parse(html, fetcher).render(stylesheets=[stylesheet], font_config=fonts)


def render_pdf(html: str) -> bytes:
    """One document, one PDF."""
    return _document(html).write_pdf()


def render_letters(html: str, titles: list[str]) -> list[bytes]:
    """A document of several letters, each in `<section id="letter-N">`, rendered once
    and cut into one PDF per letter (a letter runs from the page its section starts
    on to the page before the next one starts), each with its own title."""
    if len(titles) == 1:
        return [render_pdf(html)]
    document = _document(html)
    starts = []
    for index in range(len(titles)):
        anchor = LETTER_ID.format(index)
        page = next(
            (number for number, page in enumerate(document.pages) if anchor in page.anchors),
            None,
        )
        if page is None:
            raise ValueError(f"letter {index} of {len(titles)} is missing from the document")
        starts.append(page)
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        raise ValueError("two letters share a page; every letter must start a new page")
    ends = [*starts[1:], len(document.pages)]
    return _split_pdf(document, list(zip(starts, ends, strict=True)), titles)


REFERENCE = re.compile(rb"(\d+) 0 R\b")
FREE_ENTRY = b"0000000000 65535 f \n"


def _split_pdf(document, ranges: list[tuple[int, int]], titles: list[str]) -> list[bytes]:
    """One PDF file per page range of `document`, written straight from the objects
    weasyprint made for the whole document: its pages are drawn and its fonts
    subset and compressed once, and every object shared by the letters (fonts,
    colour spaces) is serialised once and copied byte for byte into each file.

    Each file holds only what its own pages reach: its page objects and content
    streams, a resource dictionary naming only the images (QR codes) its pages draw,
    and the shared objects those lead to; never another letter's page or image. The
    objects keep their numbers from the whole document (the numbers a file lacks
    are free entries of its cross-reference table), so their bytes need no change.
    """
    import pydyf
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.pdf import generate_pdf

    pdf = generate_pdf(document, None, 1, **DEFAULT_OPTIONS)
    objects = pdf.objects
    serialised: dict[int, tuple[bytes, set[int]]] = {}

    def serialise(number: int) -> tuple[bytes, set[int]]:
        # An object's bytes and the objects it refers to; a stream's references are
        # only looked for in its dictionary, never in its (binary) data.
        if number not in serialised:
            obj = objects[number]
            head = pydyf.Dictionary(obj.extra).data if isinstance(obj, pydyf.Stream) else obj.data
            refs = {int(ref) for ref in REFERENCE.findall(head)}
            serialised[number] = obj.indirect, refs
        return serialised[number]

    page_numbers = list(pdf.pages["Kids"][::3])
    resources = objects[int(REFERENCE.match(objects[page_numbers[0]]["Resources"])[1])]
    images = dict(resources.get("XObject", {}))
    info_number = len(objects)
    pdfs = []
    for (start, end), title in zip(ranges, titles, strict=True):
        own: dict[int, bytes] = {}  # objects written for this file only
        kids = page_numbers[start:end]
        used = set()
        for number in kids:
            page = objects[number]
            stream = objects[int(REFERENCE.match(page["Contents"])[1])]
            # pydyf writes each image drawn as one b"/Name Do" item of the stream.
            used.update(
                item[1:-3].decode()
                for item in stream.stream
                if isinstance(item, bytes) and item.endswith(b" Do")
            )
            own[number] = _indirect(number, pydyf.Dictionary(page))
        own_resources = pydyf.Dictionary(resources)
        if "XObject" in resources:
            own_resources["XObject"] = pydyf.Dictionary(
                {key: value for key, value in images.items() if key in used}
            )
        own[resources.number] = _indirect(resources.number, own_resources)
        pages = pydyf.Dictionary(
            {
                "Type": "/Pages",
                "Count": len(kids),
                "Kids": pydyf.Array([part for number in kids for part in (number, 0, "R")]),
            }
        )
        own[pdf.pages.number] = _indirect(pdf.pages.number, pages)
        catalog = pydyf.Dictionary({"Type": "/Catalog", "Pages": pdf.pages.reference})
        if "Lang" in pdf.catalog:
            catalog["Lang"] = pdf.catalog["Lang"]
        own[pdf.catalog.number] = _indirect(pdf.catalog.number, catalog)
        info = pydyf.Dictionary({**pdf.info, "Title": pydyf.String(title)})
        own[info_number] = _indirect(info_number, info)

        # Everything reachable from this file's own objects.
        needed, todo = set(own), []
        for number in own:
            todo.extend(int(ref) for ref in REFERENCE.findall(own[number]))
        while todo:
            number = todo.pop()
            if number in needed:
                continue
            needed.add(number)
            todo.extend(serialise(number)[1])

        out = [b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n"]
        position = len(out[0])
        offsets = {}
        for number in sorted(needed):
            data = own[number] if number in own else serialised[number][0]
            offsets[number] = position
            out.append(data + b"\n")
            position += len(data) + 1
        size = info_number + 1
        xref = [f"xref\n0 {size}\n".encode(), FREE_ENTRY]
        xref += [
            f"{offsets[number]:010} 00000 n \n".encode() if number in offsets else FREE_ENTRY
            for number in range(1, size)
        ]
        out += xref
        out.append(
            f"trailer\n<< /Size {size} /Root {pdf.catalog.number} 0 R "
            f"/Info {info_number} 0 R >>\nstartxref\n{position}\n%%EOF\n".encode()
        )
        pdfs.append(b"".join(out))
    return pdfs


def _indirect(number: int, obj) -> bytes:
    return f"{number} 0 obj\n".encode() + obj.data + b"\nendobj"


@dataclass(frozen=True)
class Job:
    """One unit of work for a render process: a document holding `len(titles)`
    letters (one when it is a single document such as the daftar nominatif)."""

    key: object
    html: str
    titles: list[str]


def _run(job: Job) -> tuple[object, list[bytes]]:
    return job.key, render_letters(job.html, job.titles)


def _warm() -> None:
    _tools()


def render_many(jobs: Iterable[Job], *, processes: int) -> Iterator[tuple[object, list[bytes]]]:
    """Yield `(job.key, pdfs)` for every job, in order of completion. With more than
    one process the jobs render in fresh ("spawn") processes — forking a threaded web
    or worker process is unsafe — each warmed once; `jobs` is consumed lazily and at
    most two jobs per process are in flight, so memory stays flat however large the
    batch, and a long job (the daftar nominatif) holds up no other."""
    jobs = iter(jobs)
    if processes <= 1:
        for job in jobs:
            yield _run(job)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_warm) as pool:
        pending = set()
        for job in jobs:
            pending.add(pool.submit(_run, job))
            if len(pending) >= 2 * processes:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
