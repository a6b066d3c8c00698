"""The verifier's queue in a real browser (Debian's Chromium through Playwright, an
English browser): the filters the list obeys are the ones the controls show, also after
"Hapus saringan", and the address bar carries them; claim numbers and status labels
stay whole on a 360 px phone and a 1366x768 laptop. Screenshots go to
test-artifacts/verifier/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from santunan.models import Claim
from santunan.services import verify_claim
from tests.conftest import PASSWORD, ROOT
from tests.santunan.factories import submitted_claim

SHOTS = ROOT / "test-artifacts" / "verifier"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_queue(browser, base_url: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    page.goto(f"{base_url}/akun/masuk/")
    page.fill("#id_username", "verif")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base_url}/verifikasi/")
    return page


def show(page) -> None:
    page.click("form.filters button.primary")


def test_hapus_saringan_clears_the_controls_so_a_name_search_finds_the_queued_claim(
    server, browser, settings, tmp_path, operator_a, operator_b, verifikator
):
    settings.MEDIA_ROOT = tmp_path / "media"
    wanted = submitted_claim(operator_a, deceased_name="Tukiyem Wiryo")
    page = open_queue(browser, server.url, LAPTOP)

    page.select_option("#f-kecamatan", "33.25.11")
    show(page)
    page.wait_for_url("**/verifikasi/?kecamatan=33.25.11")
    assert page.locator(f"text={wanted.number}").count() == 0

    page.click("form.filters button[name=reset]")
    page.wait_for_url("**/verifikasi/")
    assert page.input_value("#f-kecamatan") == ""

    page.fill("#f-q", "tukiyem")
    show(page)
    page.wait_for_url("**/verifikasi/?search=*")
    assert page.locator(f"#queue a:has-text('{wanted.number}')").count() == 1
    assert "tukiyem" not in page.url.lower()
    assert page.input_value("#f-q") == "tukiyem"
    # No copy of the page (names, the search term) is kept in the browser's storage.
    stored = page.evaluate(
        "JSON.stringify([Object.assign({}, localStorage), Object.assign({}, sessionStorage)])"
    )
    assert "Tukiyem" not in stored and "tukiyem" not in stored


def one_line(page, selector: str) -> bool:
    """The element's text sits on one line and is not clipped by its box."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].every((element) => {
            const range = document.createRange();
            range.selectNodeContents(element);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            return lines.size === 1 && element.scrollWidth <= element.clientWidth + 1;
        })""",
        selector,
    )


def every_status_choice_fits(page) -> bool:
    """Each choice of the status filter, once chosen, shows whole in its box (the text
    measured in the box's font, plus its padding and the arrow)."""
    return page.evaluate(
        """() => {
            const select = document.getElementById("f-status");
            const style = getComputedStyle(select);
            const context = document.createElement("canvas").getContext("2d");
            context.font = `${style.fontSize} ${style.fontFamily}`;
            const room = select.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight) - 20;
            return [...select.options].every((o) => context.measureText(o.text).width <= room);
        }"""
    )


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360", "1366x768"])
def test_claim_numbers_and_status_labels_stay_whole(
    server, browser, settings, tmp_path, operator_a, operator_b, verifikator, viewport
):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    late = submitted_claim(
        operator_a, deceased_name="Raden Ngabehi Soemantri Wirjodiprodjo Hadikoesoemo"
    )
    Claim.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    verified = submitted_claim(operator_b, deceased_nik="3325011203500002")
    verify_claim(user=verifikator, claim_id=verified.pk)

    page = open_queue(browser, server.url, viewport)
    page.screenshot(
        path=str(SHOTS / f"queue-{viewport['width']}x{viewport['height']}.png"), full_page=True
    )

    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.locator("#queue td.claim-number a").count() == 2
    assert one_line(page, "#queue td.claim-number a")
    assert one_line(page, "#queue td .badge")
    assert every_status_choice_fits(page)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360", "1366x768"])
def test_the_archive_keeps_claim_numbers_and_status_labels_whole(
    server, browser, settings, tmp_path, operator_a, verifikator, viewport
):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    submitted_claim(
        operator_a,
        deceased_name="Raden Ngabehi Soemantri Wirjodiprodjo Hadikoesoemo",
        heir_name="Raden Roro Soemarni Wirjodiprodjo",
    )
    verified = submitted_claim(operator_a, deceased_nik="3325011203500002")
    verify_claim(user=verifikator, claim_id=verified.pk)

    page = open_queue(browser, server.url, viewport)
    page.goto(f"{server.url}/arsip/")
    page.screenshot(
        path=str(SHOTS / f"archive-{viewport['width']}x{viewport['height']}.png"), full_page=True
    )

    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.locator("td.claim-number a").count() == 2
    assert one_line(page, "td.claim-number a")
    assert one_line(page, "td .badge")
