"""Approved claims made through the real services, and a finance user."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from santunan.services import approve_claim, verify_claim
from tests.conftest import make_user
from tests.santunan.factories import submitted_claim
from villages.roles import Role

BANK = {
    "payout_method": "transfer",
    "bank_name": "Bank Jateng",
    "bank_account": "1234567890",
    "bank_account_holder": "Siti Aminah",
}


@pytest.fixture
def approve(operator_a, verifikator, approver):
    """approve(n, **overrides): an approved claim; n makes the deceased's NIK distinct."""

    def make(n: int = 1, **overrides):
        claim = submitted_claim(operator_a, deceased_nik=f"33250112035{n:05d}", **overrides)
        verify_claim(user=verifikator, claim_id=claim.pk)
        return approve_claim(user=approver, claim_id=claim.pk)

    return make


@pytest.fixture
def approve_transfer(approve):
    def make(n: int = 1, **overrides):
        return approve(n, **{**BANK, **overrides})

    return make


@pytest.fixture
def bendahara2(db):
    return make_user("bendahara2", Role.BENDAHARA, first_name="Joko")


def pdf_text(data: bytes) -> str:
    """Every page's text, whitespace collapsed, as a reader would see it."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def csv_upload(text: str, name: str = "hasil.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, started while MEDIA_URL names another host.

    MEDIA_URL is None on purpose (no URL serves uploaded files), but Django's live server
    wraps a media handler that cannot parse None. A URL on another host makes that
    handler step aside for every request, so uploads stay unserved in tests too."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="http://uploads.invalid/"):
        server = LiveServer("localhost")
    yield server
    server.stop()
