"""The template tags the claim pages share."""

from santunan.models import Claim
from santunan.templatetags.santunan_tags import desa_options, payout_label


def test_desa_options_group_villages_by_kecamatan_and_mark_the_chosen_one():
    html = desa_options(
        [
            ("33.25.01.2001", "Kalisari", "Wonotunggal"),
            ("33.25.01.2002", "Brayo", "Wonotunggal"),
            ("33.25.02.2001", "Kambangan", "Bandar"),
        ],
        "33.25.01.2002",
    )

    assert html == (
        '<optgroup label="Wonotunggal">'
        '<option value="33.25.01.2001">Kalisari</option>'
        '<option value="33.25.01.2002" selected>Brayo</option>'
        "</optgroup>"
        '<optgroup label="Bandar"><option value="33.25.02.2001">Kambangan</option></optgroup>'
    )


def test_desa_options_escape_names_and_codes_as_django_does():
    html = desa_options([('1"><b>', "Sumber <script>'x'</script> & Co", 'Kec "A"')])

    assert html == (
        '<optgroup label="Kec &quot;A&quot;">'
        '<option value="1&quot;&gt;&lt;b&gt;">'
        "Sumber &lt;script&gt;&#x27;x&#x27;&lt;/script&gt; &amp; Co</option></optgroup>"
    )
    assert "<script>" not in html and "<b>" not in html


def test_payout_label_names_each_method_and_leaves_an_unknown_value_as_it_is():
    for method in Claim.PayoutMethod:
        assert payout_label(method.value) == method.label
    assert payout_label("") == ""
    assert payout_label("cek") == "cek"
