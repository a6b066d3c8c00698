"""The office as it was on a given day. Where the database holds nothing yet, the
environment's settings (OFFICE_NAME, TREASURER_NAME, …) are the defaults."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q

from office.models import BudgetAccount, Letterhead, Official
from villages.selectors import current_regency


@dataclass(frozen=True)
class OfficeIdentity:
    regency: str
    office: str
    address: str
    postal_code: str
    phone: str
    email: str
    place: str
    # A file on this machine (LETTERHEAD_LOGO, or the uploaded logo on the filesystem
    # backend), or "storage:<name>" for an uploaded logo kept in a bucket.
    logo_path: str


@dataclass(frozen=True)
class Person:
    name: str
    nip: str
    title: str


def letterhead_on(day: date) -> OfficeIdentity:
    row = Letterhead.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if row is None:
        regency = current_regency()
        # OFFICE_ADDRESS and LETTER_PLACE belong to the settings' regency; another one
        # set up signs in its own town, without an address, until its letterhead is
        # entered (setup_regency and the first-run page ask for it).
        same = regency.name == settings.REGENCY_NAME
        return OfficeIdentity(
            regency=regency.name,
            office=settings.OFFICE_NAME,
            address=settings.OFFICE_ADDRESS if same else "",
            postal_code="",
            phone="",
            email="",
            place=settings.LETTER_PLACE if same else regency.short_name,
            logo_path=settings.LETTERHEAD_LOGO,
        )
    return OfficeIdentity(
        regency=row.regency,
        office=row.office,
        address=row.address,
        postal_code=row.postal_code,
        phone=row.phone,
        email=row.email,
        place=row.place,
        logo_path=_logo_reference(row.logo),
    )


def _logo_reference(logo) -> str:
    if not logo:
        return ""
    try:
        return logo.path
    except NotImplementedError:
        return f"storage:{logo.name}"


def official_on(position: str, day: date) -> Person | None:
    """Who held the position on `day`; the latest appointment wins an overlap."""
    row = (
        Official.objects.filter(position=position, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-pk")
        .first()
    )
    if row is None:
        return None
    return Person(name=row.name, nip=row.nip, title=row.title)


def head_on(day: date) -> Person | None:
    return official_on(Official.Position.HEAD, day)


def treasurer_on(day: date) -> Person | None:
    person = official_on(Official.Position.TREASURER, day)
    if person is None and settings.TREASURER_NAME:
        return Person(name=settings.TREASURER_NAME, nip=settings.TREASURER_NIP, title="")
    return person


def budget_account(year: int) -> str:
    return BudgetAccount.objects.filter(year=year).values_list("code", flat=True).first() or ""
