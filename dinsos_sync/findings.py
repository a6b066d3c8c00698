"""What the registries say about one claim, as findings a verifier can read. Pure
logic: the registry records and the other claims come in, findings come out, and
`services.check_claims` stores them."""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dinsos_sync.matching import name_similarity, normalise_name
from dinsos_sync.records import Person
from santunan.identity import nik_birth_date, nik_problem
from santunan.models import ACTIVE_STATUSES, Claim, DocumentKind, Status

BLOCKER, WARNING, INFO = "blocker", "warning", "info"

# Findings whose presence makes documents required (issue 4): the verifier judges a
# household not in the social registry by its SKTM and a photo of the house, and an
# heir outside the deceased's KK by a signed statement. Where the claim's policy does
# not accept an SKTM (BenefitPolicy.sktm_accepted), the household findings take their
# "_no_sktm" codes instead, which ask for no document: the registry decides.
EXTRA_DOCUMENTS = {
    "household_not_poor": [DocumentKind.SKTM, DocumentKind.HOUSE_PHOTO],
    "household_not_listed": [DocumentKind.SKTM, DocumentKind.HOUSE_PHOTO],
    "heir_not_in_kk": [DocumentKind.HEIR_STATEMENT],
    "heir_not_found": [DocumentKind.HEIR_STATEMENT],
    # Without a social registry, poverty can only be judged from the documents.
    "social_unavailable": [DocumentKind.SKTM, DocumentKind.HOUSE_PHOTO],
}

# Why those documents are asked for, in words for the village: the finding itself,
# without the registry's data (deciles, names), which is for Dinas Sosial alone.
DOCUMENT_REASONS = {
    "household_not_poor": _("Rumah tangga almarhum tidak tercatat miskin di DTKS/DTSEN."),
    "household_not_listed": _("Almarhum tidak terdaftar di DTKS/DTSEN."),
    "heir_not_in_kk": _("Ahli waris tidak tercatat dalam KK almarhum."),
    "heir_not_found": _("NIK ahli waris tidak ditemukan di registri."),
    "social_unavailable": _(
        "Data DTKS/DTSEN belum dapat diperiksa, sehingga kemiskinan dinilai dari dokumen."
    ),
}

MESSAGES = {
    "not_in_population": _(
        "NIK almarhum tidak ditemukan di data Dukcapil. Periksa KTP/KK; mungkin NIK salah ketik."
    ),
    "name_differs": _(
        'Nama di %(registry)s "%(registry_name)s" berbeda dengan nama di klaim '
        '"%(claim_name)s" (kemiripan %(score)d%%).'
    ),
    "birth_date_differs": _(
        "Tanggal lahir di %(registry)s %(registry_date)s, di klaim %(claim_date)s, "
        "menurut NIK %(nik_date)s."
    ),
    "outside_regency": _(
        "Menurut %(registry)s almarhum tidak berdomisili di kabupaten ini "
        "(kode desa %(desa_code)s)."
    ),
    "death_date_differs": _(
        "Dukcapil mencatat kematian pada %(registry_date)s, klaim menyebut %(claim_date)s."
    ),
    "death_not_recorded": _(
        "Dukcapil belum mencatat kematian almarhum. Setelah santunan dibayar, "
        "kematian ini dilaporkan ke Dukcapil."
    ),
    "household_not_poor": _(
        "Rumah tangga almarhum tidak termasuk miskin menurut DTKS/DTSEN (desil "
        "%(decile)s, batas desil %(max_decile)d). SKTM dan foto rumah wajib "
        "diunggah."
    ),
    "household_not_listed": _(
        "Almarhum tidak terdaftar di DTKS/DTSEN. SKTM dan foto rumah wajib diunggah."
    ),
    "heir_not_in_kk": _(
        "Ahli waris tidak tercatat dalam KK almarhum. Surat pernyataan ahli waris wajib diunggah."
    ),
    "heir_not_found": _(
        "NIK ahli waris tidak ditemukan di registri. Surat pernyataan ahli waris wajib diunggah."
    ),
    "other_claim": _("Sudah ada klaim lain untuk NIK ini: %(number)s (status: %(status)s)."),
    "earlier_claim": _("Pernah ada klaim untuk NIK ini: %(number)s (status: %(status)s)."),
    "possible_duplicate": _(
        "Klaim %(number)s untuk orang dengan nama dan tanggal lahir yang sama "
        "tetapi NIK berbeda (status: %(status)s)."
    ),
    "population_unavailable": _(
        "Registri kependudukan (Dukcapil) belum tersedia; periksa NIK, KK dan surat "
        "kematian secara manual."
    ),
    "social_unavailable": _(
        "Registri sosial (DTKS/DTSEN) belum tersedia; periksa SKTM dan foto rumah secara manual."
    ),
    "household_not_poor_no_sktm": _(
        "Rumah tangga almarhum tidak termasuk miskin menurut DTKS/DTSEN (desil "
        "%(decile)s, batas desil %(max_decile)d), dan kebijakan yang berlaku tidak "
        "menerima SKTM sebagai gantinya."
    ),
    "household_not_listed_no_sktm": _(
        "Almarhum tidak terdaftar di DTKS/DTSEN, dan kebijakan yang berlaku tidak "
        "menerima SKTM sebagai gantinya."
    ),
    "social_unavailable_no_sktm": _(
        "Registri sosial (DTKS/DTSEN) belum tersedia, dan kebijakan yang berlaku tidak "
        "menerima SKTM; periksa kemiskinan secara manual."
    ),
    "stale_record": _(
        "Data %(registry)s sudah berumur %(months)d bulan (diperbarui %(updated)s); "
        "keadaan terkini mungkin berbeda."
    ),
}


