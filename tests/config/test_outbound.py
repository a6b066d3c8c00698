"""The outbound guard decides which addresses the service may call: public ones for a
webhook, loopback and private ones only when listed, link-local, metadata, multicast,
unspecified and reserved ones never; the registry and the gateway (addresses from the
settings) may use loopback and private ones. Every spelling of an address is judged by
what it resolves to, and a request goes to the address judged, never redirected."""

import ipaddress
import ssl

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import outbound
from config.settings import envnetworks
from tests.webhooks.receiver import Receiver

WEBHOOK = outbound.Policy(https_only=False)
CONFIGURED = outbound.configured_policy()


def listing(*networks: str) -> outbound.Policy:
    return outbound.Policy(https_only=False, listed=tuple(outbound.networks(networks)))


def refusal(address: str, policy: outbound.Policy) -> str | None:
    """The rule that refuses `address`, or None when it is allowed."""
    try:
        outbound.judge(ipaddress.ip_address(address), policy)
    except outbound.OutboundRefused as refused:
        return refused.code
    return None


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


# --- which addresses -------------------------------------------------------------------


@pytest.mark.parametrize(
    "address, rule",
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "unspecified"),
        ("::", "unspecified"),
        ("169.254.169.254", "link_local"),
        ("169.254.1.1", "link_local"),
        ("fe80::1", "link_local"),
        ("100.100.100.200", "link_local"),
        ("fd00:ec2::254", "link_local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("10.20.30.40", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.10", "private"),
        ("100.64.0.1", "private"),
        ("fd12:3456::1", "private"),
        ("fec0::1", "private"),
        ("192.0.2.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link_local"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::1", "loopback"),
        ("64:ff9b::a9fe:a9fe", "link_local"),
    ],
)
def test_a_webhook_may_not_call_an_inward_address(address, rule):
    assert refusal(address, WEBHOOK) == rule


@pytest.mark.parametrize(
    "address", ["36.66.148.10", "8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808"]
)
def test_a_webhook_may_call_a_public_address(address):
    assert refusal(address, WEBHOOK) is None


def test_a_listed_network_is_allowed_even_when_loopback_or_private():
    policy = listing("127.0.0.1/32", "10.20.0.0/16")

    assert refusal("127.0.0.1", policy) is None
    assert refusal("::ffff:127.0.0.1", policy) is None
    assert refusal("10.20.30.40", policy) is None
    assert refusal("127.0.0.2", policy) == "loopback"
    assert refusal("10.21.0.1", policy) == "private"
    assert refusal("::1", policy) == "loopback"  # IPv6 loopback is its own listing
    assert refusal("::1", listing("::1/128")) is None


@pytest.mark.parametrize(
    "address", ["169.254.169.254", "0.0.0.0", "224.0.0.1", "100.100.100.200", "fd00:ec2::254"]
)
def test_no_listing_opens_metadata_link_local_unspecified_or_multicast_addresses(address):
    everything = listing("0.0.0.0/0", "::/0", "169.254.0.0/16", "100.64.0.0/10", "fc00::/7")

    assert refusal(address, everything) is not None


def test_the_registry_and_the_gateway_may_use_loopback_and_private_addresses_but_not_metadata():
    assert refusal("127.0.0.1", CONFIGURED) is None
    assert refusal("::1", CONFIGURED) is None
    assert refusal("10.20.30.40", CONFIGURED) is None
    assert refusal("169.254.169.254", CONFIGURED) == "link_local"
    assert refusal("100.100.100.200", CONFIGURED) == "link_local"
    assert refusal("0.0.0.0", CONFIGURED) == "unspecified"
    assert refusal("224.0.0.1", CONFIGURED) == "multicast"


def test_the_refusal_says_in_indonesian_what_the_address_is():
    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.judge(ipaddress.ip_address("169.254.169.254"), WEBHOOK)

    assert "169.254.169.254" in refused.value.reason
    assert "metadata cloud" in refused.value.reason


# --- every spelling of an address --------------------------------------------------------


