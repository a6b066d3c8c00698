"""Every write to the outbox: queueing a message with its cause, sending it exactly once,
and recording what the gateway reports. Timeline entries go through
santunan.services.record_event, so a message reads in the claim's history like the
rest of it (sent, delivered, failed or skipped, never the number or the text)."""

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation

from notifications import gateway, texts
from notifications.models import (
    FINAL_STATES,
    Audience,
    Channel,
    Kind,
    KindSetting,
    Message,
    RecipientChannel,
    State,
    reference_for,
)
from santunan.finance.letters import rupiah
from santunan.models import Claim, ClaimEvent, Status
from santunan.phones import to_e164
from santunan.rules import claim_deadline
from villages.roles import Role

logger = logging.getLogger(__name__)

# Which claim events cause which messages, to whom.
EVENT_MESSAGES: dict[str, tuple[str, list[str]]] = {
    "submit": (Kind.SUBMITTED, [Audience.HEIR]),
    "return_to_village": (Kind.RETURNED, [Audience.VILLAGE, Audience.HEIR]),
    "reject": (Kind.REJECTED, [Audience.VILLAGE, Audience.HEIR]),
    "approve": (Kind.APPROVED, [Audience.HEIR]),
    "schedule": (Kind.SCHEDULED, [Audience.HEIR]),
    "mark_paid": (Kind.PAID, [Audience.HEIR]),
    "mark_payment_failed": (Kind.PAYMENT_FAILED, [Audience.HEIR]),
}
# Kinds a claim sends once in its life, whatever number of events cause them: a claim
# returned to the village and submitted again is still the same application, and a
# second "diterima" would tell the heir a new one was filed. Their key names the claim,
# not the event, so the outbox's unique key refuses the second copy.
ONCE_PER_CLAIM = {Kind.SUBMITTED}

# Timeline actions this app writes (labels: santunan/templatetags/santunan_tags.py).
SENT, DELIVERED, FAILED, SKIPPED = (
    "message_sent",
    "message_delivered",
    "message_failed",
    "message_skipped",
)


@dataclass
class Recipient:
    key: str  # part of the message's unique key: "heir" or "user:<id>"
    phone: str | None
    user: object = None
    problem: str = ""


def kind_setting(kind: str) -> KindSetting:
    return KindSetting.objects.filter(kind=kind).first() or KindSetting(kind=kind)


def text_for(setting: KindSetting, audience: str) -> str:
    custom = setting.heir_text if audience == Audience.HEIR else setting.staff_text
    if custom.strip() and texts.template_problem(custom) is None:
        return custom
    return texts.default_text(setting.kind, audience)


def status_link() -> str:
    return f"{settings.PUBLIC_BASE_URL}/cek-klaim/"


# The texts put their own full stop after {alasan} ("ditolak: {alasan}. Tanyakan ..."):
# a reason typed with one would read "..buram.. Tanyakan". Its trailing punctuation is
# dropped here, where every message and every preview of one takes the reason.
TRAILING_PUNCTUATION = re.compile(r"[\s.,;:!?…]+$")


def spoken_reason(reason: str) -> str:
    return TRAILING_PUNCTUATION.sub("", (reason or "").strip())


def claim_values(
    claim: Claim, event: ClaimEvent | None = None, *, reason: str | None = None
) -> dict[str, str]:
    """The placeholders' values for a message about this claim; `reason` stands in for
    the event's when a message is previewed before its event exists."""
    if reason is None:
        reason = (event.reason if event and event.reason else claim.last_reason) or ""
    values = {
        "nomor": claim.number or "",
        "draf": str(claim.pk),
        "kantor": settings.OFFICE_NAME,
        "tautan": status_link(),
        "alasan": spoken_reason(reason),
        "jumlah": rupiah(claim.amount) if claim.amount else "",
        "cara": texts.transfer_instructions()
        if claim.payout_method == Claim.PayoutMethod.TRANSFER
        else texts.cash_instructions(),
    }
    paid_on = (event.data or {}).get("paid_on") if event else None
    day = date.fromisoformat(paid_on) if paid_on else timezone.localdate()
    values["tanggal"] = formats.date_format(day, "j F Y")
    return values


def _users_with_phone(queryset) -> list[Recipient]:
    return [
        Recipient(key=f"user:{user.pk}", phone=to_e164(user.preference.phone), user=user)
        for user in queryset.filter(is_active=True, preference__phone__gt="")
        .select_related("preference")
        .order_by("pk")
    ]


def recipients(claim: Claim, audience: str) -> list[Recipient]:
    if audience == Audience.HEIR:
        phone = to_e164(claim.heir_phone)
        return [
            Recipient(
                key="heir",
                phone=phone,
                problem="" if phone else "Nomor HP ahli waris kosong atau bukan nomor HP.",
            )
        ]
    users = get_user_model().objects.filter(operator_assignment__desa_id=claim.desa_id)
    found = _users_with_phone(users)
    # Said once in the timeline, so the office knows why the village heard nothing.
    return found or [
        Recipient(key="village", phone=None, problem="Operator desa belum mencatat nomor HP.")
    ]


def channel_for(phone: str) -> str:
    preferred = RecipientChannel.objects.filter(phone=phone).values_list("channel", flat=True)
    return preferred.first() or Channel.SMS


@dataclass(frozen=True)
class Preview:
    text: str  # empty when the kind is switched off
    parts: int  # SMS parts the network will count
    problem: str  # why the recipient would get nothing, if so


def preview_message(*, claim: Claim, action: str, audience: str, reason: str) -> Preview:
    """The exact message `action` would send to `audience` with this reason, before it
    happens (the reject form shows the heir's): the wording, values and recipient rules
    of queue_for_event, so the preview cannot differ from what is sent."""
    kind, _audiences = EVENT_MESSAGES[action]
    setting = kind_setting(kind)
    if not setting.enabled:
        return Preview(text="", parts=0, problem="")
    text = texts.render(text_for(setting, audience), claim_values(claim, reason=reason))
    problem = next((r.problem for r in recipients(claim, audience) if r.problem), "")
    return Preview(text=text, parts=texts.sms_length(text)[1], problem=problem)


def queue_for_event(event: ClaimEvent) -> list[Message]:
    """Write the messages a claim event causes, inside the event's own transaction
    (called by santunan.services.record_event through hooks.ON_EVENT)."""
    spec = EVENT_MESSAGES.get(event.action)
    if spec is None:
        return []
    kind, audiences = spec
    setting = kind_setting(kind)
    if not setting.enabled:
        return []  # switched off by the administrator: nothing is written, nothing sent
    claim = event.claim
    values = claim_values(claim, event)
    cause = f"claim:{claim.pk}" if kind in ONCE_PER_CLAIM else f"event:{event.pk}"
    made = []
    for audience in audiences:
        text = texts.render(text_for(setting, audience), values)
        for recipient in recipients(claim, audience):
            made.append(
                queue_message(
                    key=f"{cause}|{kind}|{recipient.key}",
                    kind=kind,
                    audience=audience,
                    claim=claim,
                    recipient=recipient,
                    text=text,
                )
            )
    return [message for message in made if message is not None]


def queue_message(
    *, key: str, kind: str, audience: str, claim: Claim | None, recipient: Recipient, text: str
) -> Message | None:
    """One outbox row; None when a row with this key already exists (the unique key is
    the last word: a cause never produces a second copy for the same recipient)."""
    message = Message(
        key=key,
        reference=reference_for(key),
        kind=kind,
        audience=audience,
        claim=claim,
        user=recipient.user,
        phone=recipient.phone or "",
        channel=channel_for(recipient.phone) if recipient.phone else Channel.SMS,
        text=text,
        state=State.QUEUED if recipient.phone else State.SKIPPED,
        error=recipient.problem,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return None
    if message.state == State.SKIPPED:
        _timeline(message, SKIPPED, reason=message.error)
    elif gateway.configured():
        transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int, run_after=None) -> None:
    from notifications import tasks

    task = tasks.deliver_message
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(message_id)


def _timeline(message: Message, action: str, *, reason: str = "") -> None:
    if message.claim_id is None:
        return
    from santunan.services import record_event

    with translation.override(settings.LANGUAGE_CODE):
        # Stored words, in the office's language, so the timeline needs no lookup here.
        summary = (
            f"{Kind(message.kind).label} → {Audience(message.audience).label}"
            f" ({Channel(message.channel).label})"
        )
    record_event(
        claim=message.claim,
        actor=None,
        action=action,
        reason=reason,
        data={
            "summary": summary,
            "message": message.pk,
            "kind": message.kind,
            "audience": message.audience,
            "channel": message.channel,
            "attempts": message.attempts,
        },
    )


