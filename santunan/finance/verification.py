"""What the public verification page may say about a document behind a QR code."""

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
