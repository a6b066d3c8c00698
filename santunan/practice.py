"""Mode latihan: an official rehearses a whole claim on practice data, from their own
account, without any chance of touching real work.

How practice is kept apart, by construction rather than by a filter to remember:

- `Claim.objects`, the default manager, holds real claims only (`is_practice=False`),
  so every worklist, report, export, count, API list and administration page built on
  it cannot show a practice claim. Only this module and the practice pages read
  `Claim.all_objects`.
- The claim's own rows (events, documents, access log) hang off the claim and are
  read through it; the administration's lists of them leave practice claims out.
- The services are the real ones (`santunan.services`), with the same state machine.
  For a practice claim they run none of the side effects hung on claim events
  (`hooks.ON_EVENT`: messages, webhooks, dashboard counts) nor the registry checks
  (`AFTER_SUBMIT`, `BEFORE_VERIFY`), so nothing leaves the practising official.
- Its transitions allow its official only, who plays every role of the rehearsal
  (village, verifier, approver); separation of duties is relaxed there and only there
  (`santunan.models._practising`). The payout transitions refuse a practice claim: it
  never reaches a batch, a payment, the budget, a bank file or the registry feedback.
- Its NIKs and KK number carry the reserved region code 00.00.00, which no real number
  has and which the real flow refuses; the one-claim-per-NIK constraint leaves practice
  claims out; its number is `LATIHAN-<id>`, not one of the gapless yearly sequence.
- Its printed letter is watermarked "LATIHAN — BUKAN DOKUMEN RESMI" on every page.

`reset_practice` deletes the official's practice claims with their rows and files."""

import io
import random
from datetime import date, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from santunan.identity import PRACTICE_PREFIX
from santunan.models import AccessLog, Claim, ClaimDocument, ClaimEvent, DocumentKind, Status
from santunan.rules import missing_documents
from santunan.services import ClaimError, attach_document, record_event
from villages.models import Desa
from villages.roles import Role, has_role
from villages.selectors import current_regency, desa_of_operator

# Who may practise: the officials who move a claim. The payout steps are not part of
# practice (see the module's docstring), but a treasurer may still rehearse the rest.
PRACTICE_ROLES = (Role.OPERATOR_DESA, Role.VERIFIKATOR, Role.APPROVER, Role.BENDAHARA)
# Enough to rehearse every path side by side; a reset clears them.
MAX_PRACTICE_CLAIMS = 10
WATERMARK = "LATIHAN — BUKAN DOKUMEN RESMI"
LETTER_CSS = Path(__file__).resolve().parents[1] / "templates" / "santunan" / "practice_letter.css"

# Demo people: common Javanese names of Batang, none tied to a real NIK.
DECEASED = [
    ("Sumarno", Claim.Sex.MALE),
    ("Tarsini", Claim.Sex.FEMALE),
    ("Casmadi", Claim.Sex.MALE),
    ("Rukiyah", Claim.Sex.FEMALE),
    ("Warsono", Claim.Sex.MALE),
]
HEIRS = ["Siti Aminah", "Slamet Riyadi", "Dwi Lestari", "Agus Santoso", "Nur Khasanah"]


def may_practise(user) -> bool:
    return user.is_authenticated and has_role(user, *PRACTICE_ROLES)


def _own(user) -> QuerySet[Claim]:
    return Claim.all_objects.filter(is_practice=True, practice_of_id=user.pk)


def practice_claims(user) -> QuerySet[Claim]:
    """This official's practice claims, newest first: the only door to them."""
    return _own(user).select_related("desa__kecamatan", "policy").order_by("-created_at", "-pk")


def practice_claim_for(user, pk: int) -> Claim:
    """One of this official's practice claims, else 404 (a real claim or someone
    else's practice claim looks like no claim at all)."""
    try:
        return practice_claims(user).get(pk=pk)
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _practice_nik(rng: random.Random, *, born: date, female: bool) -> str:
    day = born.day + (40 if female else 0)
    return f"{PRACTICE_PREFIX}{day:02d}{born:%m%y}{rng.randint(1, 9999):04d}"


def _practice_desa(user) -> Desa:
    """The operator's own desa (the claim reads as theirs); for Dinas Sosial, the
    regency's first desa. Which desa does not matter to real work: no list counts it."""
    desa = desa_of_operator(user)
    if desa is not None:
        return desa
    desa = (
        Desa.objects.filter(code__startswith=current_regency().code + ".", is_active=True)
        .order_by("code")
        .first()
    )
    if desa is None:
        raise ClaimError(_("Latihan belum dapat dimulai: data desa kabupaten ini belum dimuat."))
    return desa


