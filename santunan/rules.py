"""What a claim's policy asks of it: which documents, which payout methods, the
submission deadline. One place, read by the claim pages, the services that check a
claim, the registry check and the reminders, so a regency's rules live in its
BenefitPolicy rows and never in code.

A claim follows the policy it was first submitted under (`Claim.policy`); a draft
follows the policy in force today, the one its submission would take."""

from dataclasses import dataclass
from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from santunan.calendar import submission_deadline
from santunan.models import DEATH_DOCUMENTS, BenefitPolicy, Claim, DocumentKind
from villages.selectors import request_cache


class NoPolicy(Exception):
    """No policy is in force on a day; the message is shown to the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _policy_memo() -> dict:
    """Policies read in this request, by ("day", date) and ("pk", id). A claim is
    checked by the form, the service, the requirements and the deadline in one request;
    each used to read the policy again. Outside a request nothing is kept; a write to
    any policy empties the memo (forget_policies)."""
    cache = request_cache()
    if cache is None:
        return {}
    return cache.setdefault("policies", {})


def forget_policies(**_kwargs) -> None:
    """Connected to BenefitPolicy's save and delete (SantunanConfig.ready)."""
    cache = request_cache()
    if cache is not None:
        cache.pop("policies", None)


def policy_in_force(day: date) -> BenefitPolicy:
    memo = _policy_memo()
    policy = memo.get(("day", day))
    if policy is None:
        policy = (
            BenefitPolicy.objects.filter(effective_from__lte=day)
            .order_by("-effective_from")
            .first()
        )
        if policy is not None:
            memo[("day", day)] = memo[("pk", policy.pk)] = policy
    if policy is None:
        raise NoPolicy(
            _("Belum ada kebijakan santunan yang berlaku pada %(day)s.")
            % {"day": formats.date_format(day, "j F Y")}
        )
    return policy


def policy_for(claim: Claim) -> BenefitPolicy:
    """The policy whose rules apply to this claim now."""
    if claim.policy_id:
        memo, key = _policy_memo(), ("pk", claim.policy_id)
        if Claim.policy.is_cached(claim):
            memo.setdefault(key, claim.policy)
        else:
            if key not in memo:
                memo[key] = BenefitPolicy.objects.get(pk=claim.policy_id)
            claim.policy = memo[key]
        return claim.policy
    return policy_in_force(timezone.localdate())


def either_of(words: list[str]) -> str:
    """ "a", "a atau b", "a, b atau c"."""
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s atau %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