@pytest.mark.parametrize(
    "url, rule",
    [
        ("http://127.0.0.1:8080/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("http://LocalHost/hook", "loopback"),
        ("http://[::1]/hook", "loopback"),
        ("http://[::ffff:7f00:1]/hook", "loopback"),
        ("http://0.0.0.0/hook", "unspecified"),
        ("http://0/hook", "unspecified"),
        ("http://[::]/hook", "unspecified"),
        ("http://2130706433/hook", "loopback"),
        ("http://0x7f000001/hook", "loopback"),
        ("http://017700000001/hook", "loopback"),
        ("http://127.1/hook", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link_local"),
        ("http://2852039166/latest/meta-data/", "link_local"),
        ("http://10.20.30.40/hook", "private"),
    ],
)
def test_every_spelling_is_judged_by_the_address_it_resolves_to(url, rule):
    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.resolve(url, WEBHOOK)

    assert refused.value.code == rule


@pytest.mark.parametrize(
    "url, rule",
    [
        ("ftp://dasbor.batangkab.go.id/hook", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("gopher://127.0.0.1:25/x", "scheme"),
        ("dasbor.batangkab.go.id/hook", "scheme"),
        ("http://dasbor.batangkab.go.id:99999/hook", "invalid"),
        ("http://36.66.148.10@127.0.0.1/hook", "userinfo"),
    ],
)
def test_only_plain_http_and_https_addresses_are_taken(url, rule):
    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.parse(url, WEBHOOK)

    assert refused.value.code == rule


def test_https_only_refuses_http_and_takes_https():
    https_only = outbound.Policy(https_only=True)

    with pytest.raises(outbound.OutboundRefused) as refused:
        outbound.parse("http://36.66.148.10/hook", https_only)

    assert refused.value.code == "https"
    assert "https://" in refused.value.reason
    assert outbound.parse("https://36.66.148.10/hook?x=1", https_only) == (
        "https",
        "36.66.148.10",
        443,
        "/hook?x=1",
    )


def test_a_name_that_does_not_resolve_is_a_lookup_error_not_an_allowed_address():
    with pytest.raises(OSError):
        outbound.resolve("https://tidak-ada.invalid/hook", WEBHOOK)


# --- the setting ---------------------------------------------------------------------------


def test_the_setting_reads_comma_separated_networks(monkeypatch):
    monkeypatch.setenv("WEBHOOK_ALLOWED_NETWORKS", " 10.20.0.0/16, 127.0.0.1 ,fd00::/8 ")

    assert envnetworks("WEBHOOK_ALLOWED_NETWORKS") == [
        ipaddress.ip_network("10.20.0.0/16"),
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("fd00::/8"),
    ]


def test_the_setting_is_empty_by_default_and_a_typo_stops_the_start(monkeypatch):
    monkeypatch.delenv("WEBHOOK_ALLOWED_NETWORKS", raising=False)
    assert envnetworks("WEBHOOK_ALLOWED_NETWORKS") == []

    monkeypatch.setenv("WEBHOOK_ALLOWED_NETWORKS", "10.20.0.0/33")
    with pytest.raises(ImproperlyConfigured, match="WEBHOOK_ALLOWED_NETWORKS"):
        envnetworks("WEBHOOK_ALLOWED_NETWORKS")


def test_the_webhook_policy_follows_debug_and_the_setting(settings):
    settings.DEBUG, settings.WEBHOOK_ALLOWED_NETWORKS = False, ["127.0.0.1/32"]
    production = outbound.webhook_policy()
    settings.DEBUG = True
    development = outbound.webhook_policy()

    assert production.https_only and not development.https_only
    assert production.listed == (ipaddress.ip_network("127.0.0.1/32"),)


# --- the request itself ------------------------------------------------------------------


def test_a_request_to_a_listed_receiver_arrives_with_its_name_in_the_host_header(receiver):
    answer = outbound.request(
        f"http://localhost:{receiver.port}/hook?x=1",
        policy=listing("127.0.0.1/32"),
        method="POST",
        headers={"Content-Type": "application/json"},
        body=b"{}",
        timeout=2,
    )

    assert answer.status == 200 and answer.body == b"ok"
    [request] = receiver.received
    assert request.path == "/hook?x=1"
    assert request.headers["Host"] == f"localhost:{receiver.port}"


def test_a_redirect_is_returned_as_it_came_and_never_followed(receiver):
    inward = Receiver().start()
    try:
        receiver.answers, receiver.location = [302], f"{inward.url}/admin"
        answer = outbound.request(
            f"{receiver.url}/hook",
            policy=listing("127.0.0.1/32"),
            method="POST",
            headers={},
            body=b"{}",
            timeout=2,
        )
    finally:
        inward.stop()

    assert answer.redirect and answer.status == 302
    assert answer.headers["Location"] == f"{inward.url}/admin"
    assert len(receiver.received) == 1 and inward.received == []


def test_an_unlisted_loopback_receiver_is_never_connected_to(receiver):
    with pytest.raises(outbound.OutboundRefused):
        outbound.request(
            f"{receiver.url}/hook", policy=WEBHOOK, method="POST", headers={}, timeout=2
        )

    assert receiver.received == []


def self_signed(folder, name: str) -> tuple[str, str]:
    """A certificate for `name` only (no IP address in it), and its key, as PEM files."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def test_https_goes_to_the_judged_address_and_checks_the_certificate_against_the_name(
    tmp_path, monkeypatch
):
    cert, key = self_signed(tmp_path, "localhost")
    names = []
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    tls.sni_callback = lambda _socket, name, _context: names.append(name)
    server = Receiver()
    server.server.socket = tls.wrap_socket(server.server.socket, server_side=True)
    server.start()
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # the client trusts this one certificate

    def post(host: str):
        return outbound.request(
            f"https://{host}:{server.port}/hook",
            policy=CONFIGURED,
            method="POST",
            headers={},
            body=b"{}",
            timeout=2,
        )

    try:
        answer = post("localhost")
        # The certificate names localhost, not 127.0.0.1: the check is made against
        # the name in the address, never the address connected to.
        with pytest.raises(ssl.SSLCertVerificationError):
            post("127.0.0.1")
    finally:
        server.stop()

    assert answer.status == 200
    assert names == ["localhost", None]  # SNI carries the name; an IP address sends none
    assert [request.headers["Host"] for request in server.received] == [f"localhost:{server.port}"]
