"""Where each role's guide (docs/panduan/) explains each page of the service.

One table serves two ends: the "Bantuan" link in every page's header points at the
section that explains the page for the reader's role, and tests/docs renders each
section's pages as that role to check that every button and menu the section names is
still there. A section lists the pages it explains by URL name, with the demo object the
page needs (`sample`, resolved by tests/docs/conftest.py) so the test can open it."""

from dataclasses import dataclass

from django.urls import reverse

from villages.roles import Role, roles_of


def site_url() -> str:
    """The documentation site, served by the service itself (config/docs_site.py)."""
    return reverse("docs_site")


def guides_url() -> str:
    """The role guides: docs/panduan/ of the site."""
    return site_url() + "panduan/"


@dataclass(frozen=True)
class Page:
    url_name: str
    # The demo object the page shows: "claim:<status>", "claim:late", "practice:<status>",
    # "batch:<method or status>", "cash:pending", "bank_result", "snapshot", "desa";
    # empty when the URL takes no argument.
    sample: str = ""
    # A page's Bantuan link points at the first section that lists it; False: this
    # section names some of the page's buttons but is not the one to point at.
    bantuan: bool = True


@dataclass(frozen=True)
class Guide:
    slug: str  # the file docs/panduan/<slug>.md
    title: str
    sections: dict[str, tuple[Page, ...]]  # heading anchor -> the pages it explains


CLAIM_STEPS = (
    Page("santunan:claim_new"),
    Page("santunan:claim_deceased", "claim:draft"),
    Page("santunan:claim_heir", "claim:draft"),
    Page("santunan:claim_documents", "claim:draft"),
    Page("santunan:claim_review", "claim:draft"),
)

# Mode latihan: one practice claim at each step, as the official plays every role.
PRACTICE = (
    Page("santunan:practice_home"),
    Page("santunan:practice_claim", "practice:draft"),
    Page("santunan:practice_claim", "practice:submitted"),
    Page("santunan:practice_claim", "practice:verified"),
    Page("santunan:practice_claim", "practice:approved"),
    Page("santunan:practice_claim", "practice:returned"),
)

