"""What a new installation still lacks before its letters and deadlines are right: the
administrator's first-run checklist, and the subset the treasurer's pages warn about
(what would print as a blank name or "Kode rekening: -").

Reads only; each step says where it is put right."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from office.models import BudgetAccount, Letterhead, Official
from office.selectors import head_on, treasurer_on


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    detail: str  # what is there, or what is missing
    url: str  # where to put it right ("" when the administrator cannot)
    link: str  # the link's words


def _letterhead(day: date) -> Step:
    row = Letterhead.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    return Step(
        key="letterhead",
        label=_("Identitas kantor (kop surat)"),
        done=row is not None,
        detail=row.office if row else _("Belum diisi: surat memakai nama bawaan instalasi."),
        url=reverse("villages:setup"),
        link=_("Isi identitas kantor"),
    )


def _officials(day: date) -> Step:
    head, treasurer = head_on(day), treasurer_on(day)
    missing = [
        str(label)
        for person, label in (
            (head, Official.Position.HEAD.label),
            (treasurer, Official.Position.TREASURER.label),
        )
        if person is None
    ]
    return Step(
        key="officials",
        label=_("Bendahara dan kepala kantor"),
        done=not missing,
        detail=_("Belum ada: %(who)s.") % {"who": ", ".join(missing)}
        if missing
        else f"{head.name} · {treasurer.name}",
        url=reverse("villages:setup"),
        link=_("Isi pejabat"),
    )


def _budget_account(year: int) -> Step:
    code = BudgetAccount.objects.filter(year=year).values_list("code", flat=True).first()
    return Step(
        key="budget_account",
        label=_("Kode rekening tahun %(year)s") % {"year": year},
        done=bool(code),
        detail=code or _('Belum diisi: kuitansi mencetak "Kode rekening: -".'),
        url=reverse("admin:office_budgetaccount_add") + f"?year={year}",
        link=_("Isi kode rekening"),
    )


def _policy(day: date) -> Step:
    from santunan.models import BenefitPolicy
    from santunan.services import SEED_POLICY_NAME
    from villages.selectors import current_regency

    policy = (
        BenefitPolicy.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    )
    # The seeded policy carries a placeholder name, not the regulation it applies.
    placeholders = {SEED_POLICY_NAME, f"Santunan kematian {current_regency().name}"}
    done = policy is not None and policy.name.strip() not in placeholders
    if policy is None:
        detail = _("Belum ada kebijakan yang berlaku.")
        url = reverse("admin:santunan_benefitpolicy_add")
    else:
        detail = (
            policy.name
            if done
            else _("Masih bernama bawaan “%(name)s”; tuliskan peraturan bupati/wali kota-nya.")
            % {"name": policy.name}
        )
        url = reverse("admin:santunan_benefitpolicy_change", args=[policy.pk])
    return Step(
        key="policy",
        label=_("Dasar hukum kebijakan santunan"),
        done=done,
        detail=detail,
        url=url,
        link=_("Ubah kebijakan"),
    )


def _holidays(year: int) -> Step:
    from santunan.models import Holiday

    count = Holiday.objects.filter(date__year=year).count()
    return Step(
        key="holidays",
        label=_("Hari libur tahun %(year)s") % {"year": year},
        done=count > 0,
        detail=_("%(count)d hari tercatat.") % {"count": count}
        if count
        else _("Belum ada: batas waktu hari kerja menghitung hari libur sebagai hari kerja."),
        url=reverse("admin:santunan_holiday_changelist"),
        link=_("Lihat hari libur"),
    )


def _registries(user) -> Step:
    from dinsos_sync.models import Snapshot, Source

    loaded = set(
        Snapshot.objects.filter(status=Snapshot.Status.ACTIVE).values_list("source", flat=True)
    )
    missing = [str(label) for value, label in Source.choices if value not in loaded]
    may_load = user.has_perm("dinsos_sync.import_registry")
    return Step(
        key="registries",
        label=_("Data registri (DTKS/DTSEN dan Dukcapil)"),
        done=not missing,
        detail=_("Belum dimuat: %(which)s.") % {"which": ", ".join(missing)}
        if missing
        else _("Keduanya sudah dimuat."),
        url=reverse("dinsos_sync:home") if may_load else "",
        link=_("Muat data registri") if may_load else "",
    )


def _operators() -> Step:
    from villages.models import OperatorAssignment

    count = OperatorAssignment.objects.filter(user__is_active=True).count()
    return Step(
        key="operators",
        label=_("Operator desa"),
        done=count > 0,
        detail=_("%(count)d operator ditugaskan ke desa.") % {"count": count}
        if count
        else _("Belum ada operator desa: desa belum dapat mengajukan klaim."),
        url=reverse("admin:auth_user_add"),
        link=_("Buat akun operator"),
    )


def first_run_steps(*, user, day: date) -> list[Step]:
    """Every step of the administrator's checklist for `day`, in the order to do them."""
    return [
        _letterhead(day),
        _officials(day),
        _budget_account(day.year),
        _policy(day),
        _holidays(day.year),
        _registries(user),
        _operators(),
    ]


def letter_gaps(*, day: date, year: int, signer_recorded: bool = False) -> list[str]:
    """What letters dated `day` of budget year `year` would print blank: the head of
    office (unless the batch's signer is recorded), the treasurer, the kode rekening.
    Named for the treasurer's warning."""
    gaps = []
    if not signer_recorded and head_on(day) is None:
        gaps.append(_("nama dan NIP kepala kantor"))
    if treasurer_on(day) is None:
        gaps.append(_("nama dan NIP bendahara pengeluaran"))
    if not BudgetAccount.objects.filter(year=year).exists():
        gaps.append(_("kode rekening tahun %(year)s") % {"year": year})
    return gaps
