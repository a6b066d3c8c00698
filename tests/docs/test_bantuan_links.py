"""Every page has a "Bantuan" link to the guide section that explains it for the reader's
role (config/help.py): a sweep of each role's pages checks the link leads to a guide
that exists and to a heading that guide really has."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from config.help import GUIDES, PUBLIC_PAGES, guides_url
from tests.conftest import pass_second_factor
from tests.docs.conftest import GUIDES as GUIDE_FOLDER
from tests.docs.conftest import guide_sections, sample_kwargs
from villages.roles import Role

pytestmark = pytest.mark.django_db

BANTUAN = re.compile(r'<a[^>]*href="([^"]+)"[^>]*>\s*Bantuan\s*</a>')


def bantuan_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    links = BANTUAN.findall(response.content.decode())
    assert len(links) == 1, (url, links)
    return links[0]


def guide_and_anchor(link: str) -> tuple[str, str]:
    """("operator-desa", "mengajukan-klaim") from
    /panduan/panduan/operator-desa/#mengajukan-klaim, after checking that the guide file
    and (if any) the heading exist."""
    parts = urlsplit(link)
    assert parts.path.startswith(guides_url()), link
    slug = parts.path.removeprefix(guides_url()).strip("/")
    assert (GUIDE_FOLDER / f"{slug}.md").is_file(), link
    if parts.fragment:
        assert parts.fragment in guide_sections(slug), link
    return slug, parts.fragment


def logged_in(user) -> Client:
    from accounts.policy import needs_second_factor

    client = Client()
    client.force_login(user)
    if needs_second_factor(user):
        pass_second_factor(client, user)
    return client


def test_the_login_page_points_at_the_operators_first_login(db):
    link = bantuan_of(Client(), reverse("login"))

    assert guide_and_anchor(link) == ("operator-desa", "masuk-pertama-kali")


def test_the_pages_before_login_point_at_the_operators_sections(db):
    forgot = bantuan_of(Client(), reverse("accounts:forgot"))
    activate = bantuan_of(Client(), reverse("accounts:activate"))

    assert guide_and_anchor(forgot) == ("operator-desa", "lupa-kata-sandi")
    assert guide_and_anchor(activate) == ("operator-desa", "masuk-pertama-kali")


def test_each_roles_pages_point_at_the_section_that_explains_them(demo):
    for role, guide in GUIDES.items():
        client = logged_in(demo[role])
        # Before login, and between password and code, the reader has no role yet.
        seen = PUBLIC_PAGES | {"accounts:verify"}
        for anchor, pages in guide.sections.items():
            for page in pages:
                if not page.bantuan or page.url_name in seen:
                    continue
                seen.add(page.url_name)
                url = reverse(page.url_name, kwargs=sample_kwargs(page.sample, demo[role]))

                link = bantuan_of(client, url)

                assert guide_and_anchor(link) == (guide.slug, anchor), url


def test_a_page_no_section_explains_points_at_the_top_of_the_roles_guide(demo):
    client = logged_in(demo[Role.BENDAHARA])

    link = bantuan_of(client, reverse("api_tokens:list"))

    assert guide_and_anchor(link) == ("bendahara", "")


def test_the_administration_pages_have_the_link_too(demo):
    client = logged_in(demo[Role.ADMINISTRATOR])

    link = bantuan_of(client, reverse("admin:auth_user_changelist"))

    assert guide_and_anchor(link) == ("administrator", "akun-dan-peran")


def test_an_error_page_points_at_the_guides_front_page():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")

    assert BANTUAN.findall(page) == [reverse("docs_site")]
