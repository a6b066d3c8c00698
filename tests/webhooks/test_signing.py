"""The signature a receiver checks: the raw body and the timestamp signed together,
refused when the body, the secret or the timestamp's age is wrong; and the function
the documentation (docs/ti/webhook.md) gives receivers to copy behaves the same."""

import re

import pytest

from tests.conftest import ROOT
from webhooks.signing import sign, verify_signature

SECRET = "whsec_" + "ab" * 32
BODY = b'{"amount":1000000,"new_status":"approved","sequence":3}'
NOW = 1_790_000_000


def test_a_signature_verifies_its_own_body_within_the_tolerance():
    header = sign(SECRET, BODY, timestamp=NOW)

    assert re.fullmatch(r"t=1790000000,v1=[0-9a-f]{64}", header)
    assert verify_signature(SECRET, header, BODY, now=NOW + 299)
    assert verify_signature(SECRET, header, BODY, now=NOW - 299)


@pytest.mark.parametrize(
    "secret, body, now",
    [
        (SECRET, BODY.replace(b"1000000", b"9000000"), NOW),  # a changed body
        (SECRET, BODY + b" ", NOW),  # one byte more
        ("whsec_" + "cd" * 32, BODY, NOW),  # another secret
        (SECRET, BODY, NOW + 301),  # replayed too late
    ],
)
def test_a_changed_body_another_secret_or_an_old_timestamp_fail(secret, body, now):
    assert not verify_signature(secret, sign(SECRET, BODY, timestamp=NOW), body, now=now)


@pytest.mark.parametrize(
    "header",
    ["", "v1=abc", "t=abc,v1=00", f"t={NOW}", f"t={NOW},v0=00", "garbage", f"t={NOW},v1="],
)
def test_a_malformed_header_is_simply_refused(header):
    assert verify_signature(SECRET, header, BODY, now=NOW) is False


def test_a_timestamp_moved_to_now_breaks_the_signature():
    digest = sign(SECRET, BODY, timestamp=NOW).split("v1=")[1]

    assert not verify_signature(SECRET, f"t={NOW + 600},v1={digest}", BODY, now=NOW + 600)


def test_any_of_several_v1_signatures_may_match():
    good = sign(SECRET, BODY, timestamp=NOW).split("v1=")[1]

    assert verify_signature(SECRET, f"t={NOW},v1={'0' * 64},v1={good}", BODY, now=NOW)


def test_the_function_in_the_documentation_verifies_what_the_service_signs():
    page = (ROOT / "docs" / "ti" / "webhook.md").read_text()
    section = page.split("## Webhooks", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    code = "\n".join(line[2:] if line.startswith("  ") else line for line in code.splitlines())
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the documentation's own example
    documented_verify = namespace["verify_signature"]
    header = sign(SECRET, BODY, timestamp=NOW)

    assert documented_verify(SECRET, header, BODY, now=NOW)
    assert not documented_verify(SECRET, header, BODY.replace(b"3", b"4"), now=NOW)
    assert not documented_verify(SECRET, header, BODY, now=NOW + 301)
