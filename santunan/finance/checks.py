"""System checks for the payout letters' configuration."""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_public_base_url(app_configs, **kwargs) -> list[Error]:
    """Every printed letter carries a QR code pointing at PUBLIC_BASE_URL. In production
    it must be the address the public reaches, set on purpose: the development default
    (127.0.0.1) would send whoever scans a letter to their own computer, and letters
    once printed cannot be corrected."""
    explicit = os.environ.get("PUBLIC_BASE_URL") or os.environ.get("PUBLIC_BASE_URL_FILE")
    if not explicit or not settings.PUBLIC_BASE_URL:
        return [
            Error(
                "PUBLIC_BASE_URL is not set.",
                hint="Set PUBLIC_BASE_URL to the public address of this service, e.g. "
                "https://santunan.batangkab.go.id: the QR codes on printed letters point there.",
                id="santunan.E001",
            )
        ]
    parts = urlsplit(settings.PUBLIC_BASE_URL)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [
            Error(
                f"PUBLIC_BASE_URL {settings.PUBLIC_BASE_URL!r} is not an http(s) address.",
                hint="Write it in full, e.g. https://santunan.batangkab.go.id",
                id="santunan.E002",
            )
        ]
    return []
