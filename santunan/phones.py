"""Heirs' phone numbers, kept in one shape: E.164 (+62…), so that the same person is
the same string everywhere and a message gateway receives what it expects.

Parsed with `phonenumbers` (Google's libphonenumber metadata), which knows which
Indonesian prefixes are mobile: a landline or a number that is too short cannot
receive an SMS or a WhatsApp message, so it is refused at entry."""

import phonenumbers
from django.utils.translation import gettext as _

REGION = "ID"
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def to_e164(value: str) -> str | None:
    """'0812-3456-7890', '62812…' or '+62 812…' → '+628123456789'; None when it
    cannot be an Indonesian mobile number."""
    value = (value or "").strip()
    if not value:
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.startswith("+"):
        candidate = "+" + digits
    elif digits.startswith("62"):
        candidate = "+" + digits  # written without the plus, as people often do
    else:
        candidate = digits
    try:
        number = phonenumbers.parse(candidate, REGION)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_problem() -> str:
    return _(
        "Nomor HP ini bukan nomor HP Indonesia yang dapat menerima SMS. Tuliskan nomor HP "
        "ahli waris yang aktif, misalnya 0812 3456 7890."
    )


def last_four(e164: str) -> str:
    return "".join(ch for ch in e164 or "" if ch.isdigit())[-4:]
