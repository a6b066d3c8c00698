"""The guides name what the reader presses as it reads on the page: **Kirim**{ .tombol }
for a button, **Antrean**{ .menu } for a menu entry. Each guide section lists the pages
it explains (config/help.py); each of those pages, rendered as the guide's role on the
demo, must still show every button and menu its section names, so a renamed button
fails here instead of leaving a village operator looking for it."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from config.help import GUIDES, PUBLIC_PAGES
from tests.conftest import pass_second_factor
from tests.docs.conftest import GUIDES as GUIDE_FOLDER
from tests.docs.conftest import guide_sections, named_labels, sample_kwargs

pytestmark = pytest.mark.django_db


class Pressables(HTMLParser):
    """The text of everything a person can press: links, buttons, submit inputs and
    the headings of folded sections."""

    TAGS = {"a", "button", "summary"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: set[str] = set()
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self._open.append([tag, ""])
        elif tag == "input" and dict(attrs).get("type") == "submit":
            self.texts |= forms_of(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self.texts |= forms_of(self._open.pop()[1])

    def handle_data(self, data):
        for element in self._open:
            element[1] += data


def normalise(text: str) -> str:
    """Spaces collapsed and the decoration around a label dropped: "+ Klaim baru",
    "Simpan dan lanjut ›", "Tutup batch…" read as the guide writes them."""
    text = " ".join(text.split())
    return re.sub(r"^[^\w(]+|[^\w)]+$", "", text)


def forms_of(text: str) -> set[str]:
    """A label, and the label without the account name the logout button carries
    ("Keluar (operator)")."""
    label = normalise(text)
    return {label, normalise(re.sub(r"\s*\([^)]*\)$", "", label))} - {""}


def pressables_on(page, user) -> tuple[int, set[str]]:
    client = Client()
    if page.url_name not in PUBLIC_PAGES:
        client.force_login(user)
        # The second-factor page is what a person sees between password and code.
        if page.url_name != "accounts:verify":
            from accounts.policy import needs_second_factor

            if needs_second_factor(user):
                pass_second_factor(client, user)
    url = reverse(page.url_name, kwargs=sample_kwargs(page.sample, user))
    response = client.get(url)
    parser = Pressables()
    if response.status_code == 200:
        parser.feed(response.content.decode())
    return response.status_code, parser.texts


def test_every_section_of_every_guide_says_which_pages_it_explains():
    for role, guide in GUIDES.items():
        written = set(guide_sections(guide.slug))
        mapped = set(guide.sections)

        assert written == mapped, (
            role,
            "only in the guide:",
            written - mapped,
            "only in config/help.py:",
            mapped - written,
        )


def test_every_button_and_menu_a_guide_names_is_on_a_page_its_section_explains(demo):
    missing = []
    for role, guide in GUIDES.items():
        sections = guide_sections(guide.slug)
        user = demo[role]
        for anchor, pages in guide.sections.items():
            on_pages = set()
            for page in pages:
                status, texts = pressables_on(page, user)
                if status != 200:
                    missing.append((guide.slug, anchor, page.url_name, f"answered {status}"))
                on_pages |= texts
            for label, kind in named_labels(sections.get(anchor, "")):
                if normalise(label) not in on_pages:
                    missing.append((guide.slug, anchor, kind, label))

    assert missing == [], "\n".join(map(str, missing))


def test_the_check_notices_a_label_no_page_has():
    parser = Pressables()
    parser.feed('<button>Simpan dan lanjut ›</button><a href="/">+ Klaim baru</a>')

    assert {"Simpan dan lanjut", "Klaim baru"} <= parser.texts
    assert "Kirim sekarang" not in parser.texts
    assert named_labels("Tekan **Kirim sekarang**{ .tombol } lalu **Antrean**{ .menu }.") == [
        ("Kirim sekarang", "tombol"),
        ("Antrean", "menu"),
    ]


def test_the_guides_are_where_the_table_says():
    for guide in GUIDES.values():
        assert (GUIDE_FOLDER / f"{guide.slug}.md").is_file(), guide.slug


def test_the_status_table_names_the_statuses_the_pages_show():
    from santunan.models import Status

    table = guide_sections("operator-desa")["melihat-status"]
    named = {
        name.strip()
        for row in re.findall(r"^\| ([^|]+) \|", table, re.M)
        for name in row.split(" / ")
    } - {"Status", "---"}

    assert named == {str(label) for label in Status.labels}
