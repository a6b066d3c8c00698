"""Every page carries a Content-Security-Policy without inline code, and pages with
personal data are never cached."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.santunan.factories import DECEASED_NIK, submitted_claim

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_a_claim_page_with_a_full_nik_is_not_cached_and_has_a_strict_policy(
    client_for, operator_a, verifikator
):
    claim = submitted_claim(operator_a)

    response = client_for(verifikator).get(reverse("santunan:claim_detail", args=[claim.pk]))

    assert DECEASED_NIK in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("url", ["santunan:desa_home", "santunan:archive_export"])
def test_lists_and_exports_are_not_cached(client_for, operator_a, verifikator, url):
    user = operator_a if url == "santunan:desa_home" else verifikator

    response = client_for(user).get(reverse(url))

    assert "no-store" in response["Cache-Control"]


def test_the_login_page_has_the_policy_and_an_httponly_form_token_cookie(client, db):
    response = client.get(reverse("login"))

    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert client.cookies["csrftoken"]["httponly"]


def test_no_template_has_inline_scripts_styles_or_event_handlers():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\s(?:on[a-z]+|style)=\"|javascript:")
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        # Letters are rendered to PDF by the server, never shown as a page.
        if "letters" not in path.parts and inline.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []
