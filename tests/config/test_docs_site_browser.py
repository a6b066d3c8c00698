"""The documentation site in a real browser (Debian's Chromium through Playwright),
served by the service under its Content-Security-Policy: the theme draws, its search
works offline, and the policy refuses nothing the pages need."""

import pytest

from tests.config.test_docs_site import built_site  # noqa: F401 - the session's build
from tests.conftest import ROOT

SHOTS = ROOT / "test-artifacts" / "docs"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_guides_draw_and_search_without_a_policy_violation(
    server, browser, settings, built_site  # noqa: F811
):
    settings.DOCS_SITE_DIR = built_site
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 768}).new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.on("requestfailed", lambda request: refused.append(f"failed: {request.url}"))

    page.goto(f"{server.url}/panduan/")
    page.wait_for_selector(".md-nav")
    assert page.title() == "e-Santunan — Panduan"
    # The theme's script ran: the search opens and its worker reads the index.
    page.locator("input.md-search__input").click()
    page.keyboard.type("gunicorn")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    page.screenshot(path=str(SHOTS / "panduan-search-1366x768.png"))
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state()

    assert "/panduan/ti/" in page.url
    assert refused == []
