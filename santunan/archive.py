"""The archive: every claim that ever reached Dinas Sosial, whatever its state or year.

The verifier's queue shows only claims in flight; a paid, rejected or cancelled claim
is found here. Filters that are not personal data (status, area, period) travel in
the URL so other pages can link to a search; the free-text search, which may be a
NIK or a name, stays in the session and the URL carries only a random key to it."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from santunan.models import Claim, Status
from santunan.selectors import claims_visible_to, matching_text

# The search terms of the last searches, by key: enough for the back button and a few
# tabs, small enough that the session stays small.
SEARCHES = "archive_searches"
KEPT_SEARCHES = 10


@dataclass(frozen=True)
class ArchiveFilters:
    text: str = ""
    kecamatan: str = ""
    desa: str = ""
    status: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    # Claims waiting for a decision past their service-promise date.
    overdue: bool = False
    # The service promise: "kept" (decided by the due date), "missed" (decided later).
    promise: str = ""


PROMISES = ("kept", "missed")


# The decision day of the current submission is stamped on the claim at the transition
# (santunan/progress.py), so these are plain column comparisons an index can serve.
def decided() -> Q:
    """Dinas Sosial decided (verified, returned or rejected) the claim's current
    submission; it may since have moved on."""
    return Q(decided_on__isnull=False)


def promise_kept() -> Q:
    """Decided on or before its due date, the 3-working-day promise (the calendar day
    of the decision in the office's time zone)."""
    return Q(decided_on__lte=F("due_date"))


def promise_missed() -> Q:
    return Q(decided_on__gt=F("due_date"))


def month_range(year: int, month: int | None) -> tuple[date, date]:
    """First and last day of a month, or of the whole year without a month."""
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_claims(user, filters: ArchiveFilters) -> QuerySet[Claim]:
    """Claims of every state and year that match, newest submission first.

    Drafts stay out (they belong to the village, see claims_visible_to), and so does a
    draft cancelled before its first submission: it never reached Dinas Sosial and has
    no number to find it by."""
    qs = (
        claims_visible_to(user)
        .exclude(status=Status.DRAFT)
        .exclude(number__isnull=True)
        .select_related("desa__kecamatan")
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kecamatan:
        qs = qs.filter(desa__kecamatan_id=filters.kecamatan)
    if filters.desa:
        qs = qs.filter(desa_id=filters.desa)
    # Compared as local-day boundaries on the stored moment, so an index on the column
    # serves and the calendar day is the one the office lives in.
    if filters.submitted_from:
        qs = qs.filter(first_submitted_at__gte=start_of(filters.submitted_from))
    if filters.submitted_to:
        qs = qs.filter(first_submitted_at__lt=start_of(filters.submitted_to + timedelta(days=1)))
    if filters.overdue:
        qs = qs.filter(status=Status.SUBMITTED, due_date__lt=timezone.localdate())
    if filters.promise == "kept":
        qs = qs.filter(promise_kept())
    elif filters.promise == "missed":
        qs = qs.filter(promise_missed())
    if filters.text:
        qs = qs.filter(matching_text(filters.text))
    return qs.order_by("-first_submitted_at", "-pk")


def remember_search(session, text: str) -> str:
    """Keep a search term in the session and return the key the URL may carry."""
    searches = dict(session.get(SEARCHES, {}))
    key = secrets.token_urlsafe(8)
    searches[key] = text
    # Dicts keep insertion order: the oldest searches go first.
    session[SEARCHES] = dict(list(searches.items())[-KEPT_SEARCHES:])
    return key


def recall_search(session, key: str) -> str | None:
    """The search term behind a key, or None when the session no longer has it."""
    return session.get(SEARCHES, {}).get(key) if key else None
