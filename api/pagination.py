"""Cursor pagination: a page of a list that grows while it is read never repeats or
skips a claim, and a deep page costs what the first one does (no OFFSET)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = _("Kursor halaman tidak valid; mulai lagi dari halaman pertama.")


class NewestFirst(Cursor):
    ordering = "-id"


class ByCode(Cursor):
    ordering = "code"


class DueFirst(Cursor):
    """The verifier's order: earliest service deadline first (the 3-working-day promise)."""

    ordering = ("due_date", "submitted_at", "id")


class LongestWaitingFirst(Cursor):
    """The approver's order: verified longest ago first."""

    ordering = ("verified_at", "id")
