"""The public page behind each letter's QR code."""

import pytest
from django.urls import reverse
from django.utils import timezone

from santunan.finance.documents import ensure_document, make_token
from santunan.finance.services import create_batch, set_budget, sign_batch
from santunan.models import DocumentType


@pytest.fixture
def kuitansi(approve, bendahara):
    set_budget(user=bendahara, year=timezone.localdate().year, allocation=10_000_000)
    claim = approve()
    batch = create_batch(user=bendahara, claim_ids=[claim.pk])
    return ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=claim.pk)


def page(client, token):
    return client.get(reverse("finance_public:verify", args=[token]))


def test_a_valid_token_shows_number_date_amount_status_and_the_masked_heir(client, kuitansi):
    token = make_token(kuitansi.pk, kuitansi.input_hash)

    response = page(client, token)  # anonymous: no login needed

    assert response.status_code == 200
    body = response.content.decode()
    assert "Dokumen sah" in body
    assert kuitansi.number in body
    assert "Rp1.000.000" in body
    assert "Dijadwalkan bayar" in body
    assert "S*** A*****" in body
    assert "Siti Aminah" not in body and "3325014507800002" not in body


def test_the_qr_code_url_is_the_verification_page(kuitansi, settings):
    from santunan.finance.documents import verify_url

    url = verify_url(make_token(kuitansi.pk, kuitansi.input_hash))

    assert url.startswith(settings.PUBLIC_BASE_URL + "/cek-surat/")


def test_an_altered_token_is_not_valid(client, kuitansi):
    token = make_token(kuitansi.pk, kuitansi.input_hash)
    other = make_token(kuitansi.pk + 1, kuitansi.input_hash)
    # Another document's id and hash under this token's MAC, and this token with one
    # character of its MAC changed.
    forged = other.rsplit(".", 1)[0] + "." + token.rsplit(".", 1)[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")

    for altered in (forged, flipped):
        body = page(client, altered).content.decode()

        assert "Dokumen tidak sah" in body
        assert kuitansi.number not in body


def test_the_token_is_short_enough_for_a_small_qr_code(kuitansi):
    import segno

    from santunan.finance.documents import verify_url

    url = verify_url(make_token(kuitansi.pk, kuitansi.input_hash))

    assert segno.make(url, error="m", boost_error=False).version <= 5


def test_a_token_of_the_earlier_signed_format_still_verifies(client, kuitansi):
    from django.core import signing

    from santunan.finance.documents import TOKEN_SALT

    old = signing.dumps({"d": kuitansi.pk, "h": kuitansi.input_hash[:20]}, salt=TOKEN_SALT)

    assert "Dokumen sah" in page(client, old).content.decode()
    assert (
        "Dokumen tidak sah"
        in page(client, old[:-1] + ("x" if old[-1] != "x" else "y")).content.decode()
    )


def test_an_unknown_token_is_not_valid(client, db):
    assert "Dokumen tidak sah" in page(client, "bukan-token-apa-pun").content.decode()
    assert "Dokumen tidak sah" in page(client, make_token(987654, "0" * 64)).content.decode()


def test_a_printout_made_before_its_data_changed_no_longer_verifies(client, kuitansi, bendahara):
    old_token = make_token(kuitansi.pk, kuitansi.input_hash)
    batch = sign_batch(
        user=bendahara,
        batch_id=kuitansi.batch_id,
        signer_name="Drs. Bambang Wijaya",
        signer_nip="197501012000031001",
    )
    current = ensure_document(batch=batch, kind=DocumentType.RECEIPT, claim_id=kuitansi.claim_id)

    assert "sudah berubah" in page(client, old_token).content.decode()
    assert (
        "Dokumen sah" in page(client, make_token(current.pk, current.input_hash)).content.decode()
    )


def test_the_check_page_offers_a_form_for_the_printed_code(client, db):
    response = client.get(reverse("finance_public:code"))  # anonymous

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="kode"' in body and "ketik kode yang tercetak di bawahnya" in body


def test_typing_the_printed_code_leads_to_its_verification_page(client, kuitansi):
    token = make_token(kuitansi.pk, kuitansi.input_hash)

    response = client.get(reverse("finance_public:code"), {"kode": f"  {token} "}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("finance_public:verify", args=[token])
    assert "Dokumen sah" in response.content.decode()


def test_the_whole_printed_address_may_be_typed_even_where_it_wrapped(client, kuitansi):
    from santunan.finance.documents import verify_url

    token = make_token(kuitansi.pk, kuitansi.input_hash)
    url = verify_url(token)
    wrapped = url[:30] + "\n" + url[30:]

    response = client.get(reverse("finance_public:code"), {"kode": wrapped})

    assert response.url == reverse("finance_public:verify", args=[token])


def test_a_mistyped_code_is_explained_on_the_form(client, kuitansi):
    token = make_token(kuitansi.pk, kuitansi.input_hash)

    response = client.get(reverse("finance_public:code"), {"kode": token.upper()})

    assert response.status_code == 200
    assert "Kode ini tidak dikenal" in response.content.decode()


def test_the_printed_code_names_no_one(kuitansi):
    token = make_token(kuitansi.pk, kuitansi.input_hash)
    claim = kuitansi.claim

    for personal in (claim.heir_name, claim.deceased_name, claim.heir_nik, claim.deceased_nik):
        assert personal.lower() not in token.lower()
    assert claim.number not in token
