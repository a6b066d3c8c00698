"""Every write to a claim. Each service checks the current state, changes it inside
a transaction with the row locked, appends the audit event and raises ClaimError with
a message fit for the user when something is not allowed."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed, has_transition_perm

from santunan.calendar import add_working_days
from santunan.identity import (
    digits_problem,
    is_practice_number,
    nik_birth_date,
    nik_problem,
    nik_sex,
    normalise_number,
)
from santunan.limits import REASON_MAX, date_problem, length_problem
from santunan.models import (
    ACTIVE_STATUSES,
    LATE_DOCUMENT_STATUSES,
    BenefitPolicy,
    Claim,
    ClaimDocument,
    ClaimEvent,
    DocumentKind,
    Status,
    YearlySequence,
)
from santunan.progress import stamp_progress
from santunan.rules import (
    NoPolicy,
    claim_deadline,
    document_problems,
    document_reasons,
    missing_documents,
    offered_kinds,
    payout_problem,
    policy_for,
    policy_in_force,
    policy_or_none,
    required_documents,
)
from santunan.spreadsheets import name_problem
from santunan.uploads import UploadRefused, check_image, check_pdf, upload_sha256
from villages.roles import Role, has_role
from villages.selectors import current_regency


class ClaimError(Exception):
    """A claim action that is not allowed; the message is shown to the user."""

    def __init__(self, message: str, *, problems: list[str] | None = None):
        self.message = message
        self.problems = problems or []
        super().__init__(message)


# Fields the village may fill, per step of the form.
DECEASED_FIELDS = [
    "deceased_nik",
    "deceased_name",
    "deceased_sex",
    "deceased_birth_date",
    "death_date",
    "death_certificate_date",
    "death_place",
    "deceased_kk",
    "deceased_address",
]
HEIR_FIELDS = [
    "heir_nik",
    "heir_name",
    "heir_relation",
    "heir_phone",
    "heir_address",
    "payout_method",
    "bank_name",
    "bank_account",
    "bank_account_holder",
    "notes",
]
EDITABLE_FIELDS = DECEASED_FIELDS + HEIR_FIELDS
REQUIRED_FIELDS = [
    "deceased_nik",
    "deceased_name",
    "deceased_sex",
    "deceased_birth_date",
    "death_date",
    "deceased_kk",
    "deceased_address",
    "heir_nik",
    "heir_name",
    "heir_relation",
    "heir_phone",
    "payout_method",
]
TRANSFER_FIELDS = ["bank_name", "bank_account", "bank_account_holder"]


def format_date(value: date) -> str:
    return formats.date_format(value, "j F Y")


# --- numbers ---------------------------------------------------------------------------


def next_in_sequence(*, key: str, year: int) -> int:
    """Take the next number of a gapless yearly sequence. Must run inside the caller's
    transaction: the locked row serialises concurrent callers, and a rollback gives
    the number back."""
    YearlySequence.objects.get_or_create(key=key, year=year)
    seq = YearlySequence.objects.select_for_update().get(key=key, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


def practice_number(claim: Claim) -> str:
    """A practice claim's number: its own word and id, never a number of the real
    sequence (SKM-…), so it can be neither mistaken for nor take the place of one."""
    return f"LATIHAN-{claim.pk}"


def policy_on(day: date) -> BenefitPolicy:
    try:
        return policy_in_force(day)
    except NoPolicy as error:
        raise ClaimError(error.message) from None


def claim_policy(claim: Claim) -> BenefitPolicy:
    """The policy whose rules this claim follows (santunan.rules.policy_for)."""
    try:
        return policy_for(claim)
    except NoPolicy as error:
        raise ClaimError(error.message) from None


# The first migration's policy: Batang's rules, the starting point of every database.
SEED_POLICY_NAME = "Santunan kematian Kabupaten Batang"
DEFAULT_POLICY_FROM = date(2017, 1, 1)


def create_default_policy(*, regency_name: str) -> BenefitPolicy | None:
    """The policy a newly set-up regency starts from: Batang's figures (Rp1.000.000,
    60 days, 3 working days) under the regency's name, for the administrator to edit
    before the first claim. The migration's seed, while no claim uses it, is that
    starting point and takes the regency's name. Returns the row created or renamed,
    or None when the regency already has its policy."""
    # A stored name, in the regulation's language whatever the interface speaks.
    name = f"Santunan kematian {regency_name}"
    with transaction.atomic():
        policies = list(BenefitPolicy.objects.select_for_update())
        if not policies:
            return BenefitPolicy.objects.create(
                name=name, effective_from=DEFAULT_POLICY_FROM, amount=1_000_000
            )
        seed = policies[0]
        if (
            len(policies) == 1
            and seed.name == SEED_POLICY_NAME
            and seed.name != name
            and not Claim.objects.filter(policy=seed).exists()
        ):
            seed.name = name
            seed.save(update_fields=["name"])
            return seed
        return None


# --- audit -------------------------------------------------------------------------------


def record_event(
    *,
    claim: Claim,
    actor,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    ip: str | None = None,
    data: dict | None = None,
) -> ClaimEvent:
    from santunan import hooks

    event = ClaimEvent.objects.create(
        claim=claim,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        client_ip=ip,
        data=data or {},
    )
    # A practice claim (mode latihan) has no side effects: no message, webhook or
    # dashboard count follows its events, so nobody but its official learns of it.
    if not claim.is_practice:
        for hook in hooks.ON_EVENT:
            hook(event)
    return event


def lock_claim(claim_id: int) -> Claim:
    """The claim row, locked until the surrounding transaction ends. Practice claims
    too (Claim.all_objects): the practice pages run these same services; callers reach
    a claim id through claim_for_user or the practice pages, and a practice claim's
    transitions allow its own official only (santunan.models._practising)."""
    try:
        return Claim.all_objects.select_for_update().get(pk=claim_id)
    except Claim.DoesNotExist:
        raise ClaimError(_("Klaim tidak ditemukan.")) from None


def apply_transition(
    *,
    claim: Claim,
    user,
    action: str,
    reason: str = "",
    ip: str | None = None,
    data: dict | None = None,
    expected_status: str | None = None,
) -> ClaimEvent:
    """Run the @transition method `action` on a claim locked by the caller, save it and
    append the audit event. Tells the user plainly when someone else acted first."""
    if expected_status and claim.status != expected_status:
        raise ClaimError(
            _(
                'Klaim %(number)s sudah berubah menjadi "%(status)s" oleh pengguna lain; '
                "muat ulang halaman untuk melihat keadaannya sekarang."
            )
            % {"number": claim, "status": claim.get_status_display()}
        )
    method = getattr(claim, action)
    if not can_proceed(method):
        raise ClaimError(
            _('Tindakan ini tidak dapat dilakukan pada klaim berstatus "%(status)s".')
            % {"status": claim.get_status_display()}
        )
    if not has_transition_perm(method, user):
        raise ClaimError(
            _("Anda tidak berwenang melakukan tindakan ini pada klaim %(number)s.")
            % {"number": claim}
        )
    from_status = claim.status
    method()
    # The "completed by the village" mark speaks of documents that arrived since the
    # last step; the step taken now has seen them.
    claim.documents_completed_at = None
    stamp_progress(claim, from_status=from_status)
    claim.save()
    return record_event(
        claim=claim,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=claim.status,
        reason=reason,
        ip=ip,
        data=data,
    )


def _require_reason(reason: str, *, reader: str = "village") -> str:
    reason = (reason or "").strip()
    if problem := length_problem(reason, label=_("Alasan"), limit=REASON_MAX):
        raise ClaimError(problem)
    if len(reason) < 5:
        if reader == "verifier":
            raise ClaimError(
                _(
                    "Tuliskan alasannya (paling sedikit 5 huruf) agar verifikator tahu apa "
                    "yang harus diperiksa lagi."
                )
            )
        raise ClaimError(
            _(
                "Tuliskan alasannya (paling sedikit 5 huruf) agar desa tahu apa yang harus dilakukan."
            )
        )
    return reason


# --- village: drafts, documents, submission --------------------------------------------


# Names travel into the bank file and the registry reports (see santunan.spreadsheets).
NAME_FIELDS = {"deceased_name", "heir_name", "bank_account_holder", "death_place"}
NUMBER_FIELDS = {"deceased_nik", "heir_nik", "deceased_kk", "bank_account"}
NIK_LABELS = {
    "deceased_nik": gettext_lazy("NIK almarhum"),
    "heir_nik": gettext_lazy("NIK ahli waris"),
}


def _clean_value(field: str, value):
    """Every caller (forms, imports, commands, a future API) reaches the claim through
    here, so numbers take their one normal form here too; a NIK that is not 16 ASCII
    digits is refused before the database's check constraint would fail loudly."""
    if isinstance(value, str):
        value = value.strip()
    if field in NUMBER_FIELDS and value:
        value = normalise_number(value)
    if field in NIK_LABELS and value:
        if problem := digits_problem(value, label=str(NIK_LABELS[field]), length=16):
            raise ClaimError(problem)
    if field in NAME_FIELDS and value and (problem := name_problem(value)):
        raise ClaimError(problem)
    if field == "heir_phone" and value:
        # Stored as E.164 whatever path wrote it, so messages reach the right number.
        from santunan.phones import phone_problem, to_e164

        value = to_e164(normalise_number(value))
        if value is None:
            raise ClaimError(phone_problem())
    model_field = Claim._meta.get_field(field)
    if isinstance(value, str) and (
        problem := length_problem(
            value, label=capfirst(model_field.verbose_name), limit=model_field.max_length
        )
    ):
        raise ClaimError(problem)
    if isinstance(value, date) and (problem := date_problem(value)):
        raise ClaimError(problem)
    return value