# --- sending -------------------------------------------------------------------------


def _backoff(attempts: int, retry_after: float | None) -> float:
    delay = settings.NOTIFY_RETRY_BACKOFF * 2 ** max(0, attempts - 1)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, settings.NOTIFY_MAX_RETRY_AFTER)


def _finish(message: Message, *, state: str, action: str, error: str = "", **fields) -> None:
    message.state, message.error, message.sending_since = state, error, None
    for name, value in fields.items():
        setattr(message, name, value)
    message.save()
    _timeline(message, action, reason=error)


def deliver_message(message_id: int) -> float | None:
    """Send one message if it is due and nobody else is sending it. Returns the delay
    in seconds before the next attempt when the gateway asked to try later.

    Exactly once: the row moves to `sending` (with attempts + 1) in its own committed
    transaction before the gateway is called, so a second worker or a retried task
    sees it taken. The gateway call carries the message's reference as idempotency
    key. If this worker dies after the gateway accepted but before `sent` is
    recorded, the row stays `sending`; once its lease expires the next run first asks
    the gateway whether it holds that reference, and the gateway also refuses to send
    the same reference twice."""
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state in FINAL_STATES:
            return None
        if message.state == State.SENDING:
            lease = timedelta(seconds=settings.NOTIFY_SENDING_LEASE)
            if message.sending_since and message.sending_since > now - lease:
                return None  # another worker is on it
        elif message.next_attempt_at and message.next_attempt_at > now:
            return (message.next_attempt_at - now).total_seconds()
        if not kind_setting(message.kind).enabled:
            # Switched off after it was queued: off means not sent.
            _finish(message, state=State.SKIPPED, action=SKIPPED, error="Jenis pesan dimatikan.")
            return None
        recovering = message.state == State.SENDING
        message.state, message.sending_since = State.SENDING, now
        message.attempts += 1
        message.save(update_fields=["state", "sending_since", "attempts"])
    if recovering and (gateway_id := gateway.lookup(message.reference)):
        outcome = gateway.Outcome(ok=True, gateway_id=gateway_id)
    else:
        outcome = gateway.send(
            reference=message.reference,
            to=message.phone,
            channel=message.channel,
            text=message.text,
        )
    return _record_outcome(message.pk, outcome)


def _record_outcome(message_id: int, outcome: gateway.Outcome) -> float | None:
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        if message.state != State.SENDING:
            return None  # a delivery report got here first
        now = timezone.now()
        if outcome.ok:
            _finish(
                message, state=State.SENT, action=SENT, gateway_id=outcome.gateway_id, sent_at=now
            )
            return None
        if not outcome.retryable or message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            _finish(message, state=State.FAILED, action=FAILED, error=outcome.error)
            return None
        delay = _backoff(message.attempts, outcome.retry_after)
        message.state, message.sending_since, message.error = State.QUEUED, None, outcome.error
        message.next_attempt_at = now + timedelta(seconds=delay)
        message.save(update_fields=["state", "sending_since", "error", "next_attempt_at"])
    logger.info("message %s: gateway asked to retry in %.0f s", message_id, delay)
    return delay


def pending_message_ids(now=None) -> list[int]:
    """Messages a sweep should try now: due in the queue, or left `sending` by a worker
    that died (lease expired)."""
    now = now or timezone.now()
    lease = now - timedelta(seconds=settings.NOTIFY_SENDING_LEASE)
    due = Message.objects.filter(state=State.QUEUED).exclude(next_attempt_at__gt=now)
    stale = Message.objects.filter(state=State.SENDING).exclude(sending_since__gt=lease)
    return sorted(set(due.values_list("pk", flat=True)) | set(stale.values_list("pk", flat=True)))


# --- delivery reports ------------------------------------------------------------------


