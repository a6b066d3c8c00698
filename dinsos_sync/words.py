"""The registry words the installation cannot read yet — a status word nobody mapped, a
decile outside 1–10 — counted from files and from API answers, shown on the
value-mapping page, and mapped there. Writes only; the page's reads are in selectors.

Kept apart from services.py, which holds the loads and the cross-check that call
`record_unknown_values`."""

import logging
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dinsos_sync.models import UnknownValue, ValueMapping
from dinsos_sync.values import MAPPABLE, MAPPABLE_BY_SOURCE, word

logger = logging.getLogger(__name__)


def record_unknown_values(
    *, source: str, origin: str, counts: Mapping[tuple[str, str], int]
) -> None:
    """Store what one file or one round of API answers could not read.

    A file's counts replace those of the source's previous file (the latest extract is
    what the administrator has to deal with); API counts add up, since every answer is
    a fresh sighting of the word."""
    now = timezone.now()
    replace = origin == UnknownValue.Origin.FILE
    with transaction.atomic():
        if replace:
            UnknownValue.objects.filter(source=source, origin=origin).delete()
        for (column, value), count in counts.items():
            if count <= 0:
                continue
            key = {"source": source, "column": column, "value": value[:100], "origin": origin}
            if UnknownValue.objects.filter(**key).update(count=F("count") + count, last_seen=now):
                continue
            try:
                # A savepoint: a concurrent round may have created the row meanwhile.
                with transaction.atomic():
                    UnknownValue.objects.create(**key, count=count, last_seen=now)
            except IntegrityError:
                UnknownValue.objects.filter(**key).update(count=F("count") + count, last_seen=now)


def map_unknown_values(*, meanings: Mapping[tuple[str, str, str], str | None], user) -> int:
    """Store the administrator's meaning of words met in files or API answers:
    (source, column, word) → canonical word, None to leave it unknown. The next file
    and the next API answer read the word; its sightings leave the page. Returns how
    many words were mapped."""
    mapped = 0
    with transaction.atomic():
        for (source, column, value), meaning in meanings.items():
            if meaning is None or column not in MAPPABLE_BY_SOURCE.get(source, []):
                continue
            if meaning not in MAPPABLE[column]:
                continue
            ValueMapping.objects.update_or_create(
                source=source,
                column=column,
                value=word(value),
                defaults={"meaning": meaning, "created_by": user},
            )
            UnknownValue.objects.filter(source=source, column=column, value=word(value)).delete()
            mapped += 1
    logger.info("user %s mapped %d registry value(s)", getattr(user, "pk", None), mapped)
    return mapped