def create_claim(*, user, data: dict, ip: str | None = None) -> Claim:
    """Start a draft for the operator's own desa."""
    assignment = getattr(user, "operator_assignment", None)
    if assignment is None or not has_role(user, Role.OPERATOR_DESA):
        raise ClaimError(_("Hanya operator desa yang dapat membuat klaim."))
    with transaction.atomic():
        claim = Claim(desa_id=assignment.desa_id, created_by=user)
        for field in EDITABLE_FIELDS:
            if field in data:
                setattr(claim, field, _clean_value(field, data[field]))
        _check_payout_method(claim)
        claim.save()
        record_event(claim=claim, actor=user, action="create", to_status=claim.status, ip=ip)
    return claim


def _is_village_of(user, claim: Claim) -> bool:
    """Whether the user speaks for the claim's village: its desa's operator, or, on a
    practice claim, the official practising on it (who plays the village there)."""
    if claim.is_practice:
        return claim.practice_of_id == user.pk
    assignment = getattr(user, "operator_assignment", None)
    return assignment is not None and assignment.desa_id == claim.desa_id


def update_claim(*, user, claim_id: int, data: dict, ip: str | None = None) -> Claim:
    """Save a step of the form; only drafts and returned claims of one's own desa."""
    with transaction.atomic():
        claim = lock_claim(claim_id)
        if not _is_village_of(user, claim):
            raise ClaimError(_("Klaim ini bukan milik desa Anda."))
        if not claim.is_editable:
            raise ClaimError(
                _('Klaim berstatus "%(status)s" tidak dapat diubah.')
                % {"status": claim.get_status_display()}
            )
        changed = []
        for field in EDITABLE_FIELDS:
            if field in data:
                value = _clean_value(field, data[field])
                if getattr(claim, field) != value:
                    setattr(claim, field, value)
                    changed.append(field)
        if "payout_method" in changed:
            _check_payout_method(claim)
        if changed:
            claim.save()
            # Field names only: the audit trail must not copy personal data around.
            record_event(claim=claim, actor=user, action="update", ip=ip, data={"fields": changed})
    return claim


