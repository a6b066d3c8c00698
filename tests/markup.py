"""Reading the numbers a page writes for the browser (SVG geometry, data-* counts,
form values) the way the browser does: a plain decimal point and no grouping."""

import re
from html.parser import HTMLParser

from django.conf import settings
from django.utils import translation

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The attributes whose value SVG (or HTML) reads as a number or a list of numbers.
NUMERIC = {
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height",
    "viewbox", "stroke-width", "font-size", "max", "min", "step", "colspan", "rowspan",
}  # fmt: skip
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
WHOLE_NUMBER = re.compile(r"^-?\d+$")


class Attributes(HTMLParser):
    """Every (tag, attribute, value) of a page, with whether it sits inside an <svg>."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str, str, bool]] = []
        self.svg_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.svg_depth += 1
        for name, value in attrs:
            self.found.append((tag, name, value or "", self.svg_depth > 0))

    def handle_startendtag(self, tag, attrs):
        for name, value in attrs:
            self.found.append((tag, name, value or "", self.svg_depth > 0 or tag == "svg"))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg_depth -= 1


def attributes(html: str) -> list[tuple[str, str, str, bool]]:
    parser = Attributes()
    parser.feed(html)
    return parser.found


def misread_numbers(html: str) -> list[str]:
    """The numeric attributes a browser could not read as the number meant, and the
    data-count and year values that are not whole numbers."""
    wrong = []
    for tag, name, value, in_svg in attributes(html):
        if name == "width" and value.endswith("%") and not in_svg:
            continue
        if name in NUMERIC and (in_svg or name not in {"width", "height"}):
            parts = value.split() if name == "viewbox" else [value.removesuffix("%")]
            if not parts or not all(PLAIN_NUMBER.match(p) for p in parts):
                wrong.append(f'<{tag} {name}="{value}">')
        elif name == "data-count" and not WHOLE_NUMBER.match(value):
            wrong.append(f'<{tag} {name}="{value}">')
    return wrong


def svg_numbers(html: str) -> list[float]:
    """Each numeric SVG attribute parsed as a float: a comma raises ValueError."""
    numbers = []
    for _tag, name, value, in_svg in attributes(html):
        if in_svg and name in NUMERIC:
            parts = value.split() if name == "viewbox" else [value.removesuffix("%")]
            numbers.extend(float(part) for part in parts)
    return numbers


def page_in(client, url: str, language: str, **params) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    # The middleware activates the page's language in this thread; the next test must
    # not inherit it.
    with translation.override(translation.get_language()):
        response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return response.content.decode()
