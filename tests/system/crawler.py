"""A person clicking through every page they can reach: logs in over HTTP like a
browser, follows every same-site link, htmx GET and GET form from the home page,
and records what each answered. GET only: nothing is changed by crawling."""

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar

from tests.system.stack import totp_code

# Never followed: leaving, switching language, the admin's delete confirmations (GET
# pages, but their forms are a click away from losing data), static files.
SKIP = re.compile(r"^/(akun/keluar|i18n/|static/)|/(delete|hapus)/", re.I)
NUMBER = re.compile(r"\d+")


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Links (a, iframe, img, htmx GETs) and GET forms of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.statuses: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "src", "hx-get"):
            if a.get(name) and tag != "script" and tag != "link":
                self.links.append(a[name])
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = Form(action=a.get("action") or "") if method == "get" else None
            if self._form is not None:
                self.forms.append(self._form)
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.fields.append((a["name"], a.get("value", "on")))
                self._form.choices.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self._form.fields.append((a["name"], a.get("value", "")))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
        elif self._select and tag == "option" and self._form is not None:
            self._form.choices.setdefault(self._select, []).append(a.get("value", ""))
        if tag == "span" and "badge" in (a.get("class") or ""):
            self.statuses.extend(
                c[len("badge-"):] for c in a["class"].split() if c.startswith("badge-")
            )

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


@dataclass
class Visit:
    path: str
    status: int
    content_type: str
    size: int


class Crawler:
    def __init__(self, base_url: str, *, per_pattern: int = 40, limit: int = 1500):
        self.base = base_url.rstrip("/")
        self.host = urllib.parse.urlparse(self.base).netloc
        self.per_pattern, self.limit = per_pattern, limit
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.visits: list[Visit] = []
        # Claim statuses shown as the headline badge of the claim pages visited.
        self.claim_statuses: set[str] = set()

    # --- HTTP ------------------------------------------------------------------------

    def fetch(self, path: str, data: dict | None = None) -> tuple[int, str, str, str]:
        """(status, content type, body if HTML, final path)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={"Referer": self.base + path, "Accept-Language": "en-US,en;q=0.9"},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                status, raw = response.status, response.read()
                kind = response.headers.get_content_type()
                final = urllib.parse.urlparse(response.geturl())
        except urllib.error.HTTPError as error:
            status, raw, kind = error.code, error.read(), error.headers.get_content_type()
            final = urllib.parse.urlparse(self.base + path)
        text = raw.decode("utf-8", errors="replace") if kind == "text/html" else ""
        final_path = final.path + (f"?{final.query}" if final.query else "")
        return status, kind, text, final_path

    def send(self, path: str, body: bytes, content_type: str) -> int:
        """POST a prepared body (a multipart upload); the answer's status."""
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={"Referer": self.base + path, "Content-Type": content_type},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def login(self, username: str, password: str, totp_secret: str | None = None) -> str:
        """Log in through the login form, and for the roles that need it type the
        authenticator's code computed from `totp_secret`; the path the person lands on."""
        status, _kind, page, _final = self.fetch("/akun/masuk/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token, f"login page answered {status}"
        status, _kind, page, landed = self.fetch(
            "/akun/masuk/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        )
        assert status == 200 and not landed.startswith("/akun/masuk/"), f"{username} cannot log in"
        # A code is accepted once: a second login within 30 seconds takes the next one.
        for steps_ahead in (0, 1):
            if not landed.startswith("/akun/dua-langkah/"):
                break
            assert totp_secret, f"{username} needs a second factor"
            if steps_ahead:
                time.sleep(2)  # django-otp refuses any code for a second after a wrong one
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            status, _kind, page, landed = self.fetch(
                landed,
                {
                    "csrfmiddlewaretoken": token.group(1),
                    "token": totp_code(totp_secret, steps_ahead=steps_ahead),
                },
            )
        assert not landed.startswith("/akun/"), f"{username} cannot pass the second factor"
        return landed

    def post(self, page_path: str, action: str, data: dict | None = None) -> tuple[int, str]:
        """Press a POST form's button on `page_path`, with the page's own form token."""
        status, _kind, page, _final = self.fetch(page_path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token, f"{page_path} answered {status}"
        status, _kind, _text, final = self.fetch(
            action, {"csrfmiddlewaretoken": token.group(1), **(data or {})}
        )
        return status, final

    # --- crawling --------------------------------------------------------------------

    def _local(self, link: str, current: str) -> str | None:
        link = link.strip()
        if not link or link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        url = urllib.parse.urlparse(urllib.parse.urljoin(self.base + current, link))
        if url.netloc != self.host:
            return None
        path = url.path + (f"?{url.query}" if url.query else "")
        return None if SKIP.search(url.path) else path

    @staticmethod
    def pattern(path: str) -> str:
        url = urllib.parse.urlparse(path)
        keys = sorted({k for k, _v in urllib.parse.parse_qsl(url.query, keep_blank_values=True)})
        return NUMBER.sub("N", url.path) + "?" + "&".join(keys)

    @staticmethod
    def form_urls(form: Form, current: str) -> list[str]:
        """The form as it stands, then each choice of each select, box or radio alone."""
        action = form.action or urllib.parse.urlparse(current).path
        urls = [f"{action}?{urllib.parse.urlencode(form.fields)}"]
        for name, values in form.choices.items():
            for value in values[:30]:
                fields = [(k, v) for k, v in form.fields if k != name] + [(name, value)]
                urls.append(f"{action}?{urllib.parse.urlencode(fields)}")
        return urls

    def crawl(self, start: str) -> list[Visit]:
        queue, seen, per_pattern = deque([start, "/"]), set(), {}
        while queue and len(seen) < self.limit:
            path = queue.popleft()
            key = self.pattern(path)
            if path in seen or per_pattern.get(key, 0) >= self.per_pattern:
                continue
            seen.add(path)
            per_pattern[key] = per_pattern.get(key, 0) + 1
            status, kind, text, final = self.fetch(path)
            self.visits.append(Visit(path, status, kind, len(text)))
            if not text:
                continue
            parser = PageParser()
            parser.feed(text)
            if re.fullmatch(r"/klaim/\d+/", final) and parser.statuses:
                self.claim_statuses.add(parser.statuses[0])
            found = list(parser.links)
            for form in parser.forms:
                found.extend(self.form_urls(form, final))
            for link in found:
                local = self._local(link, final)
                if local and local not in seen:
                    queue.append(local)
        return self.visits

    def errors(self) -> list[Visit]:
        return [v for v in self.visits if v.status >= 500]