# --- documents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """A required document: any one of `kinds` satisfies it (two kinds when the policy
    lets the village death letter and the akta kematian stand in for each other)."""

    kinds: tuple[str, ...]

    def met_by(self, present: set[str]) -> bool:
        return any(kind in present for kind in self.kinds)

    @property
    def label(self) -> str:
        labels = [str(DocumentKind(kind).label) for kind in self.kinds]
        return either_of(labels)


def document_requirements(claim: Claim, policy: BenefitPolicy) -> list[Requirement]:
    """The documents this claim must bring under `policy`: the policy's required ones
    (the bank book only when paid by transfer), then those registry findings added."""
    kinds = [str(kind) for kind in policy.required_documents]
    if claim.payout_method != Claim.PayoutMethod.TRANSFER:
        kinds = [kind for kind in kinds if kind != DocumentKind.BANK_BOOK]
    kinds += [str(kind) for kind in claim.extra_required_documents or [] if kind not in kinds]
    requirements, either = [], policy.death_documents_either
    for kind in kinds:
        if either and kind in DEATH_DOCUMENTS:
            requirement = Requirement(tuple(str(k) for k in DEATH_DOCUMENTS))
        else:
            requirement = Requirement((kind,))
        if requirement not in requirements:
            requirements.append(requirement)
    return requirements


def required_kinds(claim: Claim, policy: BenefitPolicy) -> list[str]:
    """Every kind that is required, alone or as one of a pair."""
    return [kind for r in document_requirements(claim, policy) for kind in r.kinds]


def offered_kinds(claim: Claim, policy: BenefitPolicy) -> list[str]:
    """The kinds the documents step offers, required ones first, then the optional."""
    kinds = required_kinds(claim, policy)
    for kind in map(str, policy.optional_documents):
        # A bank book is no use to a claim paid in cash.
        cash = claim.payout_method != Claim.PayoutMethod.TRANSFER
        if kind not in kinds and not (cash and kind == DocumentKind.BANK_BOOK):
            kinds.append(kind)
    return kinds


def policy_or_none(claim: Claim) -> BenefitPolicy | None:
    # Pages still open without a policy in force; the deadline check says what is wrong.
    try:
        return policy_for(claim)
    except NoPolicy:
        return None


def required_documents(claim: Claim) -> list[str]:
    """Every document kind the claim's policy and registry findings require (the two
    proofs of death both listed when either one will do)."""
    policy = policy_or_none(claim)
    if policy is None:
        return [str(kind) for kind in claim.extra_required_documents or []]
    return required_kinds(claim, policy)


def missing_documents(claim: Claim) -> list[Requirement]:
    """The requirements no current document meets."""
    policy = policy_or_none(claim)
    if policy is None:
        requirements = [Requirement((str(k),)) for k in claim.extra_required_documents or []]
    else:
        requirements = document_requirements(claim, policy)
    prefetched = getattr(claim, "current_documents", None)  # selectors.with_current_documents
    if prefetched is not None:
        present = {document.kind for document in prefetched}
    else:
        present = set(claim.documents.filter(superseded=False).values_list("kind", flat=True))
    return [r for r in requirements if not r.met_by(present)]


def document_reasons(claim: Claim) -> dict[str, list[str]]:
    """Why each document beyond the usual ones is required, in words for the village:
    registry findings add them (through hooks.DOCUMENT_REASONS, so santunan does not
    import dinsos_sync). A kind required without a known reason still gets one line, so
    the village is never asked for a document without being told why."""
    from santunan import hooks

    extra = [str(kind) for kind in claim.extra_required_documents or []]
    if not extra:
        return {}
    reasons: dict[str, list[str]] = {kind: [] for kind in extra}
    for explain in hooks.DOCUMENT_REASONS:
        for kind, lines in (explain(claim) or {}).items():
            for line in lines:
                if kind in reasons and line not in reasons[kind]:
                    reasons[kind].append(line)
    for lines in reasons.values():
        if not lines:
            lines.append(_("Diminta Dinas Sosial setelah pemeriksaan data registri."))
    return reasons


def document_problems(claim: Claim, *, missing: list[Requirement] | None = None) -> list[str]:
    """One line per missing required document, with the reason it is required when a
    registry finding asked for it."""
    missing = missing_documents(claim) if missing is None else missing
    reasons = document_reasons(claim)
    problems = []
    for requirement in missing:
        label = requirement.label
        why = [line for kind in requirement.kinds for line in reasons.get(kind, [])]
        if why:
            problems.append(
                _('Dokumen "%(doc)s" belum diunggah. Diperlukan karena: %(why)s')
                % {"doc": label, "why": " ".join(why)}
            )
        else:
            problems.append(_('Dokumen "%(doc)s" belum diunggah.') % {"doc": label})
    return problems


# --- payout --------------------------------------------------------------------------------


def payout_choices(policy: BenefitPolicy) -> list[tuple[str, str]]:
    offered = policy.payout_methods
    return [(value, label) for value, label in Claim.PayoutMethod.choices if value in offered]


def payout_problem(method: str, policy: BenefitPolicy) -> str | None:
    if method and method not in policy.payout_methods:
        offered = ", ".join(str(label) for _value, label in payout_choices(policy))
        return _(
            'Cara pembayaran "%(method)s" tidak tersedia menurut kebijakan yang berlaku; '
            "pilih: %(offered)s."
        ) % {"method": Claim.PayoutMethod(method).label, "offered": offered}
    return None


# --- deadline ------------------------------------------------------------------------------


def deadline_start(claim: Claim, policy: BenefitPolicy) -> date | None:
    """The day the policy counts the deadline from, or None while it is not known."""
    if policy.counts_from_certificate:
        return claim.death_certificate_date
    return claim.death_date


def claim_deadline(claim: Claim, policy: BenefitPolicy) -> date | None:
    start = deadline_start(claim, policy)
    return submission_deadline(policy, start) if start else None


def deadline_words(policy: BenefitPolicy) -> str:
    """The rule in a sentence, e.g. "60 hari sejak tanggal meninggal"."""
    unit = _("hari kerja") if policy.deadline_in_working_days else _("hari")
    return _("%(days)d %(unit)s sejak %(start)s") % {
        "days": policy.deadline_days,
        "unit": unit,
        "start": policy.get_deadline_from_display(),
    }


# --- checking a policy before it is saved ----------------------------------------------------

# The rules a policy holds; once claims were submitted under it, they no longer change.
RULE_FIELDS = (
    "effective_from",
    "amount",
    "deadline_days",
    "deadline_in_working_days",
    "deadline_from",
    "required_documents",
    "optional_documents",
    "death_documents_either",
    "cash_offered",
    "transfer_offered",
    "poor_decile_max",
    "sktm_accepted",
    "service_days",
)


def policy_problems(policy: BenefitPolicy) -> dict[str, list[str]]:
    """What makes a policy unusable, by field, in words for the administrator."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    required = [str(k) for k in policy.required_documents or []]
    optional = [str(k) for k in policy.optional_documents or []]
    known = set(DocumentKind.values)
    for field, kinds in (("required_documents", required), ("optional_documents", optional)):
        if unknown := [k for k in kinds if k not in known]:
            add(field, _("Jenis dokumen tidak dikenal: %(kinds)s.") % {"kinds": ", ".join(unknown)})
    if not required:
        add(
            "required_documents",
            _(
                "Pilih paling sedikit satu dokumen wajib; klaim tanpa dokumen tidak dapat diperiksa."
            ),
        )
    if both := [k for k in required if k in optional and k in known]:
        add(
            "optional_documents",
            _("%(docs)s sudah wajib; hapus centangnya dari dokumen pilihan.")
            % {"docs": ", ".join(str(DocumentKind(k).label) for k in both)},
        )
    if policy.death_documents_either and not set(required) & set(DEATH_DOCUMENTS):
        add(
            "death_documents_either",
            _(
                "Centang surat keterangan kematian dari desa atau akta kematian sebagai "
                "dokumen wajib agar salah satunya dapat menggantikan yang lain."
            ),
        )
    if not (policy.cash_offered or policy.transfer_offered):
        add(
            "transfer_offered",
            _("Pilih paling sedikit satu cara pembayaran: tunai atau transfer bank."),
        )
    if DocumentKind.BANK_BOOK in required and not policy.transfer_offered:
        add(
            "required_documents",
            _("Buku tabungan hanya diminta untuk transfer, padahal transfer tidak ditawarkan."),
        )
    if not policy.amount:
        add("amount", _("Besaran santunan harus lebih dari Rp0."))
    if not policy.deadline_days:
        add("deadline_days", _("Batas pengajuan paling sedikit 1 hari."))
    if not policy.service_days:
        add("service_days", _("Janji layanan paling sedikit 1 hari kerja."))
    if not 1 <= (policy.poor_decile_max or 0) <= 10:
        add("poor_decile_max", _("Desil DTSEN berkisar 1 sampai 10."))
    return problems