def apply_delivery_report(report: dict) -> bool:
    """Record a signed delivery report; True when it changed something. A report
    repeated, late or out of order changes nothing."""
    reference, status = str(report.get("reference", "")), report.get("status")
    if status not in {"delivered", "failed"} or not reference:
        return False
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(reference=reference).first()
        if message is None or message.state not in {State.SENDING, State.SENT}:
            return False
        gateway_id = str(report.get("id") or message.gateway_id)
        if status == "delivered":
            _finish(
                message,
                state=State.DELIVERED,
                action=DELIVERED,
                gateway_id=gateway_id,
                delivered_at=timezone.now(),
                sent_at=message.sent_at or timezone.now(),
            )
        else:
            error = str(report.get("error") or "tidak terkirim")[:300]
            _finish(message, state=State.FAILED, action=FAILED, error=error, gateway_id=gateway_id)
    return True


# --- daily reminders -------------------------------------------------------------------


def queue_deadline_reminders(today: date | None = None) -> int:
    """Remind the village of drafts nearing the submission deadline: once in each
    window of NOTIFY_DEADLINE_DAYS (e.g. 14, 7, 3, 1 days left), whenever the daily run
    first finds the draft in it, so a missed day does not lose the reminder."""
    from santunan.services import ClaimError, policy_on

    today = today or timezone.localdate()
    setting = kind_setting(Kind.DEADLINE)
    if not setting.enabled:
        return 0
    try:
        policy = policy_on(today)
    except ClaimError:
        return 0
    windows = sorted(settings.NOTIFY_DEADLINE_DAYS)
    oldest = today - timedelta(days=policy.deadline_days * 2 + 14)
    recent = Q(death_date__gte=oldest)
    if policy.counts_from_certificate:
        recent = Q(death_certificate_date__gte=oldest)
    drafts = Claim.objects.filter(
        recent, status=Status.DRAFT, first_submitted_at__isnull=True
    ).order_by("pk")
    count = 0
    for claim in drafts.iterator():
        # The policy's count (from the death or from the akta kematian); a draft
        # without the date the count starts from has no deadline yet.
        deadline = claim_deadline(claim, policy)
        if deadline is None:
            continue
        left = (deadline - today).days
        if left < 0 or left > windows[-1]:
            continue
        window = min(w for w in windows if w >= left)
        values = claim_values(claim) | {
            "hari": str(left),
            "batas": formats.date_format(deadline, "j F Y"),
        }
        text = texts.render(text_for(setting, Audience.VILLAGE), values)
        with transaction.atomic():
            for recipient in recipients(claim, Audience.VILLAGE):
                message = queue_message(
                    key=f"deadline:{claim.pk}:{window}|{Kind.DEADLINE}|{recipient.key}",
                    kind=Kind.DEADLINE,
                    audience=Audience.VILLAGE,
                    claim=claim,
                    recipient=recipient,
                    text=text,
                )
                count += message is not None
    return count


def queue_overdue_digest(today: date | None = None) -> int:
    """One message a day to each verifier with a phone: how many claims are past the
    service promise."""
    today = today or timezone.localdate()
    setting = kind_setting(Kind.DIGEST)
    overdue = Claim.objects.overdue(today).count()
    if not setting.enabled or overdue == 0:
        return 0
    text = texts.render(text_for(setting, Audience.VERIFIER), {"jumlah_klaim": str(overdue)})
    verifiers = get_user_model().objects.filter(groups__name=Role.VERIFIKATOR)
    count = 0
    with transaction.atomic():
        for recipient in _users_with_phone(verifiers):
            message = queue_message(
                key=f"digest:{today.isoformat()}|{Kind.DIGEST}|{recipient.key}",
                kind=Kind.DIGEST,
                audience=Audience.VERIFIER,
                claim=None,
                recipient=recipient,
                text=text,
            )
            count += message is not None
    return count


# --- public status page ----------------------------------------------------------------


def record_wrong_status_try(*, ip: str | None, number: str) -> None:
    """Count a wrong try for throttling; rows older than an hour are of no more use."""
    from notifications.models import StatusAttempt
    from notifications.selectors import number_digest

    now = timezone.now()
    with transaction.atomic():
        StatusAttempt.objects.filter(at__lt=now - timedelta(hours=1)).delete()
        StatusAttempt.objects.create(ip=ip, number_digest=number_digest(number))