def _phone_of(user) -> str:
    # The official's own number where they set one: a practice claim sends no message
    # at all, and if one ever did, it could reach nobody but them.
    preference = getattr(user, "preference", None)
    return (preference.phone if preference is not None else "") or "+6281100000000"


def _sample_image(kind: str) -> SimpleUploadedFile:
    """A placeholder scan: a plain card naming the document and saying it is practice."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), "#fff8e1")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 631, 391), outline="#b45309", width=6)
    draw.text((40, 60), "CONTOH DOKUMEN - LATIHAN", fill="#7c2d12", font_size=32)
    draw.text((40, 140), str(DocumentKind(kind).label), fill="#1f2937", font_size=28)
    draw.text((40, 300), "Bukan dokumen resmi", fill="#7c2d12", font_size=24)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"contoh-{kind}.png", out.getvalue(), content_type="image/png")


def start_practice_claim(*, user, ip: str | None = None) -> Claim:
    """A practice draft ready to submit: demo deceased and heir, sample scans of the
    documents the policy asks for, in the official's own desa (or the regency's first)."""
    if not may_practise(user):
        raise ClaimError(_("Mode latihan hanya untuk petugas yang menangani klaim."))
    rng = random.SystemRandom()
    today = timezone.localdate()
    name, sex = rng.choice(DECEASED)
    born = date(rng.randint(1940, 1965), rng.randint(1, 12), rng.randint(1, 28))
    heir_born = date(rng.randint(1970, 1995), rng.randint(1, 12), rng.randint(1, 28))
    with transaction.atomic():
        # Locks the official's rows (none or a few): two clicks at once cannot pass the cap.
        if len(_own(user).select_for_update().values_list("pk", flat=True)) >= MAX_PRACTICE_CLAIMS:
            raise ClaimError(
                _(
                    "Sudah ada %(count)d klaim latihan. Atur ulang latihan dulu untuk "
                    "memulai yang baru."
                )
                % {"count": MAX_PRACTICE_CLAIMS}
            )
        claim = Claim(
            is_practice=True,
            practice_of=user,
            created_by=user,
            desa=_practice_desa(user),
            deceased_nik=_practice_nik(rng, born=born, female=sex == Claim.Sex.FEMALE),
            deceased_name=name,
            deceased_sex=sex,
            deceased_birth_date=born,
            death_date=today - timedelta(days=2),
            death_place="Rumah",
            deceased_kk=f"{PRACTICE_PREFIX}{rng.randint(0, 10**10 - 1):010d}",
            deceased_address="Dukuh Contoh RT 001 RW 002",
            heir_nik=_practice_nik(rng, born=heir_born, female=False),
            heir_name=rng.choice(HEIRS),
            heir_relation=Claim.Relation.CHILD,
            heir_phone=_phone_of(user),
            heir_address="Dukuh Contoh RT 001 RW 002",
            payout_method=Claim.PayoutMethod.CASH,
            notes=_("Klaim latihan: data contoh."),
        )
        claim.save()
        record_event(claim=claim, actor=user, action="create", to_status=claim.status, ip=ip)
        for requirement in missing_documents(claim):
            attach_document(
                user=user,
                claim_id=claim.pk,
                kind=requirement.kinds[0],
                upload=_sample_image(requirement.kinds[0]),
                ip=ip,
            )
    return claim


def reset_practice(*, user) -> int:
    """Delete this official's practice claims, their events, documents, access log and
    stored files. Returns how many claims went. Real claims cannot be reached: the
    rows are chosen by is_practice and the official."""
    with transaction.atomic():
        claims = list(_own(user).select_for_update().values_list("pk", flat=True))
        documents = ClaimDocument.objects.filter(claim_id__in=claims)
        files = [d.file for d in documents if d.file]
        AccessLog.objects.filter(claim_id__in=claims).delete()
        ClaimEvent.objects.filter(claim_id__in=claims).delete()
        documents.delete()
        Claim.all_objects.filter(pk__in=claims, is_practice=True).delete()

        def delete_files():
            for stored in files:
                stored.delete(save=False)

        # Files go once the rows are gone for good; a rollback keeps both.
        transaction.on_commit(delete_files)
    return len(claims)


def practice_letter_pdf(claim: Claim) -> bytes:
    """The approval letter of an approved practice claim, watermarked on every page."""
    from weasyprint import CSS, HTML

    if not claim.is_practice:
        raise ClaimError(_("Hanya klaim latihan yang dicetak di sini."))
    if claim.status != Status.APPROVED:
        raise ClaimError(_("Surat latihan dapat dicetak setelah klaim latihan disetujui."))
    html = render_to_string(
        "santunan/practice_letter.html", {"claim": claim, "watermark": WATERMARK}
    )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(LETTER_CSS))])
