"""Writes of the office's identity from the first-run setup (page and setup_regency).
Later changes go through the administration, one dated record each."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.models import Letterhead, Official

# The first record of each kind stands for every earlier date: before it the office
# had no other in this system, and letters of earlier claims print it too.
FIRST_RECORD_FROM = date(2000, 1, 1)


class OfficeError(Exception):
    """Office identity that cannot be saved; `problems` is shown to the user."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class IdentityResult:
    changed: list[str] = field(default_factory=list)


def _valid_from(exists: bool) -> date:
    return timezone.localdate() if exists else FIRST_RECORD_FROM


def _check(instance) -> None:
    try:
        instance.full_clean(exclude=["logo"])
    except ValidationError as exc:
        raise OfficeError(
            [
                f"{instance._meta.get_field(name).verbose_name}: {' '.join(messages)}"
                if name != "__all__"
                else " ".join(messages)
                for name, messages in exc.message_dict.items()
            ]
        ) from None


def set_office_identity(
    *,
    regency: str,
    office: str,
    address: str,
    place: str,
    phone: str = "",
    email: str = "",
    postal_code: str = "",
    head: tuple[str, str] | None = None,
    treasurer: tuple[str, str] | None = None,
) -> IdentityResult:
    """Record the letterhead and, when given as (name, NIP), the head of office and the
    treasurer. What is already in force today with the same values is left alone, so
    running the setup again changes nothing."""
    result = IdentityResult()
    today = timezone.localdate()
    with transaction.atomic():
        values = {
            "regency": regency.strip(),
            "office": office.strip(),
            "address": address.strip(),
            "place": place.strip(),
            "phone": phone.strip(),
            "email": email.strip(),
            "postal_code": postal_code.strip(),
        }
        rows = Letterhead.objects.select_for_update()
        current = rows.filter(valid_from__lte=today).order_by("-valid_from").first()
        if current is None or any(getattr(current, k) != v for k, v in values.items()):
            valid_from = _valid_from(rows.exists())
            letterhead = rows.filter(valid_from=valid_from).first() or Letterhead(
                valid_from=valid_from
            )
            for key, value in values.items():
                setattr(letterhead, key, value)
            _check(letterhead)
            letterhead.save()
            result.changed.append(_("kop surat"))
        for position, person in (
            (Official.Position.HEAD, head),
            (Official.Position.TREASURER, treasurer),
        ):
            if not person or not person[0].strip():
                continue
            name, nip = person[0].strip(), person[1].strip()
            held = Official.objects.select_for_update().filter(position=position)
            current = (
                held.filter(valid_from__lte=today, valid_to__isnull=True)
                .order_by("-valid_from", "-pk")
                .first()
            )
            if current is not None and (current.name, current.nip) == (name, nip):
                continue
            official = Official(
                position=position, name=name, nip=nip, valid_from=_valid_from(held.exists())
            )
            _check(official)
            if current is not None and current.valid_from < official.valid_from:
                # The earlier holder's period ends the day before, as a decree would.
                current.valid_to = date.fromordinal(official.valid_from.toordinal() - 1)
                current.save(update_fields=["valid_to"])
            official.save()
            result.changed.append(str(Official.Position(position).label))
    return result
