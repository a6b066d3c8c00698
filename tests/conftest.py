"""Named users per role and the Batang areas, shared by every test."""

import os
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connections
from django.test import override_settings
from django.test.signals import setting_changed

from config.strict_templates import enable as enable_strict_templates
from santunan.models import BenefitPolicy
from tests.browser import chromium
from villages.models import Desa
from villages.roles import Role, ensure_roles
from villages.services import assign_operator, load_wilayah

ROOT = Path(__file__).resolve().parent.parent
WILAYAH_CSV = ROOT / "villages" / "data" / "batang_wilayah.csv"
PASSWORD = "rahasia-uji-123"

DESA_A = "33.25.01.2001"  # Silurah, Wonotunggal
DESA_B = "33.25.11.1013"  # a kelurahan in Kec. Batang

# A template variable that does not resolve fails the test (and, through the
# environment, the servers that tests start as separate processes).
os.environ["TEMPLATE_STRICT"] = "1"
enable_strict_templates(settings.TEMPLATES)
setting_changed.send(sender=None, setting="TEMPLATES", value=settings.TEMPLATES, enter=True)

# Tests count working days on the holidays they create, whatever year they run in: the
# built-in calendar is not loaded by migrate or by a worker (tests/santunan/test_holidays_*
# turn it on where they test it).
os.environ["HOLIDAYS_AUTOLOAD"] = "0"
settings.HOLIDAYS_AUTOLOAD = False


@pytest.fixture(autouse=True)
def reference_data(request):
    """Groups and the default policy come from migrations; tests that flush the
    database (transaction=True) get them back here."""
    if not {"db", "transactional_db"} & set(
        request.fixturenames
    ) and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
    ensure_roles()
    BenefitPolicy.objects.get_or_create(
        effective_from=date(2017, 1, 1),
        defaults={"name": "Santunan kematian Kabupaten Batang", "amount": 1_000_000},
    )


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.fixture
def wilayah(db):
    load_wilayah(data=WILAYAH_CSV.read_bytes(), regency_code="33.25")


def make_user(username: str, role: str | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def operator_a(wilayah):
    user = make_user("operator_a", first_name="Siti", last_name="Aminah")
    assign_operator(user=user, desa=Desa.objects.get(pk=DESA_A))
    return user


@pytest.fixture
def operator_b(wilayah):
    user = make_user("operator_b", first_name="Bambang")
    assign_operator(user=user, desa=Desa.objects.get(pk=DESA_B))
    return user


@pytest.fixture
def verifikator(db):
    return make_user("verif", Role.VERIFIKATOR, first_name="Dewi")


@pytest.fixture
def verifikator2(db):
    return make_user("verif2", Role.VERIFIKATOR, first_name="Eko")


@pytest.fixture
def approver(db):
    return make_user("kabid", Role.APPROVER, first_name="Hartono")


@pytest.fixture
def bendahara(db):
    return make_user("bendahara", Role.BENDAHARA, first_name="Rina")


@pytest.fixture
def administrator(db):
    return make_user("adm", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def pass_second_factor(client, user) -> None:
    """What typing the authenticator's code does: a confirmed device for the user and
    this session marked as verified with it (django_otp's session key)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_for(client):
    """Log `client` in as the given user, past the second factor where the role needs
    one, and return it."""
    from accounts.policy import needs_second_factor

    def login(user):
        client.force_login(user)
        if needs_second_factor(user):
            pass_second_factor(client, user)
        return client

    return login


@pytest.fixture
def browser():
    """Chromium for a test that also reads the database itself: Playwright's sync API
    runs an event loop in this thread, and the test's own ORM calls are plain ones."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with chromium() as browser:
        yield browser
    # Playwright's context made Django open a second connection; close it so the test
    # database can be dropped.
    connections.close_all()


@pytest.fixture
def server(request):
    """pytest-django's live server. Its media handler cannot parse our MEDIA_URL = None
    (no URL serves uploads); a URL on another host, read once at start, makes that
    handler step aside for every request."""
    with override_settings(MEDIA_URL="http://uploads.invalid/"):
        return request.getfixturevalue("live_server")
