"""The API's documentation page in a real browser (Debian's Chromium through
Playwright): it draws the operations and the page's Content-Security-Policy refuses
nothing it needs."""

import pytest

from tests.conftest import ROOT

SHOTS = ROOT / "test-artifacts" / "api"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_documentation_page_draws_the_api_without_a_policy_violation(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 768}).new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )

    page.goto(f"{server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)

    assert page.locator(".opblock").count() > 10
    # An operation opened shows its parameters and answers: drawn without inline style too.
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock.is-open .responses-wrapper")
    page.screenshot(path=str(SHOTS / "docs-1366x768.png"))
    assert refused == []
