"""The guides' screenshots, taken by Chromium from the demo as each role sees it: a
village operator on a 360 px phone, the office on a 1366x768 screen. `make screenshots`
(SCREENSHOTS=1) writes them into docs/panduan/img/ where the guides show them; other
runs take them into a temporary folder, so a change that breaks the generator fails
the suite rather than the next regeneration."""

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from PIL import Image

from tests.browser import log_in
from tests.docs.conftest import GUIDES, sample_kwargs
from villages.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
OFFICE = {"width": 1366, "height": 768}


@dataclass(frozen=True)
class Shot:
    name: str  # docs/panduan/img/<name>.png
    role: str | None  # None: before login
    viewport: dict
    url_name: str
    sample: str = ""


SHOTS = [
    Shot("operator-masuk", None, PHONE, "login"),
    Shot("operator-klaim-desa", Role.OPERATOR_DESA, PHONE, "santunan:desa_home"),
    Shot("operator-klaim-baru", Role.OPERATOR_DESA, PHONE, "santunan:claim_new"),
    Shot("verifikator-antrean", Role.VERIFIKATOR, OFFICE, "santunan:verifikator_home"),
    Shot("verifikator-klaim", Role.VERIFIKATOR, OFFICE, "santunan:claim_detail", "claim:submitted"),
    Shot("penyetuju-persetujuan", Role.APPROVER, OFFICE, "santunan:approver_home"),
    Shot("penyetuju-klaim", Role.APPROVER, OFFICE, "santunan:claim_detail", "claim:verified"),
    Shot("bendahara-batch", Role.BENDAHARA, OFFICE, "finance:batch", "batch:tunai"),
    Shot("bendahara-tunai", Role.BENDAHARA, PHONE, "finance:cash_payment", "cash:pending"),
    Shot("administrator-persiapan", Role.ADMINISTRATOR, OFFICE, "office:checklist"),
    Shot("administrator-pengguna", Role.ADMINISTRATOR, OFFICE, "admin:auth_user_changelist"),
]


@pytest.fixture
def folder(tmp_path):
    if os.environ.get("SCREENSHOTS") == "1":
        return GUIDES / "img"
    return tmp_path


def save_small(path) -> None:
    """256 colours are plenty for a page of text and flat colours: a third of the bytes."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def test_the_guides_screenshots_are_taken_from_the_demo(demo, server, browser, folder):
    folder.mkdir(parents=True, exist_ok=True)
    # One browser per role, logged in once: an authenticator code is accepted only once.
    pages = {}
    for shot in SHOTS:
        if shot.role not in pages:
            context = browser.new_context(viewport=shot.viewport, locale="id-ID")
            pages[shot.role] = context.new_page()
            if shot.role:
                log_in(pages[shot.role], server.url, demo[shot.role])
        page = pages[shot.role]
        page.set_viewport_size(shot.viewport)
        user = demo.get(shot.role)
        url = reverse(shot.url_name, kwargs=sample_kwargs(shot.sample, user) if user else {})
        page.goto(f"{server.url}{url}")
        page.wait_for_load_state("networkidle")
        path = folder / f"{shot.name}.png"

        page.screenshot(path=path)
        save_small(path)

        with Image.open(path) as image:
            assert image.size == (shot.viewport["width"], shot.viewport["height"]), shot.name
        assert urlsplit(page.url).path == url, (shot.name, page.url)


def test_every_screenshot_a_guide_shows_is_one_the_test_takes():
    shown = set()
    for guide in GUIDES.glob("*.md"):
        text = guide.read_text(encoding="utf-8")
        shown |= set(_images(text))

    assert shown == {shot.name for shot in SHOTS}


def _images(text: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(img/([\w-]+)\.png\)", text)