GUIDES: dict[str, Guide] = {
    Role.OPERATOR_DESA: Guide(
        "operator-desa",
        "Panduan operator desa",
        {
            "masuk-pertama-kali": (
                Page("accounts:activate"),
                Page("login"),
                Page("santunan:desa_home", bantuan=False),
                Page("password_change"),
                Page("password_change_done"),
            ),
            "lupa-kata-sandi": (
                Page("login", bantuan=False),
                Page("accounts:forgot"),
                Page("accounts:forgot_code"),
            ),
            "mengajukan-klaim": CLAIM_STEPS,
            "melanjutkan-draf": (
                Page("santunan:desa_home", bantuan=False),
                Page("santunan:claim_review", "claim:draft", bantuan=False),
            ),
            "melengkapi-dokumen-yang-diminta": (
                Page("santunan:desa_home", bantuan=False),
                Page("santunan:claim_documents", "claim:late"),
            ),
            "memperbaiki-klaim-yang-dikembalikan": (
                Page("santunan:desa_home", bantuan=False),
                Page("santunan:claim_review", "claim:returned"),
            ),
            "melihat-status": (
                Page("santunan:desa_home"),
                Page("santunan:claim_detail", "claim:submitted"),
                Page("santunan:desa_statistics"),
            ),
            "mode-latihan": PRACTICE,
        },
    ),
    Role.VERIFIKATOR: Guide(
        "verifikator",
        "Panduan verifikator",
        {
            "masuk": (Page("login"), Page("password_change")),
            "antrean": (Page("santunan:verifikator_home"),),
            "memeriksa-klaim-dengan-registri": (
                Page("santunan:claim_detail", "claim:submitted"),
                Page("dinsos_sync:home"),
                Page("dinsos_sync:snapshot", "snapshot"),
            ),
            "memutuskan": (Page("santunan:claim_detail", "claim:submitted"),),
            "memverifikasi": (
                Page("santunan:claim_detail", "claim:submitted"),
                Page("santunan:claim_verify_confirm", "claim:submitted"),
            ),
            "mengembalikan": (Page("santunan:claim_detail", "claim:submitted"),),
            "menolak": (Page("santunan:claim_detail", "claim:submitted"),),
            "arsip-dan-dasbor": (
                Page("santunan:archive"),
                Page("reports:dashboard"),
                Page("reports:reports"),
            ),
            "mode-latihan": PRACTICE,
        },
    ),
    Role.APPROVER: Guide(
        "penyetuju",
        "Panduan pejabat penyetuju",
        {
            "masuk": (Page("login", bantuan=False), Page("accounts:verify")),
            "menyetujui": (Page("santunan:approver_home"),),
            "memeriksa-klaim": (Page("santunan:claim_detail", "claim:verified"),),
            "arsip-dan-dasbor": (
                Page("santunan:archive"),
                Page("reports:dashboard"),
                Page("reports:reports"),
            ),
        },
    ),
    Role.BENDAHARA: Guide(
        "bendahara",
        "Panduan bendahara",
        {
            "masuk": (Page("login", bantuan=False), Page("accounts:verify")),
            "pagu-anggaran": (Page("finance:home", bantuan=False), Page("finance:budget")),
            "membuat-batch": (
                Page("finance:home"),
                Page("finance:batch", "batch:drafted"),
                Page("finance:batch", "batch:signed"),
            ),
            "membayar-tunai": (
                Page("finance:batch", "batch:tunai"),
                Page("finance:cash_payment", "cash:pending"),
            ),
            "membayar-transfer": (Page("finance:batch", "batch:transfer"),),
            "rekonsiliasi": (
                Page("finance:batch", "batch:transfer"),
                Page("finance:bank_result_detail", "bank_result"),
                Page("finance:home", bantuan=False),
                Page("finance:reopen", "claim:payment_failed"),
                Page("finance:close", "batch:tunai"),
            ),
        },
    ),
    Role.ADMINISTRATOR: Guide(
        "administrator",
        "Panduan administrator",
        {
            "masuk": (
                Page("login", bantuan=False),
                Page("accounts:verify"),
                Page("admin:index", bantuan=False),
            ),
            "persiapan-kantor": (
                Page("office:checklist"),
                Page("villages:setup"),
            ),
            "akun-dan-peran": (
                Page("office:checklist", bantuan=False),
                Page("admin:index"),
                Page("admin:auth_user_changelist"),
                Page("admin:auth_user_add"),
                Page("admin:accounts_import_officials"),
            ),
            "wilayah": (
                Page("villages:list"),
                Page("villages:desa_detail", "desa"),
                Page("villages:setup"),
            ),
            "registri": (
                Page("office:checklist", bantuan=False),
                Page("admin:index", bantuan=False),
                Page("admin:dinsos_sync_snapshot_changelist"),
            ),
            "pemakaian": (Page("reports:dashboard"), Page("reports:usage")),
        },
    ),
}

# Before login the reader is most often a village operator (248 of them to a handful
# of office staff): the pages before login are explained in the operator's guide.
ANONYMOUS_GUIDE = Role.OPERATOR_DESA
ANONYMOUS_ANCHOR = "masuk-pertama-kali"
# The pages anyone can open without an account (the button check opens them so).
PUBLIC_PAGES = {"login", "accounts:activate", "accounts:forgot", "accounts:forgot_code"}


def guide_url(slug: str, anchor: str = "") -> str:
    return f"{guides_url()}{slug}/" + (f"#{anchor}" if anchor else "")


def help_url(user, url_name: str | None) -> str:
    """The guide section that explains page `url_name` ("app:name") to `user`: the first
    of the user's roles whose guide maps the page, else the top of their first role's
    guide, else the documentation's front page. Before login: the operator's guide."""
    if not user.is_authenticated:
        guide = GUIDES[ANONYMOUS_GUIDE]
        return guide_url(guide.slug, section_of(guide, url_name) or ANONYMOUS_ANCHOR)
    roles = [role for role in Role if role in roles_of(user)]
    for role in roles:
        if anchor := section_of(GUIDES[role], url_name):
            return guide_url(GUIDES[role].slug, anchor)
    return guide_url(GUIDES[roles[0]].slug) if roles else site_url()


def section_of(guide: Guide, url_name: str | None) -> str | None:
    """The anchor of the first section of `guide` that explains page `url_name`."""
    for anchor, pages in guide.sections.items():
        if any(page.url_name == url_name and page.bantuan for page in pages):
            return anchor
    return None


def help_link(request) -> dict:
    """Template context: `help_url`, the Bantuan link of the page being rendered."""
    match = getattr(request, "resolver_match", None)
    url_name = match.view_name if match else None
    return {"help_url": help_url(request.user, url_name)}
