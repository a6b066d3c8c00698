"""Reads of claims, always limited to what the user may see."""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Upper
from django.http import Http404
from django.utils import timezone

from santunan.calendar import WorkingDays, holidays_between
from santunan.identity import is_ascii_digits, normalise_number
from santunan.models import (
    ACTIVE_STATUSES,
    LATE_DOCUMENT_STATUSES,
    SEARCH_SEPARATOR,
    Claim,
    ClaimDocument,
    ClaimEvent,
    Status,
)
from santunan.names import spelling_neutral
from villages.roles import DINSOS_ROLES, has_role


def claims_visible_to(user) -> QuerySet[Claim]:
    """A village official sees their desa's claims; Dinas Sosial sees every claim that
    has left the village (drafts belong to the village alone)."""
    if has_role(user, *DINSOS_ROLES):
        return Claim.objects.exclude(status=Status.DRAFT)
    assignment = getattr(user, "operator_assignment", None)
    if assignment is None:
        return Claim.objects.none()
    return Claim.objects.filter(desa_id=assignment.desa_id)


def claim_for_user(user, pk: int) -> Claim:
    """The claim if this user may see it, else 404 (never 403: do not confirm it exists)."""
    try:
        return claims_visible_to(user).select_related("desa__kecamatan", "policy").get(pk=pk)
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def verification_queue(
    *, kecamatan: str = "", desa: str = "", status: str = "", overdue: bool = False, q: str = ""
) -> QuerySet[Claim]:
    """Claims waiting for Dinas Sosial, earliest due first (the 3-working-day promise)."""
    qs = Claim.objects.filter(status__in=[Status.SUBMITTED, Status.VERIFIED]).select_related(
        "desa__kecamatan"
    )
    if status in (Status.SUBMITTED, Status.VERIFIED):
        qs = qs.filter(status=status)
    if kecamatan:
        qs = qs.filter(desa__kecamatan_id=kecamatan)
    if desa:
        qs = qs.filter(desa_id=desa)
    if overdue:
        qs = qs.filter(status=Status.SUBMITTED, due_date__lt=timezone.localdate())
    if q.strip():
        qs = qs.filter(matching_text(q))
    return qs.order_by("due_date", "submitted_at", "pk")


def matching_text(text: str) -> Q:
    """What one search box means everywhere: a whole NIK (deceased or heir), a claim
    number, or part of a name or number. NIKs match only whole, never by fragment."""
    text = text.strip()
    number = normalise_number(text)
    if len(number) == 16 and is_ascii_digits(number):
        return Q(deceased_nik=number) | Q(heir_nik=number)
    if text.upper().startswith("SKM-"):
        # Numbers are stored upper case: an exact match uses the unique index, where a
        # case-insensitive one (upper(number)) would read the whole table.
        return Q(number=text.upper())
    # Part of the deceased's or the heir's name or of the number: one column holding
    # the three in upper case, one trigram index on PostgreSQL (Claim.search_text).
    text = text.replace(SEARCH_SEPARATOR, " ")
    written = Q(search_text__contains=Upper(Value(text)))
    # Or the name in another spelling: old (Soemini, Tjasmadi) or a variant (Achmad,
    # Sumiyati) meets today's in the registry matcher's spelling-neutral form, kept for
    # each claim in Claim.search_names (one more trigram index on PostgreSQL).
    form = spelling_neutral(text)
    return written | Q(search_names__contains=form) if form else written


def village_claims(user) -> QuerySet[Claim]:
    """The operator's desa's claims, newest first, ready for a list."""
    return claims_visible_to(user).select_related("desa").order_by("-created_at", "-pk")


def approval_queue() -> QuerySet[Claim]:
    """Verified claims waiting for the approver, longest waiting first."""
    return (
        Claim.objects.filter(status=Status.VERIFIED)
        .select_related("desa__kecamatan", "verified_by")
        .order_by("verified_at", "pk")
    )


def waiting_for_documents(claims: Iterable[Claim]) -> set[int]:
    """Of these claims, the ones Dinas Sosial cannot decide until the village adds a
    document the rules require (santunan.services.complete_documents): the queues mark
    them and offer no action on them. Only a claim a registry check asked more of can
    lack one (submission checks the rest), so only those are looked at."""
    from santunan.rules import missing_documents

    return {
        claim.pk
        for claim in claims
        if claim.status in LATE_DOCUMENT_STATUSES
        and claim.extra_required_documents
        and missing_documents(claim)
    }


def with_current_documents(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """`claims` with their documents that count read in one query for the whole list,
    as `claim.current_documents` (what rules.missing_documents reads when present)."""
    return claims.prefetch_related(
        Prefetch(
            "documents",
            queryset=ClaimDocument.objects.filter(superseded=False),
            to_attr="current_documents",
        )
    )


def other_active_claims(claims: Iterable[Claim]) -> dict[int, Claim | None]:
    """For each claim, another active claim of the same deceased NIK or None: the check
    services.deceased_problems makes claim by claim, in one query for a list."""
    claims = list(claims)
    niks = {claim.deceased_nik for claim in claims if claim.deceased_nik}
    by_nik: dict[str, list[Claim]] = {}
    active = (
        Claim.objects.filter(deceased_nik__in=niks, status__in=ACTIVE_STATUSES)
        .select_related("desa")
        .order_by(*Claim._meta.ordering, "pk")  # the one .first() would find
    )
    for other in active if niks else []:
        by_nik.setdefault(other.deceased_nik, []).append(other)
    return {
        claim.pk: next((o for o in by_nik.get(claim.deceased_nik, []) if o.pk != claim.pk), None)
        for claim in claims
    }


def current_documents(claim: Claim) -> dict[str, ClaimDocument]:
    """The documents that count (not superseded), by kind."""
    return {d.kind: d for d in claim.documents.filter(superseded=False).order_by("kind")}


def claim_timeline(claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.select_related("actor").order_by("at", "pk")


@dataclass(frozen=True)
class DesaStatistics:
    year: int
    by_status: list[tuple[str, int]]  # (status, claims) in the workflow's order
    total: int
    paid_claims: int
    paid_amount: int
    decided: int
    median_days_to_decision: float | None


def desa_statistics(*, desa_id: str, year: int) -> DesaStatistics:
    """One desa's own figures for the claims first submitted in `year` (the year the
    office's dashboard counts a claim under): how many stand in each state, how much of
    them was paid, and the median working days from the current submission to Dinas
    Sosial's decision on it (verified, returned or rejected: santunan.progress). Counts
    and sums only: no name or NIK."""
    claims = Claim.objects.filter(
        desa_id=desa_id, number__isnull=False, first_submitted_at__year=year
    ).exclude(status=Status.DRAFT)
    counted = dict(
        claims.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    paid = claims.filter(status=Status.PAID).aggregate(n=Count("pk"), total=Sum("amount"))
    decisions = [
        (timezone.localtime(submitted).date(), decided)
        for submitted, decided in claims.exclude(decided_on=None)
        .exclude(submitted_at=None)
        .values_list("submitted_at", "decided_on")
    ]
    median = None
    if decisions:
        start = min(submitted for submitted, _ in decisions)
        end = max(decided for _, decided in decisions)
        calendar = WorkingDays(list(holidays_between(start, end)))
        median = statistics.median(calendar.between(a, b) for a, b in decisions)
    return DesaStatistics(
        year=year,
        by_status=[(status, counted[status]) for status in Status.values if status in counted],
        total=sum(counted.values()),
        paid_claims=paid["n"],
        paid_amount=paid["total"] or 0,
        decided=len(decisions),
        median_days_to_decision=median,
    )
