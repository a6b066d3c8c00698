"""Outbound requests: the one place that decides which addresses this service may call.

Three kinds of call leave the server, and all of them go through here: webhook
deliveries (to addresses an administrator typed in), the registry API and the
SMS/WhatsApp gateway (addresses from the installation's own settings). Whoever can make
the server connect somewhere can reach what only the server reaches: its own admin
ports on 127.0.0.1, the office network, a cloud's metadata service that hands out
credentials. So, for every call:

- http and https only; a webhook needs https unless DEBUG is on (its body is signed,
  not secret, but it names claims and villages).
- The host is resolved once, every address it resolves to is judged, and the
  connection goes to one of those judged addresses, while the Host header, TLS SNI and
  the certificate check keep the name. A name that answers a harmless address to the
  check and an inward one to the connection (DNS rebinding) gets nowhere, because no
  second lookup is made. Spellings such as http://2130706433/ or http://0x7f.1/ are
  resolved like any name and judged by the address they come to.
- No redirect is followed: http.client never follows one, and each caller reports a
  3xx as a failure with its reason.

Which addresses (IPv4-mapped IPv6 such as ::ffff:127.0.0.1, 6to4 and NAT64 addresses
are judged by the IPv4 address they carry):

- Never, for anyone, not even when listed: unspecified (0.0.0.0/8, ::), link-local
  (169.254.0.0/16, fe80::/10), the cloud metadata addresses, multicast and reserved
  addresses (240.0.0.0/4, 255.255.255.255, and the IPv6 reserved blocks).
- Webhooks: public addresses. Loopback, private (10/8, 172.16/12, 192.168/16,
  fc00::/7), shared (100.64/10) and every other non-public address only inside a
  network listed in WEBHOOK_ALLOWED_NETWORKS. A listed network is allowed even when it
  is loopback, so "127.0.0.1/32" admits a receiver on this same server (tests, the
  demo) and "10.20.0.0/16" the regency's own on-premises receivers.
- The registry and the gateway: their addresses come from the installation's settings,
  written by whoever runs the server (the demo and the tests run both on 127.0.0.1), so
  loopback and private addresses are allowed for them without listing. They still get
  everything else above: scheme, one lookup and a pinned connection, no redirect, and
  never a link-local, metadata, multicast, unspecified or reserved address.
"""

import http.client
import ipaddress
import socket
import ssl
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata services, named even where a wider rule already catches them:
# 100.100.100.200 (Alibaba Cloud) sits in the shared range a listing could open,
# fd00:ec2::254 (AWS over IPv6) in the private one.
METADATA = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
UNSPECIFIED_V4 = ipaddress.ip_network("0.0.0.0/8")  # "this network"; 0.0.0.0 is this host
SITE_LOCAL_V6 = ipaddress.ip_network("fec0::/10")  # deprecated, yet not "private" to ipaddress
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundRefused(Exception):
    """This service may not call that address. `reason` is fit to show the person
    (the administrator's form, the delivery log); `code` names the rule."""

    def __init__(self, reason: str, *, code: str):
        self.reason = reason
        self.code = code
        super().__init__(reason)


@dataclass(frozen=True)
class Policy:
    """Who is calling, and so what is allowed: `listed` networks are allowed even when
    loopback or private; `trusted` (addresses from the settings) allows loopback and
    private addresses without listing."""

    https_only: bool
    listed: tuple[IPNetwork, ...] = ()
    trusted: bool = False


def webhook_policy() -> Policy:
    """Read at every call, so a changed setting (or a test's override) applies at once."""
    return Policy(
        https_only=not settings.DEBUG,
        listed=tuple(networks(settings.WEBHOOK_ALLOWED_NETWORKS)),
    )


def configured_policy() -> Policy:
    return Policy(https_only=False, trusted=True)


def networks(values) -> list[IPNetwork]:
    """CIDR strings (or networks) as networks; a bare address is its own /32 or /128.
    Raises ValueError on anything else (config/settings.py turns that into a start-up
    error)."""
    return [ipaddress.ip_network(str(value).strip(), strict=False) for value in values]


# --- judging one address -------------------------------------------------------------------