def finding_message(code: str, params: dict) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    if "status" in params:
        # Stored as the status code so the sentence follows the reader's language.
        params = {**params, "status": dict(Status.choices).get(params["status"], params["status"])}
    try:
        return gettext(str(template)) % params if params else gettext(str(template))
    except (KeyError, TypeError, ValueError):
        return gettext(str(template).split("%(")[0])


@dataclass
class Found:
    code: str
    severity: str
    params: dict = field(default_factory=dict)


# What the check reads of a claim, fetched as plain values (no model instances).
CLAIM_FIELDS = (
    "pk",
    "deceased_nik",
    "deceased_name",
    "deceased_birth_date",
    "death_date",
    "deceased_kk",
    "heir_nik",
    "policy__poor_decile_max",
    "policy__sktm_accepted",
)


class ClaimFacts(NamedTuple):
    pk: int
    deceased_nik: str
    deceased_name: str
    deceased_birth_date: date | None
    death_date: date | None
    deceased_kk: str
    heir_nik: str
    poor_decile_max: int | None = None
    sktm_accepted: bool | None = None


@dataclass
class OtherClaim:
    pk: int
    number: str
    status: str
    nik: str
    name_key: str
    birth_date: date | None


@dataclass
class Evidence:
    """Everything the check of one claim looks at."""

    deceased_population: Person | None
    deceased_social: Person | None
    heir_population: Person | None = None
    heir_social: Person | None = None
    population_received: date | None = None
    social_received: date | None = None
    others: list[OtherClaim] = field(default_factory=list)
    # False when the regency has no such registry at all (no API, no snapshot loaded):
    # then its silence means nothing and the verifier checks the documents by hand.
    population_known: bool = True
    social_known: bool = True


@dataclass
class Rules:
    regency_code: str
    poor_decile_max: int
    name_min_score: int
    stale_months: int
    today: date
    # The claim policy's poverty test: is an SKTM accepted in place of the registry?
    sktm_accepted: bool = True


