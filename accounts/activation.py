"""One-time activation of an account the office created: the official types (or scans)
the code from the printed slip or opens the link in the message, and chooses a
password. A code works once, for ACTIVATION_DAYS, and only its keyed digest is stored:
whoever reads the database cannot activate anyone's account.

The second factor is not asked here: after activation the person is logged in, and
the roles that need one are sent to the usual enrolment (SecondFactorMiddleware)."""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import ActivationCode
from accounts.services import AccountError, check_new_password

logger = logging.getLogger("accounts")

ACTIVATION_DAYS = 14
# No 0/O, 1/I/L: a code copied from paper by someone new to phones must not be misread.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10  # 31**10 ≈ 8·10^14 codes
SLIP_STYLESHEET = Path(settings.BASE_DIR) / "templates" / "accounts" / "slips.css"


@dataclass(frozen=True)
class IssuedCode:
    """A code as it is handed over: the only moment its text exists."""

    user: object
    code: str
    expires_at: datetime


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))


def spaced(code: str) -> str:
    """ABCD-EFGH-JK: easier to read aloud and to type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalised(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def digest(code: str) -> str:
    return salted_hmac("accounts.activation", normalised(code)).hexdigest()


def issue_codes(*, users: list, actor=None, channel: str = "slip") -> list[IssuedCode]:
    """A new code for each user (earlier open codes stay valid until one is used)."""
    if not users:
        return []
    expires = timezone.now() + timedelta(days=ACTIVATION_DAYS)
    issued = [IssuedCode(user=user, code=new_code(), expires_at=expires) for user in users]
    with transaction.atomic():
        ActivationCode.objects.bulk_create(
            ActivationCode(
                user=item.user,
                digest=digest(item.code),
                channel=channel,
                expires_at=expires,
                issued_by=actor if getattr(actor, "pk", None) else None,
            )
            for item in issued
        )
    logger.info(
        "activation codes issued: count=%d channel=%s by=%r",
        len(issued),
        channel,
        getattr(actor, "username", None),
    )
    return issued


def activation_link(code: str, base_url: str = "") -> str:
    base = (base_url or settings.PUBLIC_BASE_URL).rstrip("/")
    return base + reverse("accounts:activate_link", kwargs={"code": spaced(code)})


def queue_activation_message(*, user, actor=None, base_url: str = "") -> int:
    """Send the link through the outbox, once per account: the message's key names the
    account, so a second call (a rerun, a double click) writes no second message.
    1 if a message was queued, 0 when there is no number or it was sent before."""
    from notifications.models import Audience, Kind, Message
    from notifications.services import Recipient, kind_setting, queue_message, text_for
    from notifications.texts import render

    phone = getattr(getattr(user, "preference", None), "phone", "")
    setting = kind_setting(Kind.ACTIVATION)
    key = f"activation:{user.pk}|{Kind.ACTIVATION}|user:{user.pk}"
    if not phone or not setting.enabled or Message.objects.filter(key=key).exists():
        return 0
    (issued,) = issue_codes(users=[user], actor=actor, channel=ActivationCode.Channel.MESSAGE)
    text = render(
        text_for(setting, Audience.OFFICIAL),
        {
            "nama_pengguna": user.username,
            "tautan_aktivasi": activation_link(issued.code, base_url),
            "hari": str(ACTIVATION_DAYS),
            "kantor": settings.OFFICE_NAME,
        },
    )
    message = queue_message(
        key=key,
        kind=Kind.ACTIVATION,
        audience=Audience.OFFICIAL,
        claim=None,
        recipient=Recipient(key=f"user:{user.pk}", phone=phone, user=user),
        text=text,
    )
    return int(message is not None)


def activate_account(*, username: str, code: str, password1: str, password2: str, ip=None):
    """Set the first password of the account the code belongs to; the user. The code is
    spent by a conditional update inside the transaction, so two submissions of one
    code cannot both succeed."""
    now = timezone.now()
    wrong = AccountError(
        _(
            "Nama pengguna atau kode aktivasi salah, sudah dipakai, atau kedaluwarsa. "
            "Minta slip baru ke Dinas Sosial bila kodenya sudah lewat %(days)d hari."
        )
        % {"days": ACTIVATION_DAYS}
    )
    with transaction.atomic():
        found = (
            ActivationCode.objects.select_related("user")
            .filter(digest=digest(code), used_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if (
            found is None
            or found.expires_at <= now
            or found.user.username.casefold() != (username or "").strip().casefold()
            or not found.user.is_active
        ):
            logger.info("activation refused: username=%r", (username or "")[:150])
            raise wrong
        user = found.user
        check_new_password(user=user, password1=password1, password2=password2)
        spent = ActivationCode.objects.filter(pk=found.pk, used_at__isnull=True).update(
            used_at=now, used_ip=ip
        )
        if spent != 1:
            raise wrong
        ActivationCode.objects.filter(
            user=user, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        user.set_password(password1)
        user.save(update_fields=["password"])
    logger.info("account activated: username=%r", user.username)
    return user


# --- the printed slips --------------------------------------------------------------------


def slip_groups(codes: list[IssuedCode]) -> list[tuple[str, str, list[IssuedCode]]]:
    """(key, heading, codes) per kecamatan of the operators' desa, then one group for
    the office's own staff; within a group by desa and name."""
    from villages.models import OperatorAssignment

    assignments = {
        a.user_id: a
        for a in OperatorAssignment.objects.filter(
            user_id__in=[item.user.pk for item in codes]
        ).select_related("desa__kecamatan")
    }
    groups: dict[str, tuple[str, list]] = {}
    for item in codes:
        assignment = assignments.get(item.user.pk)
        if assignment:
            kecamatan = assignment.desa.kecamatan
            key, heading = kecamatan.code, _("Kecamatan %(name)s") % {"name": kecamatan.name}
        else:
            key, heading = "dinas", str(settings.OFFICE_NAME)
        groups.setdefault(key, (heading, []))[1].append((item, assignment))
    result = []
    for key in sorted(groups, key=lambda k: (k == "dinas", k)):
        heading, items = groups[key]
        items.sort(key=lambda pair: (pair[1].desa.code if pair[1] else "", pair[0].user.username))
        result.append((key, heading, items))
    return result


def _qr_data_uri(text: str) -> str:
    import segno

    return segno.make(text, error="m").png_data_uri(scale=1, border=2)


def render_slips(codes: list[IssuedCode], *, base_url: str = "") -> dict[str, tuple[str, bytes]]:
    """{kecamatan code or 'dinas': (heading, PDF)}: one slip per official, with their
    name, username, code and a QR code of the activation link, eight to a page to be
    cut apart."""
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=str(SLIP_STYLESHEET))
    base = (base_url or settings.PUBLIC_BASE_URL).rstrip("/")
    out = {}
    for key, heading, items in slip_groups(codes):
        slips = [
            {
                "name": item.user.get_full_name() or item.user.username,
                "username": item.user.username,
                "code": spaced(item.code),
                "desa": str(assignment.desa) if assignment else "",
                "qr": _qr_data_uri(activation_link(item.code, base)),
                "page": base + reverse("accounts:activate"),
                "expires": timezone.localtime(item.expires_at),
            }
            for item, assignment in items
        ]
        html = render_to_string(
            "accounts/slips.html",
            {"heading": heading, "slips": slips, "office": settings.OFFICE_NAME},
        )
        out[key] = (heading, HTML(string=html).write_pdf(stylesheets=[stylesheet]))
    return out