def judge(address: IPAddress, policy: Policy) -> None:
    """Raise OutboundRefused unless `policy` may connect to `address`."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            address = address.ipv4_mapped
        elif address in NAT64:
            # A NAT64 gateway delivers to the IPv4 address in the last 32 bits.
            judge(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF), policy)
            return
        elif address.sixtofour:
            judge(address.sixtofour, policy)
    kind = _never(address)
    if kind:
        raise OutboundRefused(_refusal(address, kind), code=kind)
    if policy.trusted or any(address in network for network in policy.listed):
        return
    if address.is_loopback:
        raise OutboundRefused(_refusal(address, "loopback"), code="loopback")
    if not address.is_global or address in SITE_LOCAL_V6:
        raise OutboundRefused(_refusal(address, "private"), code="private")


def _never(address: IPAddress) -> str:
    """The rule that refuses `address` whatever is listed or trusted, or ""."""
    if address.is_unspecified or address in UNSPECIFIED_V4:
        return "unspecified"
    if address in METADATA or address.is_link_local:
        return "link_local"
    if address.is_multicast:
        return "multicast"
    if address.is_reserved and not address.is_loopback:  # ::1 lies in the reserved ::/8
        return "reserved"
    return ""


def _refusal(address: IPAddress, kind: str) -> str:
    kinds = {
        "unspecified": _("alamat tak tertentu (0.0.0.0 atau ::)"),
        "link_local": _("alamat link-local atau layanan metadata cloud"),
        "multicast": _("alamat multicast"),
        "reserved": _("alamat cadangan (reserved)"),
        "loopback": _("alamat server ini sendiri (loopback)"),
        "private": _("alamat jaringan dalam (privat)"),
    }
    text = _("Alamat %(address)s adalah %(kind)s; layanan ini tidak boleh menghubunginya.") % {
        "address": address,
        "kind": kinds[kind],
    }
    if kind in {"loopback", "private"}:
        text += " " + _(
            "Penerima di jaringan kantor sendiri harus dicantumkan dalam pengaturan "
            "WEBHOOK_ALLOWED_NETWORKS."
        )
    return text


# --- from an address to a checked connection -----------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where one call goes: the name for Host, SNI and the certificate, and the
    getaddrinfo answers (family, type, proto, sockaddr) it was judged on, the only
    places a connection is made to."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[tuple, ...]


def parse(url: str, policy: Policy) -> tuple[str, str, int, str]:
    """Scheme, host, port and request path of `url`, without any lookup."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError:
        raise OutboundRefused(_("Alamat tidak sah."), code="invalid") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        raise OutboundRefused(
            _("Alamat harus berupa alamat web lengkap yang diawali http:// atau https://."),
            code="scheme",
        )
    if policy.https_only and scheme != "https":
        raise OutboundRefused(
            _(
                "Alamat harus diawali https:// (sambungan terenkripsi); http:// hanya untuk "
                "instalasi pengembangan."
            ),
            code="https",
        )
    if parts.username is not None or parts.password is not None:
        # "http://a.example@127.0.0.1/" reads as one host to people and another to code.
        raise OutboundRefused(
            _("Alamat tidak boleh memuat nama pengguna atau kata sandi."), code="userinfo"
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def resolve(url: str, policy: Policy) -> Target:
    """Look the host up once and judge every address it answers. Raises
    OutboundRefused, or OSError (socket.gaierror) when the name does not resolve."""
    scheme, host, port, path = parse(url, policy)
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError:  # a label the IDNA codec refuses
        raise socket.gaierror(socket.EAI_NONAME, "invalid name") from None
    if not answers:
        raise socket.gaierror(socket.EAI_NONAME, "no address")
    addresses = []
    for family, socktype, proto, _name, sockaddr in answers:
        # A name that answers one public and one inward address is refused whole:
        # which one the connection would take is not ours to choose.
        judge(_address_of(sockaddr), policy)
        addresses.append((family, socktype, proto, sockaddr))
    return Target(scheme, host, port, path, tuple(addresses))


def _address_of(sockaddr: tuple) -> IPAddress:
    return ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])


def _open_socket(target: Target, policy: Policy, timeout: float) -> socket.socket:
    """A TCP connection to one of the target's judged addresses: no name is looked up
    here, so nothing can answer differently than it did to the check."""
    error: OSError = OSError("no address")
    for family, socktype, proto, sockaddr in target.addresses:
        sock = socket.socket(family, socktype, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
            # What the socket is connected to is judged once more (it is the address
            # just judged; this keeps that true whatever the code above becomes).
            judge(_address_of(sock.getpeername()), policy)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
        except OutboundRefused:
            sock.close()
            raise
    raise error


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, policy: Policy, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.target, self.policy = target, policy

    def connect(self):
        sys.audit("http.client.connect", self, self.host, self.port)
        self.sock = _open_socket(self.target, self.policy, self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the judged address; the certificate is checked against the name."""

    def __init__(self, target: Target, policy: Policy, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.target, self.policy = target, policy

    def connect(self):
        sys.audit("http.client.connect", self, self.host, self.port)
        sock = _open_socket(self.target, self.policy, self.timeout)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def connection(target: Target, policy: Policy, *, timeout: float) -> http.client.HTTPConnection:
    """An unopened connection to `target`; `request()` or `connect()` opens it."""
    kind = PinnedHTTPSConnection if target.scheme == "https" else PinnedHTTPConnection
    return kind(target, policy, timeout)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def redirect(self) -> bool:
        return 300 <= self.status < 400


def request(
    url: str,
    *,
    policy: Policy,
    method: str,
    headers: dict[str, str],
    body: bytes | None = None,
    timeout: float,
    max_bytes: int = 1024 * 1024,
) -> Answer:
    """One request through the guard, and at most `max_bytes` of its answer (0: the
    body is not read). A redirect is returned as it came, never followed. Raises
    OutboundRefused, OSError (lookup, connection, timeout) or http.client.HTTPException."""
    target = resolve(url, policy)
    conn = connection(target, policy, timeout=timeout)
    try:
        conn.request(method, target.path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read(max_bytes) if max_bytes else b""
        return Answer(response.status, response.headers, data)
    finally:
        conn.close()