def _day(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


def _months_between(earlier: date, later: date) -> int:
    return (
        (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)
    )


def evaluate(claim: Claim | ClaimFacts, evidence: Evidence, rules: Rules) -> list[Found]:
    found: list[Found] = []
    pop, soc = evidence.deceased_population, evidence.deceased_social
    if not evidence.population_known:
        found.append(Found("population_unavailable", INFO))
    elif pop is None:
        found.append(Found("not_in_population", BLOCKER))
    # Dukcapil is the authority on identity; the social registry stands in when the
    # person is missing there, so the verifier still sees what is known.
    reference, registry = (pop, "Dukcapil") if pop else (soc, "DTKS/DTSEN")
    if reference:
        score = name_similarity(reference.name, claim.deceased_name)
        if score < rules.name_min_score:
            found.append(
                Found(
                    "name_differs",
                    WARNING,
                    {
                        "registry": registry,
                        "registry_name": reference.name,
                        "claim_name": claim.deceased_name,
                        "score": score,
                    },
                )
            )
        if reference.birth_date and reference.birth_date != claim.deceased_birth_date:
            nik_date = (
                nik_birth_date(claim.deceased_nik) if not nik_problem(claim.deceased_nik) else None
            )
            found.append(
                Found(
                    "birth_date_differs",
                    WARNING,
                    {
                        "registry": registry,
                        "registry_date": _day(reference.birth_date),
                        "claim_date": _day(claim.deceased_birth_date),
                        "nik_date": _day(nik_date),
                    },
                )
            )
        if reference.desa_code and not reference.desa_code.startswith(rules.regency_code + "."):
            found.append(
                Found(
                    "outside_regency",
                    BLOCKER,
                    {"registry": registry, "desa_code": reference.desa_code},
                )
            )
    if pop:
        if pop.alive is False and pop.death_date and pop.death_date != claim.death_date:
            found.append(
                Found(
                    "death_date_differs",
                    WARNING,
                    {"registry_date": _day(pop.death_date), "claim_date": _day(claim.death_date)},
                )
            )
        elif pop.alive:
            found.append(Found("death_not_recorded", INFO))
    if evidence.social_known:
        found.extend(_household(soc, rules))
    else:
        found.append(
            Found(
                "social_unavailable" if rules.sktm_accepted else "social_unavailable_no_sktm", INFO
            )
        )
    found.extend(_heir(claim, evidence, reference))
    found.extend(_other_claims(claim, evidence.others))
    found.extend(_staleness(evidence, soc, rules))
    return found


def _household(soc: Person | None, rules: Rules) -> list[Found]:
    # With an SKTM accepted, the verifier weighs it (a warning); without, the registry
    # has the last word (a blocker, which only a written override passes).
    suffix, severity = ("", WARNING) if rules.sktm_accepted else ("_no_sktm", BLOCKER)
    if soc is None:
        return [Found("household_not_listed" + suffix, severity)]
    if soc.dtks or (soc.decile is not None and soc.decile <= rules.poor_decile_max):
        return []
    return [
        Found(
            "household_not_poor" + suffix,
            severity,
            {
                "decile": soc.decile if soc.decile is not None else "—",
                "max_decile": rules.poor_decile_max,
            },
        )
    ]


def _heir(claim, evidence: Evidence, reference: Person | None) -> list[Found]:
    if not claim.heir_nik:
        return []
    heir = evidence.heir_population or evidence.heir_social
    if heir is None:
        # Only the population registry knows everyone; the social one lists the poor.
        return [Found("heir_not_found", WARNING)] if evidence.population_known else []
    # The KK number changes when the head of the family dies: the deceased's number in
    # the registry and the one on the claim both count as "the same family".
    family = {kk for kk in (reference.kk if reference else "", claim.deceased_kk) if kk}
    if heir.kk not in family:
        return [Found("heir_not_in_kk", WARNING)]
    return []


def _other_claims(claim, others: list[OtherClaim]) -> list[Found]:
    found = []
    name_key = normalise_name(claim.deceased_name) if others else ""
    for other in others:
        if other.pk == claim.pk or other.status in {Status.DRAFT, Status.CANCELLED}:
            continue
        params = {"number": other.number or "—", "status": other.status}
        if other.nik == claim.deceased_nik:
            if other.status in ACTIVE_STATUSES:
                found.append(Found("other_claim", BLOCKER, params))
            else:
                found.append(Found("earlier_claim", INFO, params))
        elif (
            other.status in ACTIVE_STATUSES
            and other.birth_date == claim.deceased_birth_date
            and other.name_key == name_key
        ):
            found.append(Found("possible_duplicate", WARNING, params))
    return found


def _staleness(evidence: Evidence, soc: Person | None, rules: Rules) -> list[Found]:
    found = []
    dated = [
        ("DTKS/DTSEN", (soc.updated_on if soc else None) or evidence.social_received),
        ("Dukcapil", evidence.population_received),
    ]
    for registry, updated in dated:
        if updated and _months_between(updated, rules.today) > rules.stale_months:
            found.append(
                Found(
                    "stale_record",
                    INFO,
                    {
                        "registry": registry,
                        "months": _months_between(updated, rules.today),
                        "updated": _day(updated),
                    },
                )
            )
    return found


def extra_documents(found: list[Found]) -> list[str]:
    kinds: list[str] = []
    for item in found:
        for kind in EXTRA_DOCUMENTS.get(item.code, []):
            if kind not in kinds:
                kinds.append(str(kind))
    return kinds
