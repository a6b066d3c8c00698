"""What the public verification page may say about a document behind a QR code."""

import re
from dataclasses import dataclass
from datetime import date

from santunan.finance.documents import read_token
from santunan.identity import mask_name
from santunan.models import PayoutDocument


@dataclass(frozen=True)
class Verification:
    valid: bool
    reason: str = ""
    kind: str = ""
    number: str = ""
    issued_on: date | None = None
    amount: int = 0
    status: str = ""
    heir: str = ""
    count: int = 0


def token_from_code(text: str) -> str | None:
    """The token in a code as a person types it from paper: the code alone or the whole
    address printed under the QR code, with the spaces and line breaks of an address
    that wrapped. None unless it is an unaltered token: a typing mistake is told on the
    form rather than as a forged letter. The token names no one (a document id, part of
    its hash and a MAC), so the address it leads to carries no personal data."""
    compact = re.sub(r"\s", "", text).rstrip("/")
    token = compact.rsplit("/", 1)[-1]
    if not token or read_token(token) is None:
        return None
    return token


def verify_token(token: str) -> Verification:
    """Valid only for an unaltered token of an existing document whose data has not
    changed since it was printed."""
    payload = read_token(token)
    if payload is None:
        return Verification(valid=False, reason="altered")
    document = (
        PayoutDocument.objects.select_related("batch", "claim").filter(pk=payload["d"]).first()
    )
    if document is None:
        return Verification(valid=False, reason="unknown")
    if not document.input_hash.startswith(str(payload["h"])):
        return Verification(valid=False, reason="superseded")
    if document.claim:
        status, heir = document.claim.get_status_display(), mask_name(document.claim.heir_name)
        count = 1
    else:
        status, heir = document.batch.get_status_display(), ""
        count = document.batch.items.exclude(outcome="removed").count()
    return Verification(
        valid=True,
        kind=document.get_kind_display(),
        number=document.number,
        issued_on=document.issued_on,
        amount=document.amount,
        status=status,
        heir=heir,
        count=count,
    )