def service_days_in(first: date, last: date) -> list[int]:
    """The service promises (working days) of the policies in force on some day from
    `first` to `last`, for the figures that speak of "the" promise."""
    policies = list(
        BenefitPolicy.objects.order_by("effective_from").values_list(
            "effective_from", "service_days"
        )
    )
    days = set()
    for i, (start, service_days) in enumerate(policies):
        end = policies[i + 1][0] if i + 1 < len(policies) else None
        if start <= last and (end is None or end > first):
            days.add(service_days)
    return sorted(days)


def promise_words(first: date, last: date) -> str:
    """E.g. "diputus dalam 3 hari kerja", or, across policies, "3 atau 5 hari kerja"."""
    days = service_days_in(first, last)
    if not days:
        return _("diputus sebelum batas layanan")
    return _("diputus dalam %(days)s hari kerja") % {"days": either_of([str(d) for d in days])}


def offered_payout_methods() -> set[str]:
    """The payout methods any policy offers: claims under older policies included."""
    methods = set()
    for cash, transfer in BenefitPolicy.objects.values_list("cash_offered", "transfer_offered"):
        if cash:
            methods.add(Claim.PayoutMethod.CASH.value)
        if transfer:
            methods.add(Claim.PayoutMethod.TRANSFER.value)
    return methods
