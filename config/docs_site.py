"""The documentation site (`make docs`: docs/ built by mkdocs into DOCS_SITE_DIR) served by
the service itself at /panduan/, so every page's "Bantuan" link works on an office
network without internet. Public: the guides hold no personal data, and an official who
has not passed the second factor yet may need the guide that explains it.

The site is static files. The theme's pages carry three small inline scripts (its colour
scheme and stored preferences); the site's Content-Security-Policy refuses inline
scripts, so each HTML page answers with a policy that also allows exactly the scripts it
holds, by their SHA-256 — never 'unsafe-inline' nor 'unsafe-eval'."""

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

# By extension, not by the system's mimetypes table, which differs between machines.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
}

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
# The types a browser runs; the theme's `<script type="application/json">` is data.
RUNNABLE_TYPES = {"text/javascript", "application/javascript", "module"}


def site_root() -> Path:
    return Path(settings.DOCS_SITE_DIR)


def is_built() -> bool:
    return (site_root() / "index.html").is_file()


@lru_cache(maxsize=256)
def _script_hashes(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The CSP source of each inline script in one built page; the file's time and size
    in the key, so a new build is read again."""
    html = Path(path).read_text(encoding="utf-8")
    hashes = []
    for match in SCRIPT.finditer(html):
        attributes, body = match.groups()
        kind = SCRIPT_TYPE.search(attributes)
        if re.search(r"\bsrc\s*=", attributes, re.I) or (
            kind and kind.group(1).lower() not in RUNNABLE_TYPES
        ):
            continue
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return tuple(dict.fromkeys(hashes))


def _resolve(path: str) -> Path:
    """The file under the site for a path of the URL, or 404: nothing outside the site
    (`..`, an absolute path, a link pointing out) and no hidden file is ever read."""
    root = site_root().resolve()
    if "\x00" in path or "\\" in path or any(part.startswith(".") for part in path.split("/")):
        raise Http404
    try:
        target = Path(safe_join(root, path)).resolve()
    except (SuspiciousFileOperation, ValueError):
        raise Http404 from None
    if target != root and root not in target.parents:
        raise Http404
    return target


@login_not_required
@require_safe
def serve(request, path: str = ""):
    if not is_built():
        return render(request, "docs_site/not_built.html", status=404)
    target = _resolve(path)
    if target.is_dir():
        if path and not path.endswith("/"):
            # The pages link to each other relatively: a folder is always read with its slash.
            return HttpResponsePermanentRedirect(request.path + "/")
        target = target / "index.html"
    if not target.is_file():
        raise Http404
    content_type = CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream")
    if target.suffix.lower() != ".html":
        response = FileResponse(target.open("rb"), content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response
    stat = target.stat()
    response = HttpResponse(target.read_bytes(), content_type=content_type)
    hashes = _script_hashes(str(target), stat.st_mtime_ns, stat.st_size)
    if hashes:
        # django-csp adds these to the site's script-src for this response only.
        response._csp_update = {"script-src": list(hashes)}
    return response