def _check_payout_method(claim: Claim) -> None:
    """Only the payout methods the claim's policy offers may be chosen."""
    if claim.payout_method and (
        problem := payout_problem(claim.payout_method, claim_policy(claim))
    ):
        raise ClaimError(problem)


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


def sniff_document(upload: UploadedFile) -> str:
    """The document's real type from its first bytes, not from its name."""
    max_bytes = getattr(settings, "MAX_DOCUMENT_BYTES", MAX_DOCUMENT_BYTES)
    if upload.size > max_bytes:
        raise ClaimError(
            _('Berkas "%(name)s" terlalu besar (%(size).1f MB); paling besar %(max)d MB.')
            % {"name": upload.name, "size": upload.size / 1048576, "max": max_bytes // 1048576}
        )
    if upload.size == 0:
        raise ClaimError(_('Berkas "%(name)s" kosong.') % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            try:
                if content_type.startswith("image/"):
                    check_image(upload)
                else:
                    check_pdf(upload)
            except UploadRefused as refused:
                raise ClaimError(str(refused)) from None
            return content_type
    raise ClaimError(
        _('Berkas "%(name)s" bukan PDF, JPEG atau PNG. Foto atau pindai dokumennya lagi.')
        % {"name": upload.name}
    )


def attach_document(
    *, user, claim_id: int, kind: str, upload: UploadedFile, ip: str | None = None
) -> ClaimDocument:
    """Store a document for an editable claim of the operator's desa; a document of the
    same kind is superseded, not deleted."""
    if kind not in DocumentKind.values:
        raise ClaimError(_("Jenis dokumen tidak dikenal."))
    content_type = sniff_document(upload)  # before any write: a refused file stores nothing
    digest = upload_sha256(upload)
    with transaction.atomic():
        claim = lock_claim(claim_id)
        if not _is_village_of(user, claim):
            raise ClaimError(_("Klaim ini bukan milik desa Anda."))
        if not claim.is_editable:
            raise ClaimError(
                _('Dokumen klaim berstatus "%(status)s" tidak dapat diubah.')
                % {"status": claim.get_status_display()}
            )
        if kind not in offered_kinds(claim, claim_policy(claim)):
            raise ClaimError(
                _('Dokumen "%(doc)s" tidak diminta untuk klaim ini menurut kebijakan yang berlaku.')
                % {"doc": DocumentKind(kind).label}
            )
        return _store_document(
            claim=claim,
            user=user,
            kind=kind,
            upload=upload,
            content_type=content_type,
            digest=digest,
            ip=ip,
        )


def _store_document(
    *,
    claim: Claim,
    user,
    kind: str,
    upload: UploadedFile,
    content_type: str,
    digest: str,
    ip: str | None,
    action: str = "attach_document",
) -> ClaimDocument:
    """Store one checked upload on a claim locked by the caller: the current document of
    that kind is superseded (kept, no longer counted) and the audit event written."""
    claim.documents.filter(kind=kind, superseded=False).update(superseded=True)
    document = ClaimDocument(
        claim=claim,
        kind=kind,
        content_type=content_type,
        size=upload.size,
        sha256=digest,
        original_name=(upload.name or "")[:200],
        uploaded_by=user,
    )
    document.file.save("upload", upload, save=False)
    try:
        document.save()
        record_event(
            claim=claim,
            actor=user,
            action=action,
            ip=ip,
            data={"kind": kind, "document": document.pk},
        )
    except Exception:
        # The rows roll back; do not leave the stored file behind.
        document.file.delete(save=False)
        raise
    return document


def late_document_kinds(claim: Claim) -> list[str]:
    """The documents the village may still add to a claim Dinas Sosial holds: those the
    rules require and no current document provides (a registry check after submission
    asked for them). Empty for a claim in any other state."""
    if claim.status not in LATE_DOCUMENT_STATUSES:
        return []
    return [kind for requirement in missing_documents(claim) for kind in requirement.kinds]


def complete_documents(
    *, user, claim_id: int, uploads: dict[str, UploadedFile], ip: str | None = None
) -> list[ClaimDocument]:
    """The village adds the required documents a claim lacks while Dinas Sosial holds it,
    without the claim going back: it stays in the verifier's (or approver's) queue,
    marked as completed by the village, and the registry check runs again once the
    documents are committed (the same hooks as after a submission, once per call however
    many documents came). Any other kind is refused: the file Dinas Sosial is reading
    must not change under it."""
    if not uploads:
        raise ClaimError(_("Pilih dulu berkas dokumen yang akan diunggah."))
    if unknown := [kind for kind in uploads if kind not in DocumentKind.values]:
        raise ClaimError(
            _("Jenis dokumen tidak dikenal: %(kinds)s.") % {"kinds": ", ".join(unknown)}
        )
    # Every file checked before any write: one refused file stores none of them.
    checked = {
        kind: (upload, sniff_document(upload), upload_sha256(upload))
        for kind, upload in uploads.items()
    }
    with transaction.atomic():
        claim = lock_claim(claim_id)
        if not _is_village_of(user, claim):
            raise ClaimError(_("Klaim ini bukan milik desa Anda."))
        if claim.status not in LATE_DOCUMENT_STATUSES:
            raise ClaimError(
                _('Dokumen klaim berstatus "%(status)s" tidak dapat diubah.')
                % {"status": claim.get_status_display()}
            )
        wanted = late_document_kinds(claim)
        if refused := [kind for kind in checked if kind not in wanted]:
            raise ClaimError(
                _(
                    "Klaim %(number)s sedang diperiksa Dinas Sosial: hanya dokumen wajib yang "
                    "belum ada yang dapat ditambahkan (%(wanted)s). %(refused)s tidak dapat "
                    "diunggah sekarang."
                )
                % {
                    "number": claim,
                    "wanted": ", ".join(str(DocumentKind(k).label) for k in wanted) or "-",
                    "refused": ", ".join(str(DocumentKind(k).label) for k in refused),
                }
            )
        documents = []
        try:
            for kind, (upload, content_type, digest) in checked.items():
                documents.append(
                    _store_document(
                        claim=claim,
                        user=user,
                        kind=kind,
                        upload=upload,
                        content_type=content_type,
                        digest=digest,
                        ip=ip,
                    )
                )
            claim.documents_completed_at = timezone.now()
            claim.save(update_fields=["documents_completed_at", "updated_at"])
            record_event(
                claim=claim,
                actor=user,
                action="complete_documents",
                ip=ip,
                data={"kinds": list(checked)},
            )
        except Exception:
            # The rows roll back; the files stored before the failure go too.
            for document in documents:
                document.file.delete(save=False)
            raise
        if not claim.is_practice:
            transaction.on_commit(lambda: _after_submit(claim.pk))
    return documents


# "Not looked up yet": the default of `other_active` below, as None means "none found".
_LOOK_UP = object()


def deceased_problems(
    claim: Claim, *, today: date | None = None, other_active=_LOOK_UP
) -> list[str]:
    """What about the death itself keeps the claim from ever being submitted: the
    submission deadline has passed, or the deceased already has an active claim.
    Checked as soon as step 1 is saved, so the village learns it before collecting
    documents, and again on submit (the same function, through submission_problems)."""
    today = today or timezone.localdate()
    problems = []
    # The deadline binds the first submission only: a claim returned for correction
    # is resubmitted under its original date (the policy's rule, e.g. Batang: 60 days
    # from the death; elsewhere 30 working days, or counted from the akta kematian).
    if claim.first_submitted_at is None:
        try:
            policy = policy_on(today)
        except ClaimError as error:
            problems.append(error.message)
        else:
            problems.extend(_deadline_problems(claim, policy, today))
    if claim.deceased_nik:
        # A list page looks the other claims up for all its rows at once
        # (selectors.other_active_claims); anything else asks here.
        other = other_active
        if other is _LOOK_UP:
            other = Claim.objects.active_for_nik(claim.deceased_nik).exclude(pk=claim.pk).first()
        if other:
            problems.append(existing_claim_message(other))
    return problems


def _deadline_problems(claim: Claim, policy: BenefitPolicy, today: date) -> list[str]:
    certificate = claim.death_certificate_date
    if certificate and claim.death_date and certificate < claim.death_date:
        return [_("Tanggal akta kematian tidak boleh sebelum tanggal meninggal.")]
    deadline = claim_deadline(claim, policy)
    if deadline is None or today <= deadline or (claim.death_date and claim.death_date > today):
        return []
    if policy.counts_from_certificate:
        return [
            _(
                "Batas pengajuan sudah lewat: klaim dengan akta kematian tanggal %(start)s "
                "harus diajukan paling lambat %(deadline)s."
            )
            % {"start": format_date(certificate), "deadline": format_date(deadline)}
        ]
    return [
        _(
            "Batas pengajuan sudah lewat: klaim untuk kematian tanggal %(death)s "
            "harus diajukan paling lambat %(deadline)s."
        )
        % {"death": format_date(claim.death_date), "deadline": format_date(deadline)}
    ]


def submission_problems(
    claim: Claim, *, today: date | None = None, other_active=_LOOK_UP
) -> list[str]:
    """Everything that keeps this claim from being submitted, in plain words.
    Shown to the village as 'what is missing' and checked again on submit."""
    today = today or timezone.localdate()
    problems = deceased_problems(claim, today=today, other_active=other_active)
    labels = {f.name: f.verbose_name for f in Claim._meta.fields}
    policy = policy_or_none(claim)
    required = REQUIRED_FIELDS + (
        TRANSFER_FIELDS if claim.payout_method == Claim.PayoutMethod.TRANSFER else []
    )
    if policy and policy.counts_from_certificate:
        required = required + ["death_certificate_date"]
    for field in required:
        if getattr(claim, field) in ("", None):
            problems.append(_("%(field)s belum diisi.") % {"field": capfirst(labels[field])})
    for field, label in (("deceased_nik", _("NIK almarhum")), ("heir_nik", _("NIK ahli waris"))):
        value = getattr(claim, field)
        if claim.is_practice and is_practice_number(value):
            # A practice NIK's region is the reserved 00.00.00 (santunan.identity).
            continue
        if value and (problem := nik_problem(value, label=label)):
            problems.append(problem)
    if claim.deceased_kk and not (len(claim.deceased_kk) == 16 and claim.deceased_kk.isdigit()):
        problems.append(_("Nomor KK harus 16 angka."))
    if claim.deceased_nik and claim.deceased_nik == claim.heir_nik:
        problems.append(_("NIK ahli waris tidak boleh sama dengan NIK almarhum."))
    if claim.death_date:
        if claim.death_date > today:
            problems.append(_("Tanggal meninggal tidak boleh di masa depan."))
        if claim.deceased_birth_date and claim.death_date < claim.deceased_birth_date:
            problems.append(_("Tanggal meninggal tidak boleh sebelum tanggal lahir."))
    if claim.deceased_birth_date and claim.deceased_birth_date > today:
        problems.append(_("Tanggal lahir tidak boleh di masa depan."))
    if claim.death_certificate_date and claim.death_certificate_date > today:
        problems.append(_("Tanggal akta kematian tidak boleh di masa depan."))
    if policy and (problem := payout_problem(claim.payout_method, policy)):
        problems.append(problem)
    if claim.payout_method == Claim.PayoutMethod.TRANSFER and claim.bank_account:
        lengths = settings.BANK_ACCOUNT_LENGTHS
        if not claim.bank_account.isdigit() or not (
            lengths[0] <= len(claim.bank_account) <= lengths[1]
        ):
            problems.append(
                _("Nomor rekening harus %(min)d–%(max)d angka.")
                % {"min": lengths[0], "max": lengths[1]}
            )
    if not claim.desa.code.startswith(current_regency().code + "."):
        problems.append(_("Desa almarhum tidak berada di kabupaten ini."))
    problems.extend(document_problems(claim))
    return problems


def claim_warnings(claim: Claim) -> list[str]:
    """Things the verifier should look at but that do not block the claim."""
    warnings = []
    nik = claim.deceased_nik
    if nik and nik_problem(nik) is None:
        encoded = nik_birth_date(nik)
        if claim.deceased_birth_date and encoded and encoded != claim.deceased_birth_date:
            warnings.append(
                _(
                    "Tanggal lahir %(stated)s berbeda dengan tanggal dalam NIK (%(nik)s). "
                    "NIK tetap berlaku; periksa KTP/KK."
                )
                % {"stated": format_date(claim.deceased_birth_date), "nik": format_date(encoded)}
            )
        if claim.deceased_sex and nik_sex(nik) != claim.deceased_sex:
            warnings.append(_("Jenis kelamin berbeda dengan yang tersirat dalam NIK."))
    return warnings


def existing_claim_message(claim: Claim) -> str:
    return _(
        "Almarhum dengan NIK ini sudah punya klaim %(number)s dari %(desa)s (status: %(status)s)."
    ) % {"number": claim.number, "desa": claim.desa, "status": claim.get_status_display()}


def submit_claim(*, user, claim_id: int, ip: str | None = None) -> Claim:
    """Send a draft or a corrected claim to Dinas Sosial."""
    today = timezone.localdate()
    with transaction.atomic():
        claim = lock_claim(claim_id)
        if claim.status == Status.SUBMITTED:
            # A double-clicked submit: the first click already did the work.
            raise ClaimError(_("Klaim %(number)s sudah diajukan.") % {"number": claim})
        # One rule: the review page shows exactly these problems (deadline and an
        # active claim elsewhere included), so it never promises what submit refuses.
        problems = submission_problems(claim, today=today)
        if problems:
            raise ClaimError(_("Klaim belum dapat diajukan."), problems=problems)
        first_time = claim.first_submitted_at is None
        now = timezone.now()
        if first_time:
            # Locked until commit: the administration refuses to change a policy's rules
            # once a claim uses it, and must see this claim when it checks.
            policy = BenefitPolicy.objects.select_for_update().get(pk=policy_on(today).pk)
            claim.policy, claim.amount = policy, policy.amount
            claim.number = (
                # A practice claim takes no number of the gapless yearly sequence.
                practice_number(claim)
                if claim.is_practice
                else f"SKM-{today.year}-{next_in_sequence(key='claim', year=today.year):06d}"
            )
            claim.first_submitted_at = now
        claim.submitted_at = now
        claim.due_date = add_working_days(today, claim.policy.service_days)
        claim.last_reason = ""
        try:
            # The partial unique index is the last word when two villages submit the
            # same deceased at the same moment.
            with transaction.atomic():
                apply_transition(
                    claim=claim,
                    user=user,
                    action="submit",
                    ip=ip,
                    data={"resubmission": not first_time},
                )
        except IntegrityError:
            other = Claim.objects.active_for_nik(claim.deceased_nik).exclude(pk=claim.pk).first()
            raise ClaimError(
                existing_claim_message(other)
                if other
                else _("Klaim tidak dapat disimpan; coba lagi.")
            ) from None
        if not claim.is_practice:
            transaction.on_commit(lambda: _after_submit(claim.pk))
    return claim


def _after_submit(claim_id: int) -> None:
    """Side effects once a submission is committed (registry cross-check)."""
    from santunan import hooks

    for hook in hooks.AFTER_SUBMIT:
        hook(claim_id)


def _limit_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if problem := length_problem(reason, label=_("Alasan"), limit=REASON_MAX):
        raise ClaimError(problem)
    return reason


def cancel_claim(*, user, claim_id: int, reason: str = "", ip: str | None = None) -> Claim:
    reason = _limit_reason(reason)
    with transaction.atomic():
        claim = lock_claim(claim_id)
        apply_transition(claim=claim, user=user, action="cancel", reason=reason.strip(), ip=ip)
    return claim


# --- Dinas Sosial ------------------------------------------------------------------------


def verify_claim(
    *,
    user,
    claim_id: int,
    ip: str | None = None,
    override_reason: str = "",
    expected_status: str | None = None,
) -> Claim:
    from santunan import hooks

    override_reason = _limit_reason(override_reason)
    with transaction.atomic():
        claim = lock_claim(claim_id)
        _require_documents(
            claim,
            user,
            "verify",
            _(
                "Klaim %(number)s belum dapat diverifikasi: dokumen wajib belum lengkap. "
                "Kembalikan klaim ke desa dengan alasan itu."
            )
            % {"number": claim},
        )
        data = {}
        # The registries are never asked about a practice claim (no check was queued).
        for check in [] if claim.is_practice else hooks.BEFORE_VERIFY:
            data.update(check(claim=claim, user=user, override_reason=override_reason) or {})
        claim.verified_by, claim.verified_at = user, timezone.now()
        # An approver's reason for sending the claim back has been answered.
        claim.last_reason = ""
        apply_transition(
            claim=claim,
            user=user,
            action="verify",
            ip=ip,
            reason=override_reason.strip(),
            data=data,
            expected_status=expected_status,
        )
    return claim


def _require_documents(claim: Claim, user, action: str, message: str) -> None:
    """Refuse a decision while a document that registry findings made required is
    missing: the money must not go out on a file the rules call incomplete. The usual
    documents were checked on submission and cannot be removed since; these may be
    added by a check after it. Asked only when the transition is otherwise allowed, so
    a wrong state or role keeps its own message (apply_transition)."""
    method = getattr(claim, action)
    if not (can_proceed(method) and has_transition_perm(method, user)):
        return
    extra = set(claim.extra_required_documents or [])
    if missing := [r for r in missing_documents(claim) if extra & set(r.kinds)]:
        raise ClaimError(message, problems=document_problems(claim, missing=missing))


def return_claim(
    *, user, claim_id: int, reason: str, ip: str | None = None, expected_status: str | None = None
) -> Claim:
    reason = _require_reason(reason)
    with transaction.atomic():
        claim = lock_claim(claim_id)
        claim.last_reason = reason
        claim.verified_by, claim.verified_at = None, None
        apply_transition(
            claim=claim,
            user=user,
            action="return_to_village",
            reason=reason,
            ip=ip,
            expected_status=expected_status,
        )
    return claim


def reject_claim(
    *, user, claim_id: int, reason: str, ip: str | None = None, expected_status: str | None = None
) -> Claim:
    reason = _require_reason(reason)
    with transaction.atomic():
        claim = lock_claim(claim_id)
        claim.last_reason = reason
        apply_transition(
            claim=claim,
            user=user,
            action="reject",
            reason=reason,
            ip=ip,
            expected_status=expected_status,
        )
    return claim


def approve_claim(
    *, user, claim_id: int, ip: str | None = None, expected_status: str | None = None
) -> Claim:
    with transaction.atomic():
        claim = lock_claim(claim_id)
        # Four eyes, except in practice, where the official plays both parts.
        if (
            claim.status == Status.VERIFIED
            and claim.verified_by_id == user.pk
            and not claim.is_practice
        ):
            raise ClaimError(
                _("Klaim %(number)s Anda verifikasi sendiri; persetujuan harus oleh pejabat lain.")
                % {"number": claim}
            )
        # A registry re-check may require a document after verification.
        _require_documents(
            claim,
            user,
            "approve",
            _(
                "Klaim %(number)s belum dapat disetujui: dokumen wajib belum lengkap. "
                "Verifikator dapat mengembalikannya ke desa."
            )
            % {"number": claim},
        )
        claim.approved_by, claim.approved_at = user, timezone.now()
        apply_transition(
            claim=claim, user=user, action="approve", ip=ip, expected_status=expected_status
        )
    return claim


def send_back_claim(
    *, user, claim_id: int, reason: str, ip: str | None = None, expected_status: str | None = None
) -> Claim:
    """The approver sends a verified claim back to the verifier's queue with a reason
    (the verification must be looked at again, not the village's file). The claim is
    submitted once more, its verification cleared, so the next verification may be by
    anyone; the service promise keeps its date: the office's own second look does not
    buy it more time."""
    reason = _require_reason(reason, reader="verifier")
    with transaction.atomic():
        claim = lock_claim(claim_id)
        if (
            claim.status == Status.VERIFIED
            and claim.verified_by_id == user.pk
            and not claim.is_practice
        ):
            raise ClaimError(
                _("Klaim %(number)s Anda verifikasi sendiri; pejabat lain yang memutuskannya.")
                % {"number": claim}
            )
        claim.last_reason = reason
        claim.verified_by, claim.verified_at = None, None
        apply_transition(
            claim=claim,
            user=user,
            action="send_back",
            reason=reason,
            ip=ip,
            expected_status=expected_status,
        )
    return claim


@dataclass
class BulkResult:
    done: list[Claim]
    refused: list[tuple[int, str]]


def approve_claims(*, user, claim_ids: Iterable[int], ip: str | None = None) -> BulkResult:
    """Approve many claims; each is its own transaction and its own audit event, so one
    refused claim does not hold back the others."""
    result = BulkResult(done=[], refused=[])
    for claim_id in dict.fromkeys(claim_ids):
        try:
            result.done.append(
                approve_claim(user=user, claim_id=claim_id, ip=ip, expected_status=Status.VERIFIED)
            )
        except ClaimError as error:
            result.refused.append((claim_id, error.message))
    return result


__all__ = [
    "ACTIVE_STATUSES",
    "BulkResult",
    "ClaimError",
    "apply_transition",
    "approve_claim",
    "approve_claims",
    "attach_document",
    "cancel_claim",
    "claim_policy",
    "complete_documents",
    "claim_warnings",
    "create_claim",
    "deceased_problems",
    "document_problems",
    "document_reasons",
    "late_document_kinds",
    "lock_claim",
    "missing_documents",
    "next_in_sequence",
    "policy_on",
    "record_event",
    "reject_claim",
    "required_documents",
    "return_claim",
    "send_back_claim",
    "submission_problems",
    "submit_claim",
    "update_claim",
    "verify_claim",
]
